// The CA public key pin that `join --discovery-token-ca-cert-hash` takes: "sha256:" and the hex
// SHA-256 of the certificate's DER SubjectPublicKeyInfo. Hashing the certificate file (what
// sha256sum does) gives another value, a common stumbling block. kubeadm: util/pubkeypin.
import { createHash, type X509Certificate } from 'node:crypto';

export function publicKeyPin(cert: X509Certificate): string {
  const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(spki).digest('hex')}`;
}
