// The run context every reset phase receives. Built by reset-context.ts (createResetContext).
import type { ApiClient } from '../../api/client.js';
import type { ResetReport } from '../../cleanup/reset-report.js';
import type { ClusterConfiguration, ResetConfig } from '../../config/types.js';
import type { Host } from '../../host/host.js';
import type { HostJournal } from '../../journal/journal.js';
import type { Output } from '../../output/output.js';

export interface ResetOptions {
  /** /etc/kubernetes: where the kubeconfig files and the manifests folder are. */
  readonly kubeconfigDir: string;
  /** --kubeconfig (default /etc/kubernetes/admin.conf): how remove-etcd-member reaches the cluster. */
  readonly kubeconfigPath: string;
}

export interface ResetContext {
  readonly cfg: ResetConfig;
  readonly host: Host;
  readonly out: Output;
  readonly dryRun: boolean;
  /** Lower-cased check names; may hold "all". */
  readonly ignorePreflightErrors: ReadonlySet<string>;
  readonly options: ResetOptions;
  /** The host journal init and join recorded, read once before anything changes; undefined when there is
   *  none (a node set up by kubeadm, or one already reset): reset then does what kubeadm does. A journal
   *  that cannot be read is a warning and counts as none. */
  readonly journal: () => Promise<HostJournal | undefined>;
  /** The cluster's ClusterConfiguration from the kubeadm-config ConfigMap through --kubeconfig, read once with
   *  a short deadline (kubeadm's short retry); undefined, after kubeadm's warning, when the cluster cannot be
   *  reached. Reads go through also under --dry-run, as kubeadm's. */
  readonly cluster: () => Promise<ClusterConfiguration | undefined>;
  /** The API through --kubeconfig; rejects when it is absent or unusable. */
  readonly api: () => Promise<ApiClient>;
  /** Actions taken and leftovers, printed when the run ends. */
  readonly report: ResetReport;
}
