// join's control-plane-join phase: with the ControlPlaneKubeletLocalMode gate off, add the stacked etcd member
// here (etcd-join does it when the gate is on); then label and taint the Node as a control plane, as init's
// mark-control-plane does. kubeadm: cmd/phases/join/controlplanejoin.go.
import { configDefaults } from '../../config/defaults.js';
import { controlPlanePatch, markingLines } from '../../cluster-objects/node-marking.js';
import type { Phase } from '../../workflow/phase.js';
import { patchRegisteredNode } from '../init/mark-control-plane.js';
import type { JoinContext } from './context.js';
import { etcdJoinFlags, joinStackedEtcd } from './etcd-join.js';
import { controlPlaneKubeletLocalMode } from './kubelet-start.js';

const isControlPlane = (ctx: JoinContext) => ctx.cfg.join.controlPlane !== undefined;

async function runEtcd(ctx: JoinContext): Promise<void> {
  if (controlPlaneKubeletLocalMode((await ctx.cluster()).cluster)) {
    ctx.out.detail(1, '[control-plane-join] ControlPlaneKubeletLocalMode is on: etcd-join added the etcd member');
    return;
  }
  await joinStackedEtcd(ctx);
}

async function runMarkControlPlane(ctx: JoinContext): Promise<void> {
  const initCfg = await ctx.cluster();
  const name = initCfg.init.nodeRegistration.name;
  // The join config's taints, else kubeadm's control-plane taint (the loader sets it; a config built in code may not).
  const taints = initCfg.init.nodeRegistration.taints ?? [configDefaults.controlPlaneTaint];
  for (const line of markingLines(name, taints)) ctx.out.info(line);
  await patchRegisteredNode({ host: ctx.host, cfg: initCfg }, await ctx.adminApi(), name, (node) => controlPlanePatch(node, taints));
}

const markFlags = ['config', 'control-plane', 'node-name', 'dry-run'];

export const controlPlaneJoin: Phase<JoinContext> = {
  name: 'control-plane-join',
  short: 'Join a machine as a control plane instance',
  long: 'For join --control-plane: add the stacked etcd member (when the ControlPlaneKubeletLocalMode gate is off; etcd-join does it ' +
    'otherwise), then mark the Node as a control plane. A worker join skips it.',
  example: '# Make this machine a control plane instance\ntskubeadm join phase control-plane-join all --config join.yaml',
  phases: [
    { name: 'all', short: 'Join a machine as a control plane instance', selectsParent: true, flags: etcdJoinFlags },
    {
      name: 'etcd',
      short: 'Add a new local etcd member',
      long: 'With the ControlPlaneKubeletLocalMode feature gate off: add this node to the stacked etcd as a learner, write its etcd manifest, ' +
        'promote it and wait for a healthy cluster (see etcd-join). Nothing to do when the gate is on or etcd is external.',
      flags: etcdJoinFlags,
      runIf: isControlPlane,
      run: runEtcd,
    },
    {
      name: 'mark-control-plane',
      short: 'Mark a node as a control-plane',
      long: 'Wait until the kubelet has registered this node, then add the labels node-role.kubernetes.io/control-plane and ' +
        'node.kubernetes.io/exclude-from-external-load-balancers and the taints of nodeRegistration.taints (by default ' +
        'node-role.kubernetes.io/control-plane:NoSchedule), keeping the taints the Node already has.',
      flags: markFlags,
      runIf: isControlPlane,
      run: runMarkControlPlane,
    },
  ],
};
