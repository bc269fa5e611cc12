// join's preflight phase: the root check and the node checks every joining machine runs.
// kubeadm: cmd/phases/join/preflight.go. A joining control plane also needs the init checks
// run against the cluster's ClusterConfiguration, which only discovery provides: that second
// pass is runControlPlaneJoinChecks, called once the cluster configuration is known.
import { controlPlaneImages } from '../../config/images.js';
import type { ClusterConfiguration } from '../../config/types.js';
import { controlPlaneJoinTarget, joinTarget } from '../../preflight/target.js';
import { runCheckSet } from '../../preflight/runner.js';
import type { Phase } from '../../workflow/phase.js';
import { pullImages } from '../pull-images.js';
import type { JoinContext } from './context.js';

export const preflight: Phase<JoinContext> = {
  name: 'preflight',
  short: 'Run join pre-flight checks',
  long: 'Run pre-flight checks for tskubeadm join: the machine, its files, the container runtime and the kubelet.',
  example: '# Run the join pre-flight checks using a config file.\ntskubeadm join phase preflight --config kubeadm-config.yaml',
  flags: [
    'config', 'ignore-preflight-errors', 'tls-bootstrap-token', 'token', 'control-plane', 'apiserver-advertise-address',
    'apiserver-bind-port', 'cri-socket', 'node-name', 'discovery-file', 'discovery-token', 'discovery-token-ca-cert-hash',
    'discovery-token-unsafe-skip-ca-verification', 'certificate-key', 'dry-run',
  ],
  run: async (ctx) => {
    ctx.out.info('[preflight] Running pre-flight checks');
    const opts = { host: ctx.host, out: ctx.out, target: joinTarget(ctx.cfg, { dryRun: ctx.dryRun }), ignore: ctx.ignorePreflightErrors };
    // Root first and alone (fail fast); a dry run changes nothing, so it may run unprivileged.
    if (!ctx.dryRun) await runCheckSet('root', opts);
    await runCheckSet('join', opts);
  },
};

/**
 * The second pass for `join --control-plane`, after discovery: the init checks for a secondary
 * control plane (no common checks again), then the image pull (skipped in dry-run).
 */
export async function runControlPlaneJoinChecks(ctx: JoinContext, cluster: ClusterConfiguration): Promise<void> {
  const target = controlPlaneJoinTarget(ctx.cfg, cluster, { dryRun: ctx.dryRun, images: controlPlaneImages(cluster) });
  const opts = { host: ctx.host, out: ctx.out, target, ignore: ctx.ignorePreflightErrors };
  ctx.out.info('[preflight] Running pre-flight checks before initializing the new control plane instance');
  await runCheckSet('control-plane-join', opts);
  await pullImages(opts);
}
