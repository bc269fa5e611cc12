// What the certs and kubeconfig phases of one init run share: the node identity the
// certificates are made for, and one up-front reservation of every key the run will need,
// so that key generation (the slow part) keeps both cores busy across all of them.
import { certProfiles, serviceAccountKey } from '../../../pki/certificates.js';
import { kubeconfigProfiles } from '../../../pki/kubeconfigs.js';
import { certPath, fileIn } from '../../pki-files/pki-files.js';
import { isNeeded, type PkiRun } from '../../pki-files/ensure-certs.js';
import { kubeconfigPath, type KubeconfigOptions } from '../../pki-files/ensure-kubeconfigs.js';
import type { InitConfig } from '../../config/types.js';
import type { InitContext } from './context.js';

/** What a run context gives a PKI run besides the configuration (init's and join's contexts both have it). */
export type PkiRunSource = Pick<InitContext, 'host' | 'out' | 'startedAt' | 'keys' | 'loadedCAs'>;

/** A PKI run for the node `cfg` describes: its name and advertise address are the certificates' identity.
 *  join --control-plane passes the cluster's configuration with this node's registration and endpoint. */
export function pkiRunFor(ctx: PkiRunSource, cfg: InitConfig): PkiRun {
  return {
    host: ctx.host,
    out: ctx.out,
    certificatesDir: cfg.cluster.certificatesDir,
    id: {
      nodeName: cfg.init.nodeRegistration.name,
      advertiseAddress: cfg.init.localAPIEndpoint.advertiseAddress,
      cluster: cfg.cluster,
    },
    startedAt: ctx.startedAt,
    keys: ctx.keys,
    loadedCAs: ctx.loadedCAs,
  };
}

export function pkiRun(ctx: InitContext): PkiRun {
  return pkiRunFor(ctx, ctx.cfg);
}

/** Where the kubeconfig phases write, and the local API server the control-plane components' files point at. */
export function kubeconfigOptionsFor(kubeconfigDir: string, cfg: InitConfig): KubeconfigOptions {
  return { kubeconfigDir, localAPIEndpoint: cfg.init.localAPIEndpoint };
}

export function kubeconfigOptions(ctx: InitContext): KubeconfigOptions {
  return kubeconfigOptionsFor(ctx.options.kubeconfigDir, ctx.cfg);
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
