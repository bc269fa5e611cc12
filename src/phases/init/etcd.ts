// init's etcd phase: the data directory and the static Pod manifest of a one-member local etcd.
// kubeadm: cmd/phases/init/etcd.go, phases/etcd/local.go (CreateLocalEtcdStaticPodManifestFile).
import { ensureEtcdDataDir } from '../../etcd/data-dir.js';
import { manifestsDir, writeStaticPodManifest } from '../../manifest-files/static-pod-files.js';
import { etcdPod } from '../../manifests/etcd.js';
import { manifestInputs } from '../../resume/inputs.js';
import type { Phase } from '../../workflow/phase.js';
import type { InitContext } from './context.js';

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
  // The phase overwrites its manifest anyway: replacing it (a removal first) would stop the running Pod.
  resume: { inputs: (ctx) => manifestInputs(ctx, ctx.cfg, 'etcd') },
  run: async (ctx) => {
    const { cfg } = ctx;
    const localEtcd = cfg.cluster.etcd.local;
    if (localEtcd === undefined) {
      ctx.out.info('[etcd] External etcd mode: Skipping etcd static pod generation');
      return;
    }
    await ensureEtcdDataDir(ctx, localEtcd.dataDir, { prefix: '[etcd]', rerun: 'the phase' });
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
