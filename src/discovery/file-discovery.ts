// File discovery, kubeadm's discovery/file and discovery/https: a kubeconfig from a local path or an https://
// URL (fetched trusting the system's CAs) gives the server and CA. kubeadm then reads cluster-info with the
// file's own trust, to prove early that TLS works: a 403 is accepted (the TLS handshake succeeded), other
// failures are retried until the discovery timeout; cluster-info only fills a CA the file lacks, and a
// different server there is only warned about. The file's server and credentials stay in use.
import { urlScheme } from '../config/url-scheme.js';
import type { Host } from '../host/host.js';
import { parseKubeconfig, type Kubeconfig, type KubeconfigUser } from '../kubeconfig/kubeconfig.js';
import type { Output } from '../output/output.js';
import { clusterCaPem, kubeconfigCluster } from '../tokens/join-command.js';
import { fetchClusterInfo } from './cluster-info-fetch.js';
import { DiscoveryError, identityPrefix } from './discovery-error.js';
import { fetchError } from './fetch-errors.js';

export interface FileFound {
  readonly server: string;
  readonly caPem: string;
  /** The file's kubeconfig with CA and credentials embedded, one cluster/user/context (its names kept). */
  readonly kubeconfig: Kubeconfig;
  /** Whether the file's current user carries credentials (kubeadm's HasAuthenticationCredentials). */
  readonly hasCredentials: boolean;
}

const badFile = (message: string, fix: string, cause?: unknown) =>
  new DiscoveryError('bad-file', `${identityPrefix}${message}`, { fix, ...(cause === undefined ? {} : { cause }) });

async function readDiscoveryFile(host: Host, location: string, timeoutMs: number): Promise<string> {
  if (urlScheme(location)?.toLowerCase() === 'https') {
    return fetchDiscoveryURL(host, location, timeoutMs);
  }
  const text = await host.fs.readText(location);
  if (text === undefined) throw badFile(`the discovery file ${location} does not exist`, `copy the cluster's discovery kubeconfig to ${location}, or give its path or https:// URL with --discovery-file`);
  return text;
}

/** kubeadm's https discovery: one GET verified with the system's CAs; anything but 200 is an error. */
async function fetchDiscoveryURL(host: Host, url: string, timeoutMs: number): Promise<string> {
  let res;
  try {
    res = await host.net.httpGet(url, { timeoutMs: Math.min(timeoutMs, 30_000) });
  } catch (err) {
    throw new DiscoveryError('unreachable', `${identityPrefix}error trying to fetch discovery kubeconfig over HTTPS from ${url}: ${(err as Error).message}`, {
      fix: 'check the URL, that this node reaches it, and that its server certificate is signed by a CA this system trusts', cause: err,
    });
  }
  if (res.status !== 200) {
    throw badFile(`error trying to fetch discovery kubeconfig over HTTPS from ${url}, received status ${res.status}`, 'check the URL: it must serve the discovery kubeconfig itself');
  }
  return res.body;
}

/** The current user's credentials with any file they name read in (kubeadm's EnsureAuthenticationInfoAreEmbedded). */
async function embeddedUser(host: Host, user: KubeconfigUser | undefined, location: string): Promise<KubeconfigUser | undefined> {
  if (user === undefined) return undefined;
  const read = async (p: string | undefined, what: string): Promise<string | undefined> => {
    if (p === undefined || p === '') return undefined;
    const text = await host.fs.readText(p);
    if (text === undefined) throw badFile(`the ${what} ${p} named by ${location} does not exist`, `embed it in ${location} as ${what}-data, or restore ${p}`);
    return text;
  };
  const clientCertificateData = user.clientCertificateData ?? (await read(user.clientCertificate, 'client-certificate'));
  const clientKeyData = user.clientKeyData ?? (await read(user.clientKey, 'client-key'));
  return {
    name: user.name,
    ...(clientCertificateData === undefined ? {} : { clientCertificateData }),
    ...(clientKeyData === undefined ? {} : { clientKeyData }),
    ...(user.token === undefined || user.token === '' ? {} : { token: user.token }),
  };
}

export async function fileDiscovery(o: { host: Host; out: Output; location: string; timeoutMs: number }): Promise<FileFound> {
  const { host, out, location } = o;
  const text = await readDiscoveryFile(host, location, o.timeoutMs);
  let k: Kubeconfig;
  try {
    k = parseKubeconfig(text, location);
  } catch (err) {
    throw badFile((err as Error).message, `give a kubeconfig file as --discovery-file (e.g. a copy of the cluster-info kubeconfig)`, err);
  }
  if (k.clusters.length < 1) throw badFile('the provided kubeconfig file must have at least one Cluster defined', `add the cluster (server and CA) to ${location}`);
  let cluster;
  try {
    cluster = kubeconfigCluster(k, location);
  } catch (err) {
    throw badFile(`the provided kubeconfig file is malformed: ${(err as Error).message}`, `point current-context of ${location} at a context of the cluster`, err);
  }
  if (cluster.server === '') throw badFile(`the cluster of ${location} has no server`, `set the cluster's server (https://host:port) in ${location}`);
  let caPem: string | undefined;
  try {
    caPem = await clusterCaPem(cluster, location, (p) => host.fs.readText(p));
  } catch (err) {
    throw badFile((err as Error).message, `embed the CA in ${location} as certificate-authority-data`, err);
  }
  const context = k.contexts.find((c) => c.name === k.currentContext);
  const user = await embeddedUser(host, context === undefined ? undefined : k.users.find((u) => u.name === context.user), location);
  const hasCredentials = user !== undefined && (user.token !== undefined || (user.clientCertificateData !== undefined && user.clientKeyData !== undefined));
  out.detail(1, hasCredentials
    ? '[discovery] Using authentication credentials from the discovery file for validating TLS connection'
    : '[discovery] Discovery file does not contains authentication credentials, using unauthenticated request for validating TLS connection');

  out.detail(1, `[discovery] Created cluster-info discovery client, requesting info from "${cluster.server}"`);
  // A bearer token cannot be sent through the host's HTTP seam; cluster-info is readable anonymously anyway.
  const trust = {
    ...(caPem === undefined ? {} : { ca: caPem }),
    ...(user?.clientCertificateData !== undefined && user.clientKeyData !== undefined ? { cert: user.clientCertificateData, key: user.clientKeyData } : {}),
  };
  const got = await fetchClusterInfo({
    net: host.net, clock: host.clock, server: cluster.server.replace(/\/+$/, ''), trust, timeoutMs: o.timeoutMs,
    stopOn: (f) => f.kind === 'forbidden' && f.status === 403,
  });
  let refreshedCa: string | undefined;
  if (got.ok) {
    const refreshed = refreshedCluster(got.data['kubeconfig']);
    if (refreshed !== undefined) {
      if (refreshed.server !== cluster.server) {
        out.warn(`[discovery] the API Server endpoint "${cluster.server}" in use is different from the endpoint "${refreshed.server}" which defined in the cluster-info ConfigMap`);
      }
      refreshedCa = refreshed.caPem;
    }
  } else if (got.stopped) {
    out.warn('[discovery] Could not access the cluster-info ConfigMap for refreshing the cluster-info information, but the TLS cert is valid so proceeding...');
  } else {
    throw fetchError(got.failure, { server: cluster.server, timeoutMs: o.timeoutMs, attempts: got.attempts });
  }
  const finalCa = caPem ?? refreshedCa;
  if (finalCa === undefined || finalCa === '') {
    throw badFile(`could not get CA certificate from discovery kubeconfig ${location}: it has none, and cluster-info gave none`, `embed the cluster CA in ${location} as certificate-authority-data`);
  }
  const clusterEntry = { name: cluster.name, server: cluster.server, certificateAuthorityData: finalCa };
  const kubeconfig: Kubeconfig = context !== undefined && user !== undefined
    ? { clusters: [clusterEntry], users: [user], contexts: [{ name: context.name, cluster: cluster.name, user: user.name }], currentContext: context.name }
    : { clusters: [clusterEntry], users: [], contexts: [], currentContext: '' };
  return { server: cluster.server, caPem: finalCa, kubeconfig, hasCredentials };
}

/** cluster-info's cluster, or undefined when it is not set up properly (kubeadm then keeps the file's). */
function refreshedCluster(text: string | undefined): { server: string; caPem: string | undefined } | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    const c = kubeconfigCluster(parseKubeconfig(text, 'the cluster-info ConfigMap'), 'the cluster-info ConfigMap');
    return { server: c.server, caPem: c.certificateAuthorityData };
  } catch {
    return undefined;
  }
}
