// join's wait-control-plane phase (control-plane joins; a worker skips it): kube-apiserver, kube-controller-manager
// and kube-scheduler of this node answer on the addresses of their manifests, polled concurrently. Unlike init there
// is no kubelet wait here (kubelet-start waited for it), as in kubeadm. The API server must present a certificate
// from the cluster CA, valid for this node's advertise address; a timeout is diagnosed as init's is.
// kubeadm: cmd/phases/join/waitcontrolplane.go (WaitForControlPlaneComponents).
import type { Phase } from '../../workflow/phase.js';
import { componentEndpoints, giveUp, kubeletHealthOf, waitForComponents } from '../init/wait-control-plane.js';
import type { JoinContext } from './context.js';

export const waitControlPlane: Phase<JoinContext> = {
  name: 'wait-control-plane',
  short: 'Wait for the control plane to start',
  long: 'For join --control-plane: wait until this node\'s kube-apiserver, kube-controller-manager and kube-scheduler answer on the ' +
    'addresses and ports of their manifests in /etc/kubernetes/manifests, within timeouts.controlPlaneComponentHealthCheck. The API ' +
    'server must present a certificate signed by the cluster CA and valid for its address. When the time runs out, the kubelet and ' +
    'the containers are examined and the likely causes printed with their fixes. A worker join skips it.',
  flags: ['config', 'dry-run'],
  runIf: (ctx) => ctx.cfg.join.controlPlane !== undefined,
  run: async (ctx) => {
    // kubeadm's dry-run waiter answers at once and prints nothing.
    if (ctx.dryRun) return;
    const run = { cfg: await ctx.cluster(), host: ctx.host, out: ctx.out };
    const components = await componentEndpoints(run, 'tskubeadm join phase control-plane-prepare control-plane');
    const failing = await waitForComponents(run, components);
    if (failing.length === 0) return;
    const { kubelet, kubeletDoc } = kubeletHealthOf(run.cfg);
    await giveUp(run, kubelet, kubeletDoc, components, failing);
  },
};
