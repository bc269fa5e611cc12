// Bootstrap token Secrets as kube-apiserver's authenticator and kube-controller-manager's bootstrapsigner
// and tokencleaner read them (k8s.io/cluster-bootstrap): kube-system/bootstrap-token-<id>, type
// bootstrap.kubernetes.io/token, base64 data.
import { timingSafeEqual } from 'node:crypto';
import type { KubeObject } from '../../../src/api/objects.js';
import { bootstrappersGroup, bootstrapTokenSecretPrefix, bootstrapTokenSecretType } from '../../../src/tokens/token-secret.js';

export const tokenPattern = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;

export interface StoredToken {
  readonly id: string;
  readonly secret: string;
  /** undefined: never expires. An unparseable expiration counts as already expired. */
  readonly expiresAt?: Date;
  readonly usages: ReadonlySet<string>;
  readonly extraGroups: readonly string[];
}

const decode = (data: Record<string, string>, key: string): string | undefined =>
  data[key] === undefined ? undefined : Buffer.from(data[key], 'base64').toString('utf8');

/** The token a Secret holds, or undefined when it is not a well-formed bootstrap token Secret. */
export function storedToken(secret: KubeObject): StoredToken | undefined {
  if (secret.kind !== 'Secret' || secret.metadata.namespace !== 'kube-system' || secret['type'] !== bootstrapTokenSecretType) return undefined;
  const data = (secret['data'] ?? {}) as Record<string, string>;
  const id = decode(data, 'token-id');
  const value = decode(data, 'token-secret');
  if (id === undefined || value === undefined || secret.metadata.name !== `${bootstrapTokenSecretPrefix}${id}`) return undefined;
  if (!tokenPattern.test(`${id}.${value}`)) return undefined;
  const expiration = decode(data, 'expiration');
  const usages = new Set(Object.keys(data).filter((k) => k.startsWith('usage-bootstrap-') && decode(data, k) === 'true')
    .map((k) => k.slice('usage-bootstrap-'.length)));
  const groups = decode(data, 'auth-extra-groups');
  return {
    id, secret: value, usages,
    ...(expiration === undefined ? {} : { expiresAt: parseExpiration(expiration) }),
    extraGroups: groups === undefined || groups === '' ? [] : groups.split(',').map((g) => g.trim()),
  };
}

function parseExpiration(text: string): Date {
  const d = new Date(text);
  // RFC 3339 only; anything else is treated as expired (time 0).
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text) && !Number.isNaN(d.getTime()) ? d : new Date(0);
}

export const isExpired = (t: StoredToken, now: Date): boolean => t.expiresAt !== undefined && now.getTime() > t.expiresAt.getTime();

/** Extra groups must be under system:bootstrappers: (the authenticator refuses the token otherwise). */
export const extraGroupsValid = (t: StoredToken): boolean =>
  t.extraGroups.every((g) => /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/.test(g));

export function secretMatches(t: StoredToken, given: string): boolean {
  const a = Buffer.from(t.secret);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export { bootstrappersGroup };
