// The `join` command init prints and `token create --print-join-command` gives: the endpoint and
// CA pins come from the admin kubeconfig's current cluster. kubeadm: cmd/util/join.go.
import { CertificateError } from '../errors.js';
import { parseKubeconfig, type Kubeconfig, type KubeconfigCluster } from '../kubeconfig/kubeconfig.js';
import { publicKeyPin } from '../pki/ca-hash.js';
import { parseCertificates } from '../pki/certificate.js';

/** What kubeadm prints in place of a secret the user asked not to print. */
export const withheldValue = '<value withheld>';

export interface JoinCommandInput {
  /** `host:port` of the API server the node joins through. */
  readonly endpoint: string;
  readonly token: string;
  readonly caCertHashes: readonly string[];
  readonly controlPlane: boolean;
  /** Only for a control-plane join with uploaded certificates. */
  readonly certificateKey?: string;
  readonly withheld?: { readonly token?: boolean; readonly certificateKey?: boolean };
  /** The program to run on the joining node: `tskubeadm`. */
  readonly program: string;
}

/**
 * kubeadm's layout: each line after the first continues with ` \`, a newline and a TAB; every pin is
 * followed by a space (so a worker command ends in one). `oneLine` drops the continuations and TABs,
 * as `token create --print-join-command` prints it.
 */
export function joinCommand(i: JoinCommandInput): { multiLine: string; oneLine: string } {
  const token = i.withheld?.token === true ? withheldValue : i.token;
  let text = `${i.program} join ${i.endpoint} --token ${token} \\\n\t`;
  for (const pin of i.caCertHashes) text += `--discovery-token-ca-cert-hash ${pin} `;
  if (i.controlPlane) {
    text += '\\\n\t--control-plane ';
    // kubeadm prints `--certificate-key <value withheld>` even when there is no key; we print the flag only with one.
    if (i.certificateKey !== undefined && i.certificateKey !== '') {
      text += `--certificate-key ${i.withheld?.certificateKey === true ? withheldValue : i.certificateKey}`;
    }
  }
  return { multiLine: text, oneLine: text.replaceAll('\\\n', '').replaceAll('\t', '') };
}

/**
 * The cluster a kubeconfig talks to, as kubeadm's GetClusterFromKubeConfig picks it: an unnamed
 * cluster if there is one (cluster-info's layout), else the current context's.
 */
export function kubeconfigCluster(k: Kubeconfig, path: string): KubeconfigCluster {
  const unnamed = k.clusters.find((c) => c.name === '');
  if (unnamed !== undefined) return unnamed;
  const context = k.contexts.find((c) => c.name === k.currentContext);
  const cluster = context === undefined ? undefined : k.clusters.find((c) => c.name === context.cluster);
  if (cluster === undefined) {
    throw new CertificateError(path, `${path} has no current cluster: its current-context "${k.currentContext}" names none of its clusters`, {
      fix: `point current-context of ${path} at a context of the cluster, or pass another --kubeconfig`,
    });
  }
  return cluster;
}

/** `sha256:<hex>` of every certificate in a PEM bundle, in order. */
export function caCertHashesOfPem(pem: string): string[] {
  return parseCertificates(pem).map(publicKeyPin);
}

/**
 * The CA of a kubeconfig cluster: embedded (certificate-authority-data), else the file it names
 * (certificate-authority) read with `readText`; undefined when it has neither.
 */
export async function clusterCaPem(
  cluster: KubeconfigCluster, path: string, readText: (p: string) => Promise<string | undefined>,
): Promise<string | undefined> {
  if (cluster.certificateAuthorityData !== undefined) return cluster.certificateAuthorityData;
  const file = cluster.certificateAuthority;
  if (file === undefined || file === '') return undefined;
  const pem = await readText(file);
  if (pem === undefined) {
    throw new CertificateError(file, `failed to load the CA certificate referenced by ${path}: ${file} does not exist`, {
      fix: `restore ${file}, or embed the CA in ${path} as certificate-authority-data`,
    });
  }
  return pem;
}

/** What the join commands need from a kubeconfig. */
export interface JoinTarget {
  readonly endpoint: string;
  readonly caCertHashes: readonly string[];
}

/**
 * The endpoint and pins of a kubeconfig whose CA is embedded or, as kubeadm also accepts, referenced by
 * path (`certificate-authority`), read with `readText` (the host's).
 */
export async function joinTargetOf(
  kubeconfigText: string, path: string, readText: (p: string) => Promise<string | undefined>,
): Promise<JoinTarget> {
  const cluster = kubeconfigCluster(parseKubeconfig(kubeconfigText, path), path);
  // The server without its `https://`: the `host:port` a join uses.
  const endpoint = cluster.server.replaceAll('https://', '');
  const pem = await clusterCaPem(cluster, path, readText);
  if (pem === undefined) {
    throw new CertificateError(path, `no CA certificates found in ${path}`, {
      fix: 'use a kubeconfig that holds the cluster CA, such as /etc/kubernetes/admin.conf',
    });
  }
  let caCertHashes: string[];
  try {
    caCertHashes = caCertHashesOfPem(pem);
  } catch (err) {
    throw new CertificateError(path, `failed to parse the CA certificate of ${path}: ${(err as Error).message}`, {
      fix: `repair the CA in ${path}, or pass another --kubeconfig`, cause: err,
    });
  }
  if (caCertHashes.length === 0) {
    throw new CertificateError(path, `no CA certificates found in ${path}`, { fix: `repair the CA in ${path}, or pass another --kubeconfig` });
  }
  return { endpoint, caCertHashes };
}
