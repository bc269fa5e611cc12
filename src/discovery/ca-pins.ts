// CA public key pins (`--discovery-token-ca-cert-hash sha256:<hex>`): their format, and whether a CA bundle
// holds a pinned key. kubeadm: util/pubkeypin (Set.Allow, Set.CheckAny).
import { publicKeyPin } from '../pki/ca-hash.js';
import { parseCertificates } from '../pki/certificate.js';

/** A valid pin as publicKeyPin writes it (kubeadm compares the decoded bytes, so case does not matter). */
export function normalizePin(hash: string): string {
  return `sha256:${hash.slice(hash.indexOf(':') + 1).toLowerCase()}`;
}

/** The pins of every certificate in a CA bundle, and whether any is among `pins` (kubeadm: any may match). */
export function matchPins(caPem: string, pins: readonly string[]): { readonly matched: boolean; readonly presented: readonly string[] } {
  const allowed = new Set(pins.map(normalizePin));
  const presented = parseCertificates(caPem).map(publicKeyPin);
  return { matched: presented.some((p) => allowed.has(p)), presented };
}

/** How a user computes the pin of a CA on a control-plane node; works for RSA and ECDSA keys alike
 *  (the `openssl rsa -pubin` one-liner often quoted fails on ECDSA CAs). */
export const pinCommand =
  "openssl x509 -in /etc/kubernetes/pki/ca.crt -noout -pubkey | openssl pkey -pubin -outform der | sha256sum | sed 's/^/sha256:/; s/ .*//'";
