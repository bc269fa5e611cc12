// Builds the JoinContext: the run's fixed inputs plus the four lazies every join phase shares
// (discovery, the cluster's configuration, the bootstrap and admin API clients), each run at most once.
// kubeadm: cmd/join.go newJoinData and joinData.{TLSBootstrapCfg, InitCfg, Client}.
import type { ApiClient } from '../../api/client.js';
import type { ConnectOptions } from '../../api/connect.js';
import type { EncryptionAlgorithm, InitConfig, JoinConfig } from '../../config/types.js';
import type { Discovered } from '../../discovery/discovered.js';
import type { Host } from '../../host/host.js';
import { encodeKubeconfig, parseKubeconfig, currentEntries } from '../../kubeconfig/kubeconfig.js';
import type { Output } from '../../output/output.js';
import { noPatches, type PatchSet } from '../../patches/patch-set.js';
import type { KeyPool } from '../../pki/key-pool.js';
import type { JoinContext, JoinOptions } from './context.js';

/** How discovery is run: src/discovery/discover.ts discover, or a test's stand-in. */
export type Discover = (o: { host: Host; out: Output; join: JoinConfig['join'] }) => Promise<Discovered>;
/** A client from kubeconfig text: src/api/real-client.ts realClient, or a test's stand-in. */
export type ClientFromKubeconfig = (kubeconfigText: string, o: { timeoutMs: number; source: string }) => Promise<ApiClient>;

export interface JoinContextInput {
  readonly cfg: JoinConfig;
  /** The host the run writes through (the dry-run wrapper under --dry-run). */
  readonly host: Host;
  readonly out: Output;
  readonly dryRun: boolean;
  readonly selected: ReadonlySet<string>;
  readonly options?: Partial<JoinOptions>;
  readonly writtenTo?: (path: string) => string;
  readonly patches?: () => Promise<PatchSet>;
  /** Key generations at once (init's keyConcurrency); 2 when absent. */
  readonly keyConcurrency?: number;
  readonly discover?: Discover;
  readonly clientFromKubeconfig?: ClientFromKubeconfig;
  /** The CLI's connector (CliDeps.connectApi) for admin.conf; src/api/connect.ts apiConnector when absent. */
  readonly connectApi?: (o: ConnectOptions) => () => Promise<ApiClient>;
  /** Replaces the cluster() read (tests). */
  readonly cluster?: () => Promise<InitConfig>;
}

/** One evaluation, shared by every caller; a failure is not remembered, so a later caller tries again. */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => {
    p ??= make().catch((err: unknown) => {
      p = undefined;
      throw err;
    });
    return p;
  };
}

export function createJoinContext(i: JoinContextInput): JoinContext {
  const { cfg, host, out, dryRun } = i;
  const options: JoinOptions = Object.freeze({ kubeconfigDir: '/etc/kubernetes', replaceStaleMember: false, ...i.options });
  const adminConf = `${options.kubeconfigDir}/admin.conf`;
  const apiTimeoutMs = cfg.join.timeouts.kubernetesAPICallMs;
  const clientFrom: ClientFromKubeconfig = i.clientFromKubeconfig ?? (async (text, o) => {
    const { realClient } = await import('../../api/real-client.js');
    return realClient(text, { timeoutMs: o.timeoutMs, clock: host.clock, source: o.source });
  });

  const discovery = once(async (): Promise<Discovered> => {
    // kubeadm (newJoinData): a control plane that already has admin.conf reads the cluster with it instead.
    if (cfg.join.controlPlane !== undefined) {
      const fromAdmin = await discoveredFromAdminConf(host, adminConf);
      if (fromAdmin !== undefined) {
        out.detail(1, `[preflight] found ${host.fs.realPath(adminConf)}. Use it for skipping discovery`);
        return fromAdmin;
      }
    }
    const discover = i.discover ?? (await import('../../discovery/discover.js')).discover;
    return discover({ host, out, join: cfg.join });
  });

  const realBootstrap = once(async () => {
    const d = await discovery();
    return clientFrom(encodeKubeconfig(d.bootstrapKubeconfig), { timeoutMs: apiTimeoutMs, source: 'the TLS bootstrap kubeconfig' });
  });

  const bootstrapApi = once(async (): Promise<ApiClient> => {
    const real = await realBootstrap();
    if (!dryRun) return real;
    // kubeadm's dry-run join reads the real cluster and only fakes the writes.
    const { dryRunClient } = await import('../../api/dry-run-client.js');
    return readsThrough(real, dryRunClient(out, { nodeName: cfg.join.nodeRegistration.name }));
  });

  // Under --dry-run admin.conf is the one control-plane-prepare wrote into the dry-run folder (the host's reads
  // see it): it reads the real cluster (the etcd Pods), and its writes are printed, never sent.
  const realAdmin = (i.connectApi ?? defaultConnector)({ host, out, dryRun: false, kubeconfigPath: adminConf, timeoutMs: apiTimeoutMs });
  const adminApi = !dryRun ? realAdmin : once(async (): Promise<ApiClient> => {
    const { dryRunClient } = await import('../../api/dry-run-client.js');
    return readsThrough(await realAdmin(), dryRunClient(out, { nodeName: cfg.join.nodeRegistration.name }));
  });

  const cluster = i.cluster ?? once(async () => {
    const { readJoinCluster } = await import('./join-cluster.js');
    return readJoinCluster({ cfg, out, api: await realBootstrap() });
  });

  const keys = deferredKeyPool(async () => {
    const { clusterKeyAlgorithm } = await import('../../pki/algorithms.js');
    return clusterKeyAlgorithm((await cluster()).cluster);
  }, i.keyConcurrency ?? 2);

  return Object.freeze({
    cfg,
    host,
    out,
    dryRun,
    // The loader already holds the lower-cased union of the flag and the file.
    ignorePreflightErrors: new Set(cfg.join.nodeRegistration.ignorePreflightErrors),
    options,
    selected: i.selected,
    keys,
    loadedCAs: new Map(),
    startedAt: host.clock.now(),
    writtenTo: i.writtenTo ?? ((p: string) => p),
    patches: i.patches ?? (() => Promise.resolve(noPatches)),
    discovery,
    cluster,
    bootstrapApi,
    adminApi,
  });
}

function defaultConnector(o: ConnectOptions): () => Promise<ApiClient> {
  return once(async () => (await import('../../api/connect.js')).apiConnector(o)());
}

/** admin.conf as discovery's result, when it exists (a control plane re-joining, or one prepared by hand). */
async function discoveredFromAdminConf(host: Host, path: string): Promise<Discovered | undefined> {
  const text = await host.fs.readText(path);
  if (text === undefined) return undefined;
  const kc = parseKubeconfig(text, host.fs.realPath(path));
  const { cluster } = currentEntries(kc);
  return { server: cluster?.server ?? '', caPem: cluster?.certificateAuthorityData ?? '', bootstrapKubeconfig: kc, trust: 'file' };
}

/** Reads (get, list) from the real cluster; writes through the dry-run printer. An object the cluster does not
 *  have is asked of the printer (kubeadm: "Real object does not exist. Attempting to GET from followup reactors"):
 *  this node's Node, which its kubelet would have registered, so mark-control-plane has one to patch. */
export function readsThrough(real: ApiClient, dry: ApiClient): ApiClient {
  return {
    get: async (ref) => (await real.get(ref)) ?? dry.get(ref),
    list: (kind, ns, o) => real.list(kind, ns, o),
    create: (obj) => dry.create(obj),
    update: (obj) => dry.update(obj),
    patch: (ref, p, t) => dry.patch(ref, p, t),
    delete: (ref) => dry.delete(ref),
  };
}

/** A KeyPool whose algorithm is known only later (the cluster's, read from the API): made on first use. */
export function deferredKeyPool(algorithm: () => Promise<EncryptionAlgorithm>, concurrency: number): KeyPool {
  const pool = once(async () => {
    const { createKeyPool } = await import('../../pki/key-pool.js');
    return createKeyPool(await algorithm(), concurrency);
  });
  return {
    reserve(count) {
      // A failure surfaces at take(), where a phase waits for the key.
      void pool().then((p) => p.reserve(count), () => undefined);
    },
    reserveOnce: async (count) => (await pool()).reserveOnce(count),
    take: async () => (await pool()).take(),
  };
}
