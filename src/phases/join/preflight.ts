// join's preflight phase: the root check and the node checks every joining machine runs, then
// discovery and the cluster's configuration (read once here, used by every later phase). A joining
// control plane also needs a cluster that can take one (controlPlaneEndpoint, shared certificates)
// and the init checks against the cluster's ClusterConfiguration: runControlPlaneJoinChecks.
// kubeadm: cmd/phases/join/preflight.go.
import { controlPlaneImages } from '../../config/images.js';
import type { ClusterConfiguration } from '../../config/types.js';
import { TskubeadmError, exitCodes } from '../../errors.js';
import { certPath, keyPath } from '../../pki-files/pki-files.js';
import { serviceAccountKey } from '../../../pki/certificates.js';
import { controlPlaneJoinTarget, joinTarget } from '../../preflight/target.js';
import { pathCheckName } from '../../preflight/check.js';
import { ports } from '../../preflight/constants.js';
import { runCheckSet } from '../../preflight/runner.js';
import { preflightExcuses, type PreflightExcuses } from '../../resume/excuses.js';
import { joinIdentity } from '../../resume/identity.js';
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
    'discovery-token-unsafe-skip-ca-verification', 'join-string', 'certificate-key', 'dry-run',
  ],
  run: async (ctx) => {
    ctx.out.info('[preflight] Running pre-flight checks');
    // What this node's own earlier join left (its files, its components' ports) does not fail a re-run.
    const cp0 = ctx.cfg.join.controlPlane;
    const excused = await preflightExcuses(ctx.host, 'join', joinIdentity(ctx.cfg), {
      caCertPath: ctx.cfg.join.caCertPath,
      ...(cp0 === undefined ? {} : { apiServerPort: cp0.localAPIEndpoint.bindPort }),
    });
    const opts = { host: ctx.host, out: ctx.out, target: joinTarget(ctx.cfg, { dryRun: ctx.dryRun }), ignore: ctx.ignorePreflightErrors, excused };
    // Root first and alone (fail fast); a dry run changes nothing, so it may run unprivileged.
    if (!ctx.dryRun) await runCheckSet('root', opts);
    await runCheckSet('join', opts);
    const initCfg = await ctx.cluster();
    const cp = ctx.cfg.join.controlPlane;
    if (cp === undefined) return;
    await checkReadyForControlPlane(ctx, initCfg.cluster, cp.certificateKey !== '');
    await runControlPlaneJoinChecks(ctx, initCfg.cluster, excusedWithEtcd(excused, initCfg.cluster));
  },
};

/** The files every control plane shares (kubeadm's SharedCertificateExists): CAs with keys, and the sa key pair. */
export function sharedCertificateFiles(cluster: ClusterConfiguration): string[] {
  const dir = cluster.certificatesDir;
  const pairs = ['ca', 'front-proxy-ca', ...(cluster.etcd.local === undefined ? [] : ['etcd/ca'])];
  return [
    ...pairs.flatMap((b) => [certPath(dir, b), keyPath(dir, b)]),
    `${dir}/${serviceAccountKey.privateKeyFile}`, `${dir}/${serviceAccountKey.publicKeyFile}`,
  ];
}

/**
 * kubeadm's checkIfReadyForAdditionalControlPlane: the cluster must have a stable controlPlaneEndpoint (every
 * node's kubeconfigs and the API server certificates name it), and without --certificate-key the shared
 * certificates must already be on this machine.
 */
export async function checkReadyForControlPlane(ctx: Pick<JoinContext, 'host'>, cluster: ClusterConfiguration, hasCertificateKey: boolean): Promise<void> {
  const notReady = 'one or more conditions for hosting a new control plane instance is not satisfied: ';
  if (cluster.controlPlaneEndpoint === '') {
    throw new TskubeadmError(`${notReady}unable to add a new control plane instance to a cluster that doesn't have a stable controlPlaneEndpoint address`, {
      exitCode: exitCodes.preflight,
      fix: 'a cluster gets more control-plane nodes only when it was set up with controlPlaneEndpoint (a DNS name or load balancer ' +
        'in front of the API servers): set it in the ClusterConfiguration, re-issue the API server certificate and kubeconfigs on ' +
        'the existing control plane, and upload the configuration again (tskubeadm init phase upload-config kubeadm); or join this node as a worker',
    });
  }
  if (hasCertificateKey) return;
  const missing: string[] = [];
  for (const f of sharedCertificateFiles(cluster)) if ((await ctx.host.fs.stat(f)) === undefined) missing.push(ctx.host.fs.realPath(f));
  if (missing.length > 0) {
    throw new TskubeadmError(`${notReady}the certificates that must be shared among control plane instances are missing: ${missing.join(', ')}`, {
      exitCode: exitCodes.preflight,
      fix: 'pass --certificate-key with the key from `tskubeadm init phase upload-certs --upload-certs` on a control-plane node ' +
        '(the certificates are then downloaded), or copy those files from an existing control-plane node',
    });
  }
}

/**
 * The second pass for `join --control-plane`, after discovery: the init checks for a secondary
 * control plane (no common checks again), then the image pull (skipped in dry-run).
 */
export async function runControlPlaneJoinChecks(ctx: JoinContext, cluster: ClusterConfiguration, excused?: PreflightExcuses): Promise<void> {
  const target = controlPlaneJoinTarget(ctx.cfg, cluster, { dryRun: ctx.dryRun, images: controlPlaneImages(cluster) });
  const opts = { host: ctx.host, out: ctx.out, target, ignore: ctx.ignorePreflightErrors, ...(excused === undefined ? {} : { excused }) };
  ctx.out.info('[preflight] Running pre-flight checks before initializing the new control plane instance');
  await runCheckSet('control-plane-join', opts);
  await pullImages(opts);
}

/** The etcd data directory is the cluster's, known only after discovery: its excuse follows the etcd ports'. */
function excusedWithEtcd(excused: PreflightExcuses, cluster: ClusterConfiguration): PreflightExcuses {
  const dataDir = cluster.etcd.local?.dataDir;
  const port = `Port-${ports.etcdClient}`;
  const portLine = excused.get(port);
  if (dataDir === undefined || portLine === undefined) return excused;
  const name = pathCheckName('DirAvailable', dataDir);
  return new Map([...excused, [name, portLine.replace(port, name)]]);
}
