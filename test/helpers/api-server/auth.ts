// Authentication as kube-apiserver configures it for a kubeadm cluster: an x509 client certificate
// verified against ca.crt (CN = user, O = groups), then bootstrap-token bearer tokens checked against
// their Secrets, then anonymous. Any credential that is presented and fails gives 401, never anonymous.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { ResourceType } from '../../../src/api/resources.js';
import { resourceOf } from '../../../src/api/resources.js';
import { bootstrappersGroup, extraGroupsValid, isExpired, secretMatches, storedToken, tokenPattern } from './bootstrap-tokens.js';
import { unauthorized } from './status.js';
import type { Store } from './store.js';

export interface UserInfo {
  readonly name: string;
  readonly groups: readonly string[];
}

export const anonymous: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };
const authenticatedGroup = 'system:authenticated';

const withAuthenticated = (name: string, groups: readonly string[]): UserInfo =>
  ({ name, groups: groups.includes(authenticatedGroup) ? groups : [...groups, authenticatedGroup] });

/** Who sent the request; throws the 401 ApiFailure for a bad certificate or token. */
export function authenticate(req: IncomingMessage, store: Store, now: Date): UserInfo {
  const socket = req.socket as TLSSocket;
  const cert = socket.getPeerCertificate();
  const presentedCert = cert !== null && Object.keys(cert).length > 0;
  if (presentedCert && socket.authorized) {
    const cn = cert.subject.CN;
    const o = cert.subject.O;
    const groups = o === undefined ? [] : Array.isArray(o) ? o : [o];
    if (typeof cn === 'string' && cn !== '') return withAuthenticated(cn, groups);
  }
  const header = req.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    const user = match === null ? undefined : tokenUser(match[1]!, store, now);
    if (user !== undefined) return user;
    throw unauthorized();
  }
  if (presentedCert) throw unauthorized();
  return anonymous;
}

const secrets: ResourceType = resourceOf('Secret');

/** kube-apiserver's bootstrap token authenticator. */
function tokenUser(token: string, store: Store, now: Date): UserInfo | undefined {
  const m = tokenPattern.exec(token);
  if (m === null) return undefined;
  const secret = store.get(secrets, 'kube-system', `bootstrap-token-${m[1]!}`);
  if (secret === undefined) return undefined;
  const t = storedToken(secret);
  if (t === undefined || t.id !== m[1] || !secretMatches(t, m[2]!)) return undefined;
  if (isExpired(t, now) || !t.usages.has('authentication') || !extraGroupsValid(t)) return undefined;
  return withAuthenticated(`system:bootstrap:${t.id}`, [bootstrappersGroup, ...t.extraGroups]);
}
