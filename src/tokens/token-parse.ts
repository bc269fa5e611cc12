// Reading bootstrap tokens back: a Secret from the API (the reverse of token-secret.ts, as kubeadm's
// BootstrapTokenFromSecret), and the ID-or-token arguments of `token delete`.
// kubeadm: apis/bootstraptoken/v1/utils.go, cmd/token.go.
import type { KubeObject } from '../api/objects.js';
import { secretDataKeys, secretText } from '../api/secret-data.js';
import { parseRFC3339 } from '../config/rfc3339.js';
import { isValidBootstrapToken, tokenPatternText } from '../config/token.js';
import { ConfigError } from '../errors.js';
import { bootstrapTokenSecretPrefix, tokenIdOf, tokenSecretName, usageKeyPrefix } from './token-secret.js';

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

const tokenIdPattern = /^[a-z0-9]{6}$/;
/** Go's spelling of the ID pattern, as kubeadm prints it. */
export const tokenIdPatternText = '\\A([a-z0-9]{6})\\z';

/** The token in a bootstrap token Secret, or why it is not one (kubeadm skips such Secrets with a message). */
export function parseTokenSecret(secret: KubeObject): { token: BootstrapTokenView } | { problem: string } {
  const name = secret.metadata.name;
  const id = secretText(secret, 'token-id');
  if (id === '') return { problem: `bootstrap Token Secret has no token-id data: ${name}` };
  if (name !== tokenSecretName(id)) {
    return {
      problem: `bootstrap token name is not of the form '${bootstrapTokenSecretPrefix}(token-id)'. Actual: "${name}". Expected: "${tokenSecretName(id)}"`,
    };
  }
  const secretPart = secretText(secret, 'token-secret');
  if (secretPart === '') return { problem: `bootstrap Token Secret has no token-secret data: ${name}` };
  const token = `${id}.${secretPart}`;
  // Unlike kubeadm, the message never repeats the secret half.
  if (!isValidBootstrapToken(token)) {
    return { problem: `bootstrap Token Secret is invalid and couldn't be parsed: ${name}: its token-id and token-secret do not form a token of the form "${tokenPatternText}"` };
  }
  const expirationText = secretText(secret, 'expiration');
  let expires: Date | undefined;
  if (expirationText !== '') {
    expires = parseRFC3339(expirationText);
    if (expires === undefined) return { problem: `can't parse expiration time of bootstrap token "${name}": "${expirationText}" is not an RFC 3339 time` };
  }
  const usages = secretDataKeys(secret).filter((k) => k.startsWith(usageKeyPrefix) && secretText(secret, k) === 'true').map((k) => k.slice(usageKeyPrefix.length)).sort();
  const groupsText = secretText(secret, 'auth-extra-groups');
  return {
    token: {
      token,
      id,
      description: secretText(secret, 'description'),
      expires,
      usages,
      groups: groupsText === '' ? [] : groupsText.split(','),
    },
  };
}

/** The token ID of a `token delete` argument: an ID, or a whole token whose ID is taken. */
export function parseTokenOrId(arg: string): string {
  if (tokenIdPattern.test(arg)) return arg;
  if (isValidBootstrapToken(arg)) return tokenIdOf(arg);
  // As kubeadm, the argument is not repeated: it may be a mistyped secret.
  throw new ConfigError(`given token didn't match pattern "${tokenPatternText}" or "${tokenIdPatternText}"`, {
    fix: 'give a token ID (6 characters of [a-z0-9]) or a whole token <id>.<secret>, as `tskubeadm token list` shows them',
  });
}
