// The cluster-info signatures: a JWS compact serialization with a detached payload (RFC 7515
// appendix F), HS256 keyed with the bootstrap token's secret. kube-controller-manager's
// bootstrapsigner writes them into kube-public/cluster-info as `jws-kubeconfig-<token-id>`; join
// discovery checks them. node:crypto's HMAC is the whole algorithm, so no JOSE library is needed.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The data key of the signature for a token ID. */
export const jwsKeyPrefix = 'jws-kubeconfig-';

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** go-jose writes the protected header with its keys in this order; the bytes are part of the signed input. */
function protectedHeader(tokenId: string): string {
  return b64url(JSON.stringify({ alg: 'HS256', kid: tokenId }));
}

/** `<header>..<signature>` over `payload` (the exact kubeconfig text of cluster-info). */
export function signDetached(payload: string, tokenId: string, tokenSecret: string): string {
  const header = protectedHeader(tokenId);
  const mac = createHmac('sha256', tokenSecret).update(`${header}.${b64url(payload)}`).digest();
  return `${header}..${b64url(mac)}`;
}

/** Whether `jws` is this token's detached signature of `payload`, compared in constant time. */
export function verifyDetached(jws: string, payload: string, tokenId: string, tokenSecret: string): boolean {
  const expected = Buffer.from(signDetached(payload, tokenId, tokenSecret));
  const given = Buffer.from(jws);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
