// PLACEHOLDER CONTRACT (the api-core engineer replaces the body): how commands get their ApiClient.
import type { Host } from '../host/host.js';
import type { Output } from '../output/output.js';
import type { ApiClient } from './client.js';

export interface ConnectOptions {
  readonly host: Host;
  readonly out: Output;
  /** True: a dry-run client that prints every request and sends none. */
  readonly dryRun: boolean;
  /** admin.conf (or --kubeconfig), read through the host. */
  readonly kubeconfigPath: string;
  /** Used only to create the kubeadm:cluster-admins ClusterRoleBinding when admin.conf is not yet allowed to. Omit for commands that never create it (token …). */
  readonly superAdminKubeconfigPath?: string;
  /** Bound on each call including its retries: timeouts.kubernetesAPICall. */
  readonly timeoutMs: number;
}

/** A memoized connector: the first call reads the kubeconfig and connects; later calls return the same client. */
export function apiConnector(_o: ConnectOptions): () => Promise<ApiClient> {
  return () => Promise.reject(new Error('not yet built'));
}
