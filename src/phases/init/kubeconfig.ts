// init's kubeconfig phase: one sub-phase per file of pki/kubeconfigs.ts, in table order.
// kubeadm: cmd/phases/init/kubeconfig.go.
import { kubeconfigProfiles, type KubeconfigProfile } from '../../../pki/kubeconfigs.js';
import { ensureKubeconfig } from '../../pki-files/ensure-kubeconfigs.js';
import { kubeconfigInputs } from '../../resume/inputs.js';
import type { Phase } from '../../workflow/phase.js';
import type { InitContext } from './context.js';
import { kubeconfigOptions, pkiRun, reserveRunKeys } from './pki-run.js';

// kubeadm's getKubeConfigPhaseFlags; the node name only matters for the kubelet's user.
const commonFlags = [
  'apiserver-advertise-address', 'control-plane-endpoint', 'apiserver-bind-port', 'cert-dir', 'config', 'kubeconfig-dir', 'kubernetes-version', 'dry-run',
];

function filePhase(p: KubeconfigProfile): Phase<InitContext> {
  const forNode = typeof p.user !== 'string';
  const server = p.server === 'local'
    ? "this node's own API server (its advertise address), so it keeps working when a load balancer in front of the control plane does not"
    : 'the control-plane endpoint (controlPlaneEndpoint, or this node\'s advertise address when none is set)';
  return {
    name: p.name,
    short: p.short,
    long: `Write ${p.file} in the kubeconfig directory, with a client certificate signed by the cluster CA, pointing at ${server}. ` +
      'An existing file is kept when it trusts the same CA (a different server only warns); otherwise the phase stops and says why, overwriting nothing.' +
      (forNode ? '\n\nUse it only to bootstrap the cluster: once the control plane is up, the kubelet gets its credentials from the CSR API.' : ''),
    flags: forNode ? [...commonFlags, 'node-name'] : commonFlags,
    resume: { inputs: (ctx) => kubeconfigInputs(p, ctx.cfg, ctx.options.kubeconfigDir), replaceOnChange: true },
    run: async (ctx) => {
      await reserveRunKeys(ctx);
      await ensureKubeconfig(pkiRun(ctx), p, kubeconfigOptions(ctx));
    },
  };
}

export const kubeconfig: Phase<InitContext> = {
  name: 'kubeconfig',
  short: 'Generate all kubeconfig files necessary to establish the control plane and the admin kubeconfig file',
  long: 'Write the kubeconfig files of the admin, the super-admin, the kubelet, the controller manager and the scheduler, each with a client certificate signed by the cluster CA.',
  phases: [
    { name: 'all', short: 'Generate all kubeconfig files', selectsParent: true },
    ...kubeconfigProfiles.map(filePhase),
  ],
  run: async (ctx) => {
    const dir = ctx.options.kubeconfigDir;
    ctx.out.info(`[kubeconfig] Using kubeconfig folder "${ctx.writtenTo(dir)}"`);
    await reserveRunKeys(ctx);
  },
};
