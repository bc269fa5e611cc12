// What the certs and kubeconfig phases of one init run share: the node identity the
// certificates are made for, and one up-front reservation of every key the run will need,
// so that key generation (the slow part) keeps both cores busy across all of them.
import { certProfiles, serviceAccountKey, type CertProfile } from '../../../pki/certificates.js';
import { kubeconfigProfiles, type KubeconfigProfile } from '../../../pki/kubeconfigs.js';
import { certPath, fileIn } from '../../pki-files/pki-files.js';
import { isNeeded, type PkiRun } from '../../pki-files/ensure-certs.js';
import { kubeconfigPath, type KubeconfigOptions } from '../../pki-files/ensure-kubeconfigs.js';
import type { InitConfig } from '../../config/types.js';
import type { NodeRun } from '../node-run.js';
import type { InitContext } from './context.js';

/** What a run context gives a PKI run besides the configuration (init's and join's contexts both have it). */
export type PkiRunSource = Pick<NodeRun, 'host' | 'out' | 'startedAt' | 'keys' | 'loadedCAs'>;

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

/** The files a run may make a new key for; a key is generated for each one that is absent. */
export interface KeyNeeds {
  readonly certificatesDir: string;
  readonly certs: readonly CertProfile[];
  readonly serviceAccount: boolean;
  readonly kubeconfigDir: string;
  readonly kubeconfigs: readonly KubeconfigProfile[];
}

/** Starts generating, once per run, one key for every file of `needs` that does not exist yet (init and join). */
export async function reserveKeysFor(ctx: Pick<NodeRun, 'host' | 'keys'>, needs: KeyNeeds): Promise<void> {
  await ctx.keys.reserveOnce(async () => {
    const absent = async (path: string) => (await ctx.host.fs.stat(path)) === undefined;
    const dir = needs.certificatesDir;
    const wanted: Promise<boolean>[] = [
      ...needs.certs.map((p) => absent(certPath(dir, p.baseName))),
      ...(needs.serviceAccount ? [absent(fileIn(dir, serviceAccountKey.privateKeyFile))] : []),
      ...needs.kubeconfigs.map((k) => absent(kubeconfigPath(needs.kubeconfigDir, k.file))),
    ];
    return (await Promise.all(wanted)).filter(Boolean).length;
  });
}

/** init's keys: every certificate, sa key and kubeconfig of the selected phases. */
export function reserveRunKeys(ctx: InitContext): Promise<void> {
  const cluster = ctx.cfg.cluster;
  return reserveKeysFor(ctx, {
    certificatesDir: cluster.certificatesDir,
    certs: certProfiles.filter((p) => ctx.selected.has(`certs/${p.name}`) && isNeeded(p, cluster)),
    serviceAccount: ctx.selected.has(`certs/${serviceAccountKey.name}`),
    kubeconfigDir: ctx.options.kubeconfigDir,
    kubeconfigs: kubeconfigProfiles.filter((k) => ctx.selected.has(`kubeconfig/${k.name}`)),
  });
}
