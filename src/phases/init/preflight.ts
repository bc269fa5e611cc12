// init's preflight phase: the root check, the control-plane node checks, then the image pull.
// kubeadm: cmd/phases/init/preflight.go.
import { controlPlaneImages } from '../../config/images.js';
import { initTarget } from '../../preflight/target.js';
import { preflightExcuses } from '../../resume/excuses.js';
import { initIdentity } from '../../resume/identity.js';
import { runCheckSet, type RunChecksOptions } from '../../preflight/runner.js';
import type { Phase } from '../../workflow/phase.js';
import { pullImages } from '../pull-images.js';
import type { InitContext } from './context.js';

export const preflight: Phase<InitContext> = {
  name: 'preflight',
  short: 'Run pre-flight checks',
  long: 'Run pre-flight checks for tskubeadm init: the machine, its ports and files, the container runtime and the kubelet. ' +
    'Outside --dry-run it then pulls the control-plane images.',
  example: '# Run the pre-flight checks for tskubeadm init using a config file.\ntskubeadm init phase preflight --config kubeadm-config.yaml',
  flags: ['config', 'image-repository', 'cri-socket', 'ignore-preflight-errors', 'dry-run'],
  run: async (ctx) => {
    ctx.out.info('[preflight] Running pre-flight checks');
    const target = initTarget(ctx.cfg, { dryRun: ctx.dryRun, images: controlPlaneImages(ctx.cfg.cluster) });
    // What this node's own earlier init left (its files, its components' ports) does not fail a re-run.
    const excused = await preflightExcuses(ctx.host, 'init', initIdentity(ctx.cfg), {
      apiServerPort: ctx.cfg.init.localAPIEndpoint.bindPort,
      ...(ctx.cfg.cluster.etcd.local === undefined ? {} : { etcdDataDir: ctx.cfg.cluster.etcd.local.dataDir }),
    });
    const opts: RunChecksOptions = { host: ctx.host, out: ctx.out, target, ignore: ctx.ignorePreflightErrors, excused };
    // Root first and alone, so that a non-root run fails fast instead of with a page of EACCES.
    // A dry run changes nothing, so it may run unprivileged.
    if (!ctx.dryRun) await runCheckSet('root', opts);
    await runCheckSet('init', opts);
    await pullImages(opts);
  },
};
