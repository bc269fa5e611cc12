// init's etcd phase: the data directory and the static Pod manifest of a one-member local etcd.
// kubeadm: cmd/phases/init/etcd.go, phases/etcd/local.go (CreateLocalEtcdStaticPodManifestFile).
import { TskubeadmError, exitCodes } from '../../errors.js';
import { manifestsDir, writeStaticPodManifest } from '../../manifest-files/static-pod-files.js';
import { etcdPod } from '../../manifests/etcd.js';
import type { Phase } from '../../workflow/phase.js';
import type { InitContext } from './context.js';

/** kubeadm's MkdirAll(dataDir, 0700): created 0700 when absent; an existing directory keeps its mode. */
const dataDirMode = 0o700;

async function ensureDataDir(ctx: InitContext, dataDir: string): Promise<void> {
  if (ctx.dryRun) {
    ctx.out.info(`[etcd] Would ensure that "${dataDir}" directory is present`);
    return;
  }
  try {
    await ctx.host.fs.mkdir(dataDir, { mode: dataDirMode });
  } catch (err) {
    throw new TskubeadmError(`failed to create the etcd data directory "${dataDir}": ${(err as Error).message}`, {
      exitCode: exitCodes.generic,
      fix: `make "${dataDir}" a directory (or set etcd.local.dataDir to one), then run the phase again`,
      cause: err,
    });
  }
  // kubeadm leaves an existing directory as it is, and so do we (it may hold a member's data and be
  // managed by someone else); but etcd keeps its keys and data there, so a looser mode is worth a word.
  const info = await ctx.host.fs.stat(dataDir);
  if (info !== undefined && info.kind === 'directory' && (info.mode & 0o077) !== 0) {
    ctx.out.warn(`[etcd] WARNING: the etcd data directory "${dataDir}" has mode ${info.mode.toString(8).padStart(4, '0')}, ` +
      `open to users other than its owner, and it holds every Secret of the cluster. Run "chmod 700 ${dataDir}"`);
  }
}

const local: Phase<InitContext> = {
  name: 'local',
  short: 'Write the static Pod manifest of a one-member etcd on this node',
  long: 'Create the etcd data directory (etcd.local.dataDir, mode 0700) and write etcd.yaml into the static Pod folder: ' +
    "one etcd member named after this node, serving clients on its advertise address and loopback (port 2379), peers on port 2380, " +
    'with the etcd certificates of the certs phase, and health probes on http://127.0.0.1:2381. ' +
    'etcd.local.extraArgs override the flags tskubeadm sets; --patches are applied last. Nothing is done for external etcd.',
  example: '  # The etcd manifest init would write\n  tskubeadm init phase etcd local\n\n' +
    '  # The same, from a configuration file\n  tskubeadm init phase etcd local --config kubeadm.yaml',
  flags: ['cert-dir', 'config', 'image-repository', 'patches', 'dry-run'],
  run: async (ctx) => {
    const { cfg } = ctx;
    const localEtcd = cfg.cluster.etcd.local;
    if (localEtcd === undefined) {
      ctx.out.info('[etcd] External etcd mode: Skipping etcd static pod generation');
      return;
    }
    await ensureDataDir(ctx, localEtcd.dataDir);
    ctx.out.info(`[etcd] Creating static Pod manifest for local etcd in "${ctx.writtenTo(manifestsDir)}"`);
    const pod = etcdPod({
      cluster: cfg.cluster,
      endpoint: cfg.init.localAPIEndpoint,
      nodeName: cfg.init.nodeRegistration.name,
      hostEnv: ctx.host.env,
      controlPlaneComponentHealthCheckMs: cfg.init.timeouts.controlPlaneComponentHealthCheckMs,
    });
    await writeStaticPodManifest(ctx.host, await ctx.patches(), 'etcd', pod);
  },
};

export const etcd: Phase<InitContext> = {
  name: 'etcd',
  short: 'Write the static Pod manifest of the local etcd',
  long: 'Write the static Pod manifest of the etcd that stores the cluster state on this node. Skipped when the cluster uses external etcd.',
  phases: [local],
};
