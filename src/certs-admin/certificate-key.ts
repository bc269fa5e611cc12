// The key `init --upload-certs` and `join --certificate-key` use to encrypt and decrypt the
// control-plane certificates in the kubeadm-certs Secret: AES-256, shown as 64 hex digits.
// kubeadm: phases/copycerts (CreateCertificateKey).
import { randomBytes } from 'node:crypto';

export const certificateKeyBytes = 32;

/** A new random certificate key, as 64 lowercase hex characters. */
export function newCertificateKey(): string {
  return randomBytes(certificateKeyBytes).toString('hex');
}
