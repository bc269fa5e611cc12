// Certificates and keys on disk, through the host seam: kubeadm's file names and modes
// (certificates 0644, private keys and sa.pub 0600), every write atomic, and the key of a pair
// written before its certificate, so a certificate on disk always has its key beside it.
import type { KeyObject, X509Certificate } from 'node:crypto';
import { CertificateError } from '../errors.js';
import type { Host } from '../host/host.js';
import { parseCertificates } from '../pki/certificate.js';
import { KeyParseError, encodePrivateKey, parsePrivateKey } from '../pki/keys.js';

export const certificateMode = 0o644;
export const privateKeyMode = 0o600;

export function certPath(dir: string, baseName: string): string {
  return `${dir.replace(/\/+$/, '')}/${baseName}.crt`;
}

export function keyPath(dir: string, baseName: string): string {
  return `${dir.replace(/\/+$/, '')}/${baseName}.key`;
}

export interface CertificateFile {
  readonly path: string;
  readonly pem: string;
  /** The first certificate in the file. */
  readonly leaf: X509Certificate;
  /** Any certificates after it (a chain to an intermediate CA). */
  readonly intermediates: readonly X509Certificate[];
}

/** The certificate file, or undefined when absent; a file that holds no certificate is an error. */
export async function readCertificateFile(host: Host, path: string): Promise<CertificateFile | undefined> {
  const pem = await host.fs.readText(path);
  if (pem === undefined) return undefined;
  let certs: X509Certificate[];
  try {
    certs = parseCertificates(pem);
  } catch (err) {
    throw new CertificateError(path, `${path} is not a valid PEM certificate: ${(err as Error).message}`, {
      fix: `replace ${path} with a PEM certificate, or remove it (and its key) to have a new one made`,
      cause: err,
    });
  }
  const [leaf, ...intermediates] = certs;
  if (leaf === undefined) {
    throw new CertificateError(path, `${path} holds no PEM "CERTIFICATE" block`, {
      fix: `replace ${path} with a PEM certificate, or remove it (and its key) to have a new one made`,
    });
  }
  return { path, pem, leaf, intermediates };
}

/** The private key, or undefined when absent; an unreadable key is an error. */
export async function readPrivateKeyFile(host: Host, path: string): Promise<KeyObject | undefined> {
  const pem = await host.fs.read(path);
  if (pem === undefined) return undefined;
  try {
    return parsePrivateKey(pem);
  } catch (err) {
    if (!(err instanceof KeyParseError)) throw err;
    throw new CertificateError(path, `the private key file ${path} cannot be used: ${err.message}`, {
      fix: `replace ${path} with its PEM private key, or remove it and its certificate to have a new pair made`,
      cause: err,
    });
  }
}

/** Writes a key and its certificate: the key first, so a certificate is never without its key. */
export async function writeKeyAndCertificate(host: Host, dir: string, baseName: string, key: KeyObject, certPem: string): Promise<void> {
  await host.fs.write(keyPath(dir, baseName), encodePrivateKey(key), { mode: privateKeyMode });
  await host.fs.write(certPath(dir, baseName), certPem, { mode: certificateMode });
}
