// The run context every join phase receives: small, typed and frozen. Built by join-context.ts.
import type { ApiClient } from '../../api/client.js';
import type { Discovered } from '../../discovery/discovered.js';
import type { InitConfig, JoinConfig } from '../../config/types.js';
import type { NodeRun } from '../node-run.js';

export interface JoinOptions {
  /** Where kubeconfig files go: /etc/kubernetes (kubeadm's KubernetesDir; join has no flag for it). */
  readonly kubeconfigDir: string;
  /** --replace-stale-member: remove an etcd member with this node's name or peer URL before adding it. */
  readonly replaceStaleMember: boolean;
  /** An earlier join of this node with the same identity left its record (src/resume): a Ready Node of this name
   *  whose credentials this machine holds is its own, not another machine's. */
  readonly resuming?: boolean;
}

export interface JoinContext extends NodeRun {
  readonly cfg: JoinConfig;
  readonly options: JoinOptions;
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
