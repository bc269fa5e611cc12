// What the certs and kubeconfig phases of one init run share: the node identity the
// certificates are made for, and one up-front reservation of every key the run will need,
// so that key generation (the slow part) keeps both cores busy across all of them.
import { certProfiles, serviceAccountKey } from '../../../pki/certificates.js';
import { kubeconfigProfiles } from '../../../pki/kubeconfigs.js';
import { certPath, fileIn } from '../../pki-files/pki-files.js';
import { isNeeded, type PkiRun } from '../../pki-files/ensure-certs.js';
import { kubeconfigPath, type KubeconfigOptions } from '../../pki-files/ensure-kubeconfigs.js';
import type { InitContext } from './context.js';

export function pkiRun(ctx: InitContext): PkiRun {
  return {
    host: ctx.host,
    out: ctx.out,
    certificatesDir: ctx.cfg.cluster.certificatesDir,
    id: {
      nodeName: ctx.cfg.init.nodeRegistration.name,
      advertiseAddress: ctx.cfg.init.localAPIEndpoint.advertiseAddress,
      cluster: ctx.cfg.cluster,
    },
    startedAt: ctx.startedAt,
    keys: ctx.keys,
    loadedCAs: ctx.loadedCAs,
  };
}

/** Where the kubeconfig phases write, and the local API server the control-plane components' files point at. */
export function kubeconfigOptions(ctx: InitContext): KubeconfigOptions {
  return { kubeconfigDir: ctx.options.kubeconfigDir, localAPIEndpoint: ctx.cfg.init.localAPIEndpoint };
}

/** Starts generating, once per run, one key for every certificate, sa key and kubeconfig this run will make. */
export async function reserveRunKeys(ctx: InitContext): Promise<void> {
  await ctx.keys.reserveOnce(async () => {
    const absent = async (path: string) => (await ctx.host.fs.stat(path)) === undefined;
    const dir = ctx.cfg.cluster.certificatesDir;
    const wanted: Promise<boolean>[] = [];
    for (const p of certProfiles) {
      if (ctx.selected.has(`certs/${p.name}`) && isNeeded(p, ctx.cfg.cluster)) wanted.push(absent(certPath(dir, p.baseName)));
    }
    if (ctx.selected.has(`certs/${serviceAccountKey.name}`)) wanted.push(absent(fileIn(dir, serviceAccountKey.privateKeyFile)));
    for (const k of kubeconfigProfiles) {
      if (ctx.selected.has(`kubeconfig/${k.name}`)) wanted.push(absent(kubeconfigPath(ctx.options.kubeconfigDir, k.file)));
    }
    return (await Promise.all(wanted)).filter(Boolean).length;
  });
}
