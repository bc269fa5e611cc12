// The compact join string (tskubeadm's own, not kubeadm's): one opaque, URL- and shell-safe value carrying the
// API server endpoint, the bootstrap token and every CA pin, so automation that passes a single value along
// can never drop the pin and fall back to trusting whatever answers.
//
//   tskj1.<base64url(payload || check)>
//   payload = u8 endpoint length, endpoint (UTF-8 host:port), 22 bytes token id+secret ([a-z0-9], no dot),
//             u8 pin count (>= 1), 32 bytes per pin (the SHA-256 of the CA's SubjectPublicKeyInfo)
//   check   = the first 4 bytes of SHA-256("tskj1." || payload)
// The check makes a mistyped or truncated value fail loudly (1 in 4 billion to slip through) instead of
// joining with a wrong or missing pin. The version in the prefix lets a later format be told apart.
import { createHash } from 'node:crypto';
import { isValidBootstrapToken } from '../config/token.js';
import { ConfigError } from '../errors.js';

export const joinStringVersion = 1;
const prefix = `tskj${joinStringVersion}.`;
const checkBytes = 4;
const pinBytes = 32;
const tokenBytes = 22;

export interface JoinStringContent {
  /** `host:port`, IPv6 hosts in brackets. */
  readonly endpoint: string;
  /** `<id>.<secret>` */
  readonly token: string;
  /** `sha256:<64 hex>`, at least one. */
  readonly caCertHashes: readonly string[];
}

const checksum = (payload: Buffer) => createHash('sha256').update(prefix).update(payload).digest().subarray(0, checkBytes);

/** The join string of an endpoint, token and pins; throws on values that cannot be carried. */
export function encodeJoinString(c: JoinStringContent): string {
  const endpoint = Buffer.from(c.endpoint, 'utf8');
  if (endpoint.length === 0 || endpoint.length > 255) throw new RangeError(`the endpoint "${c.endpoint}" cannot be put in a join string (1 to 255 bytes)`);
  if (!isValidBootstrapToken(c.token)) throw new RangeError('the token cannot be put in a join string: it is not of the form [a-z0-9]{6}.[a-z0-9]{16}');
  if (c.caCertHashes.length === 0 || c.caCertHashes.length > 255) throw new RangeError('a join string carries 1 to 255 CA pins');
  const pins = c.caCertHashes.map((h) => {
    const m = /^sha256:([0-9a-fA-F]{64})$/.exec(h);
    if (m === null) throw new RangeError(`the CA pin "${h}" is not sha256:<64 hex digits>`);
    return Buffer.from(m[1]!, 'hex');
  });
  const payload = Buffer.concat([
    Buffer.from([endpoint.length]), endpoint, Buffer.from(c.token.replace('.', ''), 'ascii'), Buffer.from([pins.length]), ...pins,
  ]);
  return `${prefix}${Buffer.concat([payload, checksum(payload)]).toString('base64url')}`;
}

const fix = "copy the whole value again from 'tskubeadm token create --print-join-string' (or -o json's joinString) on a control-plane node";
const bad = (why: string) => new ConfigError([{ field: '--join-string', message: why }], { fix });

/** The endpoint, token and pins of a join string; a ConfigError (exit 3) for anything damaged or unknown. */
export function decodeJoinString(text: string): JoinStringContent {
  const s = text.trim();
  const version = /^tskj([0-9]+)\./.exec(s);
  if (version === null) throw bad('this is not a tskubeadm join string (it must start with "tskj1.")');
  if (Number(version[1]) !== joinStringVersion) {
    throw new ConfigError([{ field: '--join-string', message: `join string version ${version[1]} is not supported: this tskubeadm reads version ${joinStringVersion}` }], {
      fix: 'use a tskubeadm as new as the one that printed it, or print a version-1 string with this one',
    });
  }
  const body = s.slice(prefix.length);
  if (!/^[A-Za-z0-9_-]+$/.test(body)) throw bad('the join string holds characters that are not base64url (A-Z a-z 0-9 - _): it was altered in transit');
  const raw = Buffer.from(body, 'base64url');
  const damaged = bad('the join string is damaged or incomplete (its checksum does not match): it was mistyped or cut off');
  if (raw.length < 1 + 1 + tokenBytes + 1 + pinBytes + checkBytes) throw damaged;
  const payload = raw.subarray(0, raw.length - checkBytes);
  if (!checksum(payload).equals(raw.subarray(raw.length - checkBytes))) throw damaged;
  const endpointLength = payload[0]!;
  let at = 1;
  const endpoint = payload.subarray(at, at + endpointLength).toString('utf8');
  at += endpointLength;
  const tokenRaw = payload.subarray(at, at + tokenBytes).toString('ascii');
  at += tokenBytes;
  const count = payload[at] ?? 0;
  at += 1;
  if (payload.length !== at + count * pinBytes || count === 0) throw damaged;
  const caCertHashes: string[] = [];
  for (let i = 0; i < count; i++, at += pinBytes) caCertHashes.push(`sha256:${payload.subarray(at, at + pinBytes).toString('hex')}`);
  const token = `${tokenRaw.slice(0, 6)}.${tokenRaw.slice(6)}`;
  if (!isValidBootstrapToken(token) || endpoint === '') throw damaged;
  return { endpoint, token, caCertHashes };
}
