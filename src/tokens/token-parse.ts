// Reading bootstrap tokens back: a Secret from the API (the reverse of token-secret.ts, as kubeadm's
// BootstrapTokenFromSecret), and the ID-or-token arguments of `token delete`.
// kubeadm: apis/bootstraptoken/v1/utils.go, cmd/token.go.
import type { KubeObject } from '../api/objects.js';
import { tokenPatternText } from '../config/token.js';
import { ConfigError } from '../errors.js';
import { bootstrapTokenSecretPrefix, tokenSecretName } from './token-secret.js';

/** A token as stored in the cluster. */
export interface BootstrapTokenView {
  /** `<id>.<secret>` */
  readonly token: string;
  readonly id: string;
  /** Empty when the Secret has none. */
  readonly description: string;
  /** Undefined: the token never expires. */
  readonly expires: Date | undefined;
  /** The `usage-bootstrap-<usage>` keys whose value is exactly "true", sorted. */
  readonly usages: readonly string[];
  readonly groups: readonly string[];
}

const usagePrefix = 'usage-bootstrap-';
const tokenIdPattern = /^[a-z0-9]{6}$/;
const tokenPattern = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
/** Go's spelling of the ID pattern, as kubeadm prints it. */
export const tokenIdPatternText = '\\A([a-z0-9]{6})\\z';

/** The decoded value of a data key; '' when absent, as cluster-bootstrap's GetData. */
function dataOf(secret: KubeObject, key: string): string {
  const data = secret.data;
  if (typeof data !== 'object' || data === null) return '';
  const v = (data as Record<string, unknown>)[key];
  return typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : '';
}

/** The token in a bootstrap token Secret, or why it is not one (kubeadm skips such Secrets with a message). */
export function parseTokenSecret(secret: KubeObject): { token: BootstrapTokenView } | { problem: string } {
  const name = secret.metadata.name;
  const id = dataOf(secret, 'token-id');
  if (id === '') return { problem: `bootstrap Token Secret has no token-id data: ${name}` };
  if (name !== tokenSecretName(id)) {
    return {
      problem: `bootstrap token name is not of the form '${bootstrapTokenSecretPrefix}(token-id)'. Actual: "${name}". Expected: "${tokenSecretName(id)}"`,
    };
  }
  const secretPart = dataOf(secret, 'token-secret');
  if (secretPart === '') return { problem: `bootstrap Token Secret has no token-secret data: ${name}` };
  const token = `${id}.${secretPart}`;
  // Unlike kubeadm, the message never repeats the secret half.
  if (!tokenPattern.test(token)) {
    return { problem: `bootstrap Token Secret is invalid and couldn't be parsed: ${name}: its token-id and token-secret do not form a token of the form "${tokenPatternText}"` };
  }
  const expirationText = dataOf(secret, 'expiration');
  let expires: Date | undefined;
  if (expirationText !== '') {
    expires = parseRFC3339(expirationText);
    if (expires === undefined) return { problem: `can't parse expiration time of bootstrap token "${name}": "${expirationText}" is not an RFC 3339 time` };
  }
  const data = typeof secret.data === 'object' && secret.data !== null ? Object.keys(secret.data) : [];
  const usages = data.filter((k) => k.startsWith(usagePrefix) && dataOf(secret, k) === 'true').map((k) => k.slice(usagePrefix.length)).sort();
  const groupsText = dataOf(secret, 'auth-extra-groups');
  return {
    token: {
      token,
      id,
      description: dataOf(secret, 'description'),
      expires,
      usages,
      groups: groupsText === '' ? [] : groupsText.split(','),
    },
  };
}

const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** Go's time.Parse(time.RFC3339, s): fractions and any zone offset accepted, fields checked for range. */
export function parseRFC3339(s: string): Date | undefined {
  const m = rfc3339.exec(s);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return undefined;
  const zone = m[8]!.toUpperCase();
  if (zone !== 'Z' && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(4, 6)) > 59)) return undefined;
  const d = new Date(s.toUpperCase());
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** The token ID of a `token delete` argument: an ID, or a whole token whose ID is taken. */
export function parseTokenOrId(arg: string): string {
  if (tokenIdPattern.test(arg)) return arg;
  const m = tokenPattern.exec(arg);
  if (m !== null) return m[1]!;
  // As kubeadm, the argument is not repeated: it may be a mistyped secret.
  throw new ConfigError(`given token didn't match pattern "${tokenPatternText}" or "${tokenIdPatternText}"`, {
    fix: 'give a token ID (6 characters of [a-z0-9]) or a whole token <id>.<secret>, as `tskubeadm token list` shows them',
  });
}
