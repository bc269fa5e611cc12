// kube-public/cluster-info: the one object join discovery reads before it trusts the cluster. It
// holds a kubeconfig with a single cluster named "" (admin.conf's current cluster: CA and server),
// no users and no contexts, and later the bootstrapsigner's `jws-kubeconfig-<id>` signatures.
// kubeadm: phases/bootstraptoken/clusterinfo/clusterinfo.go; controller/bootstrap/bootstrapsigner.go.
import { kubePublic, type KubeObject } from '../api/objects.js';
import { CertificateError } from '../errors.js';
import { currentEntries, encodeKubeconfig, parseKubeconfig, type KubeconfigCluster } from '../kubeconfig/kubeconfig.js';
import { jwsKeyPrefix, signDetached } from '../tokens/jws.js';
import { tokenIdOf, tokenSecretOf } from '../tokens/token-secret.js';
import { clusterInfoName } from './bootstrap-rbac.js';

/** The key of the kubeconfig in the ConfigMap's data. */
export const clusterInfoKubeconfigKey = 'kubeconfig';

/** The current context's cluster of an admin kubeconfig; a file without one is unusable for cluster-info. */
export function adminCluster(adminKubeconfigText: string, path: string): KubeconfigCluster {
  const cluster = currentEntries(parseKubeconfig(adminKubeconfigText, path)).cluster;
  if (cluster === undefined || cluster.server === '') {
    throw new CertificateError(path, `${path} has no current context naming a cluster with a server`, {
      fix: `remove ${path} and run "tskubeadm init phase kubeconfig admin" to write it again`,
    });
  }
  return cluster;
}

/**
 * The cluster-info kubeconfig text, byte for byte as kubeadm's clientcmd.Write gives it. `caPem` is
 * the CA to embed when admin.conf names a CA file instead of embedding it (read by the caller): a
 * path on this machine would mean nothing to a joining node.
 */
export function clusterInfoKubeconfig(adminKubeconfigText: string, opts: { readonly path?: string; readonly caPem?: string } = {}): string {
  const path = opts.path ?? 'admin.conf';
  const c = adminCluster(adminKubeconfigText, path);
  const caPem = c.certificateAuthorityData ?? opts.caPem;
  const cluster: KubeconfigCluster = caPem !== undefined
    ? { name: '', server: c.server, certificateAuthorityData: caPem }
    : { name: '', server: c.server, ...(c.certificateAuthority === undefined ? {} : { certificateAuthority: c.certificateAuthority }) };
  return encodeKubeconfig({ clusters: [cluster], users: [], contexts: [], currentContext: '' });
}

/** The ConfigMap as kubeadm sends it: no labels, no signatures (the bootstrapsigner adds those). */
export function clusterInfoConfigMap(kubeconfigText: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: clusterInfoName, namespace: kubePublic },
    data: { [clusterInfoKubeconfigKey]: kubeconfigText },
  };
}

/** What a token needs for the bootstrapsigner to sign with it. */
export interface SigningToken {
  /** `<id>.<secret>` */
  readonly token: string;
  readonly usages: readonly string[];
  /** RFC 3339; absent: never expires. */
  readonly expiration?: string;
}

/**
 * cluster-info as kube-controller-manager's bootstrapsigner leaves it: one `jws-kubeconfig-<id>` per
 * token with the `signing` usage that has not expired at `now`; signatures of other tokens removed.
 */
export function signedClusterInfo(cm: KubeObject, tokens: readonly SigningToken[], now: Date): KubeObject {
  const data = { ...((cm['data'] ?? {}) as Record<string, string>) };
  const payload = data[clusterInfoKubeconfigKey] ?? '';
  for (const key of Object.keys(data)) if (key.startsWith(jwsKeyPrefix)) delete data[key];
  for (const t of tokens) {
    if (!t.usages.includes('signing')) continue;
    if (t.expiration !== undefined && Date.parse(t.expiration) <= now.getTime()) continue;
    const id = tokenIdOf(t.token);
    data[`${jwsKeyPrefix}${id}`] = signDetached(payload, id, tokenSecretOf(t.token));
  }
  return { ...cm, data };
}
