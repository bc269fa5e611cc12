// The run context every join phase receives: small, typed and frozen. Built by join-context.ts.
import type { ApiClient } from '../../api/client.js';
import type { Discovered } from '../../discovery/discovered.js';
import type { InitConfig, JoinConfig } from '../../config/types.js';
import type { Host } from '../../host/host.js';
import type { Output } from '../../output/output.js';
import type { KeyPool } from '../../pki/key-pool.js';
import type { LoadedCAs } from '../../pki-files/ensure-certs.js';
import type { PatchSet } from '../../patches/patch-set.js';

export interface JoinOptions {
  /** Where kubeconfig files go: /etc/kubernetes (kubeadm's KubernetesDir; join has no flag for it). */
  readonly kubeconfigDir: string;
  /** --replace-stale-member: remove an etcd member with this node's name or peer URL before adding it. */
  readonly replaceStaleMember: boolean;
}

export interface JoinContext {
  readonly cfg: JoinConfig;
  readonly host: Host;
  readonly out: Output;
  readonly dryRun: boolean;
  /** Lower-cased check names; may hold "all". */
  readonly ignorePreflightErrors: ReadonlySet<string>;
  readonly options: JoinOptions;
  /** Paths of the phases this invocation runs (e.g. 'control-plane-prepare/certs'). */
  readonly selected: ReadonlySet<string>;
  /** Private keys for this run (a joining control plane makes its own leaf certificates and kubeconfigs). */
  readonly keys: KeyPool;
  readonly loadedCAs: LoadedCAs;
  /** When the run started: the one creation time of every certificate it makes. */
  readonly startedAt: Date;
  /** Where a path the run writes really goes, for messages: itself, or its place in the --dry-run folder. */
  readonly writtenTo: (path: string) => string;
  /** The --patches / patches.directory files, read on first use. */
  readonly patches: () => Promise<PatchSet>;
  /** Discovery, run once on first use: the cluster's API server and CA, trusted as the configuration asks
   *  (token + pinned CA, or a discovery file), and the kubeconfig for the TLS bootstrap. Reads only, so it
   *  also runs under --dry-run. */
  readonly discovery: () => Promise<Discovered>;
  /** The cluster's configuration as this node uses it (kubeadm's initCfg): the kubeadm-config
   *  ClusterConfiguration and the kubelet-config / kube-proxy component configs read from the API, with this
   *  node's nodeRegistration, localAPIEndpoint (control plane), patches and timeouts. Read once. */
  readonly cluster: () => Promise<InitConfig>;
  /** The API with the TLS-bootstrap credentials from discovery (or admin.conf where it already exists on a
   *  joining control plane, as kubeadm). Under --dry-run a client that prints writes and sends none. */
  readonly bootstrapApi: () => Promise<ApiClient>;
  /** The API through <kubeconfigDir>/admin.conf, written by control-plane-prepare/kubeconfig (control-plane joins). */
  readonly adminApi: () => Promise<ApiClient>;
}
