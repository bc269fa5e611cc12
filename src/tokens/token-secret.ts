// A bootstrap token as the API stores it: Secret `bootstrap-token-<id>` in kube-system, type
// bootstrap.kubernetes.io/token (k8s.io/cluster-bootstrap token/api; kubeadm bootstraptoken/v1 utils).
import type { KubeObject } from '../api/objects.js';
import { kubeSystem } from '../api/objects.js';
import { encodeSecretData } from '../api/secret-data.js';
import { rfc3339 } from '../config/rfc3339.js';
import type { BootstrapToken } from '../config/types.js';

export const bootstrapTokenSecretType = 'bootstrap.kubernetes.io/token';
export const bootstrapTokenSecretPrefix = 'bootstrap-token-';
/** Each usage is a data key of its own: `usage-bootstrap-<usage>: "true"`. */
export const usageKeyPrefix = 'usage-bootstrap-';
/** The group every bootstrap token authenticates in, besides its extra groups. */
export const bootstrappersGroup = 'system:bootstrappers';
/** kubeadm's default extra group: what its RBAC bindings name. */
export { defaultNodeTokenGroup } from '../config/defaults.js';

export function tokenIdOf(token: string): string {
  return token.split('.')[0] ?? '';
}

export function tokenSecretOf(token: string): string {
  return token.split('.')[1] ?? '';
}

export function tokenSecretName(tokenId: string): string {
  return `${bootstrapTokenSecretPrefix}${tokenId}`;
}

// Its home is config/rfc3339.ts; re-exported because the issue-5 contract names it here.
export { rfc3339 };

/** When the token expires: its `expires`, else now + ttl; undefined for a token that never does (ttl 0). */
export function tokenExpiration(t: BootstrapToken, now: Date): string | undefined {
  if (t.expires !== undefined && t.expires !== '') return rfc3339(new Date(t.expires));
  if (t.ttlMs === undefined || t.ttlMs <= 0) return undefined;
  return rfc3339(new Date(now.getTime() + t.ttlMs));
}

/** The Secret for a token, data base64-encoded as the API stores it; keys as kubeadm writes them. */
export function bootstrapTokenSecret(t: BootstrapToken, now: Date): KubeObject {
  const id = tokenIdOf(t.token);
  const data: Record<string, string> = {
    'token-id': id,
    'token-secret': tokenSecretOf(t.token),
  };
  if (t.description !== undefined && t.description !== '') data['description'] = t.description;
  const expiration = tokenExpiration(t, now);
  if (expiration !== undefined) data['expiration'] = expiration;
  for (const u of t.usages) data[`${usageKeyPrefix}${u}`] = 'true';
  if (t.groups.length > 0) data['auth-extra-groups'] = t.groups.join(',');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: tokenSecretName(id), namespace: kubeSystem },
    type: bootstrapTokenSecretType,
    data: encodeSecretData(data),
  };
}
