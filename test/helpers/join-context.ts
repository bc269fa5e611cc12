// A JoinContext for running join phases directly in tests. Every lazy can be replaced; the ones a test
// does not give reject with a clear message instead of reaching for a network.
import type { ApiClient } from '../../src/api/client.js';
import type { InitConfig, JoinConfig } from '../../src/config/types.js';
import type { Discovered } from '../../src/discovery/discovered.js';
import type { Host } from '../../src/host/host.js';
import type { Output } from '../../src/output/output.js';
import { captureOutput } from '../../src/output/output.js';
import type { JoinContext, JoinOptions } from '../../src/phases/join/context.js';
import { createKeyPool, type KeyPool } from '../../src/pki/key-pool.js';
import { noPatches, type PatchSet } from '../../src/patches/patch-set.js';

export interface JoinContextOverrides {
  cfg: JoinConfig;
  host: Host;
  out?: Output;
  dryRun?: boolean;
  ignore?: readonly string[];
  selected?: readonly string[];
  options?: Partial<JoinOptions>;
  keys?: KeyPool;
  patches?: PatchSet;
  writtenTo?: (path: string) => string;
  /** A value or a function: a function is called on each use (memoize it yourself when that matters). */
  discovery?: Discovered | (() => Promise<Discovered>);
  cluster?: InitConfig | (() => Promise<InitConfig>);
  bootstrapApi?: ApiClient | (() => Promise<ApiClient>);
  adminApi?: ApiClient | (() => Promise<ApiClient>);
}

function lazy<T>(v: T | (() => Promise<T>) | undefined, what: string): () => Promise<T> {
  if (v === undefined) return () => Promise.reject(new Error(`this test gave the join context no ${what}`));
  if (typeof v === 'function') return v as () => Promise<T>;
  return () => Promise.resolve(v);
}

export function joinContext(o: JoinContextOverrides): JoinContext {
  const cluster = lazy(o.cluster, 'cluster configuration');
  return {
    cfg: o.cfg,
    host: o.host,
    out: o.out ?? captureOutput(),
    dryRun: o.dryRun ?? false,
    ignorePreflightErrors: new Set(o.ignore ?? o.cfg.join.nodeRegistration.ignorePreflightErrors),
    options: { kubeconfigDir: '/etc/kubernetes', replaceStaleMember: false, ...o.options },
    selected: new Set(o.selected ?? []),
    keys: o.keys ?? createKeyPool(clusterAlgorithm(o.cluster)),
    loadedCAs: new Map(),
    startedAt: o.host.clock.now(),
    writtenTo: o.writtenTo ?? ((p) => p),
    patches: () => Promise.resolve(o.patches ?? noPatches),
    discovery: lazy(o.discovery, 'discovery result'),
    cluster,
    bootstrapApi: lazy(o.bootstrapApi, 'bootstrap API client'),
    adminApi: lazy(o.adminApi, 'admin API client'),
  };
}

/** The given cluster's key algorithm when it is a value; RSA-2048 (kubeadm's default) otherwise. */
function clusterAlgorithm(c: JoinContextOverrides['cluster']): InitConfig['cluster']['encryptionAlgorithm'] {
  return c !== undefined && typeof c !== 'function' ? c.cluster.encryptionAlgorithm : 'RSA-2048';
}
