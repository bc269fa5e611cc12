// How commands get their ApiClient: the dry-run printer, or a real client from admin.conf (or
// --kubeconfig) that has made sure the kubeadm:cluster-admins binding exists. The client libraries are
// imported here on first connect only, so `--help`, `version` and file-only phases never load them.
import { ConfigError } from '../errors.js';
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
export function apiConnector(o: ConnectOptions): () => Promise<ApiClient> {
  let connecting: Promise<ApiClient> | undefined;
  return () => {
    connecting ??= connect(o).catch((err: unknown) => {
      // A failed connect is not remembered: a later caller tries again.
      connecting = undefined;
      throw err;
    });
    return connecting;
  };
}

async function connect(o: ConnectOptions): Promise<ApiClient> {
  if (o.dryRun) {
    const { dryRunClient } = await import('./dry-run-client.js');
    return dryRunClient(o.out);
  }
  const { realClient } = await import('./real-client.js');
  const clientFrom = async (path: string): Promise<ApiClient | undefined> => {
    const text = await o.host.fs.readText(path);
    if (text === undefined) return undefined;
    return realClient(text, { timeoutMs: o.timeoutMs, clock: o.host.clock, source: o.host.fs.realPath(path) });
  };
  const admin = await clientFrom(o.kubeconfigPath);
  if (admin === undefined) {
    throw new ConfigError(`the kubeconfig file ${o.host.fs.realPath(o.kubeconfigPath)} does not exist`, {
      fix: 'write it with `tskubeadm init phase kubeconfig admin`, or pass --kubeconfig with the path of an admin kubeconfig',
    });
  }
  const superAdminPath = o.superAdminKubeconfigPath;
  if (superAdminPath !== undefined) {
    const { ensureClusterAdmins } = await import('./cluster-admins.js');
    await ensureClusterAdmins(admin, () => clientFrom(superAdminPath), {
      clock: o.host.clock,
      out: o.out,
      timeoutMs: o.timeoutMs,
      superAdminName: superAdminPath.slice(superAdminPath.lastIndexOf('/') + 1),
    });
  }
  return admin;
}
