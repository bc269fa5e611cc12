// Builds the ResetContext: the run's inputs plus the lazies reset's phases share (the host journal, the
// cluster's configuration, the API), each read at most once. kubeadm: cmd/reset.go newResetData.
import type { ApiClient } from '../../api/client.js';
import type { ConnectOptions } from '../../api/connect.js';
import { ResetReport } from '../../cleanup/reset-report.js';
import type { ClusterConfiguration, ResetConfig } from '../../config/types.js';
import type { Host } from '../../host/host.js';
import type { HostJournal } from '../../journal/journal.js';
import type { Output } from '../../output/output.js';
import { once } from '../join/join-context.js';
import type { ResetContext, ResetOptions } from './context.js';

/** kubeadm reads kubeadm-config at reset with a short retry (every 50 ms for 350 ms): a dead cluster must not hold
 *  the reset up. Ours bounds the whole read, TLS handshakes and retries included, so it is a little longer. */
export const clusterReadTimeoutMs = 2_000;

export interface ResetContextInput {
  readonly cfg: ResetConfig;
  /** The host the run changes through (the dry-run wrapper under --dry-run). */
  readonly host: Host;
  readonly out: Output;
  readonly dryRun: boolean;
  readonly options?: Partial<ResetOptions>;
  /** The CLI's connector (CliDeps.connectApi); src/api/connect.ts apiConnector when absent. */
  readonly connectApi?: (o: ConnectOptions) => () => Promise<ApiClient>;
  /** Replace the lazies (tests). */
  readonly journal?: () => Promise<HostJournal | undefined>;
  readonly cluster?: () => Promise<ClusterConfiguration | undefined>;
}

export function createResetContext(i: ResetContextInput): ResetContext {
  const { cfg, host, out, dryRun } = i;
  const options: ResetOptions = Object.freeze({
    kubeconfigDir: '/etc/kubernetes',
    kubeconfigPath: '/etc/kubernetes/admin.conf',
    ...i.options,
  });
  const connector = (i.connectApi ?? defaultConnector)({
    host, out, dryRun: false, kubeconfigPath: options.kubeconfigPath, timeoutMs: clusterReadTimeoutMs,
  });
  const api = once(connector);

  const journal = i.journal ?? once(async () => {
    const { loadJournal } = await import('../../journal/journal-file.js');
    return loadJournal(host, out);
  });

  const cluster = i.cluster ?? once(async (): Promise<ClusterConfiguration | undefined> => {
    // Only a node with an admin kubeconfig can read the cluster's configuration (kubeadm: the file must exist).
    if ((await host.fs.stat(options.kubeconfigPath)) === undefined) return undefined;
    const { readResetCluster } = await import('./reset-cluster.js');
    return readResetCluster({ out, api });
  });

  return Object.freeze({
    cfg,
    host,
    out,
    dryRun,
    // The loader already holds the lower-cased union of the flag and the file.
    ignorePreflightErrors: new Set(cfg.reset.ignorePreflightErrors),
    options,
    journal,
    cluster,
    api,
    report: new ResetReport(dryRun),
  });
}

function defaultConnector(o: ConnectOptions): () => Promise<ApiClient> {
  return once(async () => (await import('../../api/connect.js')).apiConnector(o)());
}
