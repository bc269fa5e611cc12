// Certificates and keys on disk, through the host seam: kubeadm's file names and modes
// (certificates 0644, private keys and sa.pub 0600), every write atomic, and a key and its
// certificate written as one change, so a certificate on disk always has its key beside it.
import type { KeyObject, X509Certificate } from 'node:crypto';
import { CertificateError } from '../errors.js';
import type { Host } from '../host/host.js';
import { parseCertificates } from '../pki/certificate.js';
import { KeyParseError, encodePrivateKey, parsePrivateKey } from '../pki/keys.js';

export const certificateMode = 0o644;
export const privateKeyMode = 0o600;

/** `<dir>/<name>`, whatever trailing slashes `dir` was given with. */
export function fileIn(dir: string, name: string): string {
  return `${dir.replace(/\/+$/, '')}/${name}`;
}

export function certPath(dir: string, baseName: string): string {
  return fileIn(dir, `${baseName}.crt`);
}

export function keyPath(dir: string, baseName: string): string {
  return fileIn(dir, `${baseName}.key`);
}

export interface CertificateFile {
  readonly path: string;
  readonly pem: string;
  /** The first certificate in the file. */
  readonly leaf: X509Certificate;
  /** Any certificates after it (a chain to an intermediate CA). */
  readonly intermediates: readonly X509Certificate[];
}

/** A read that fails for a reason other than absence (a directory there, no permission) names the file. */
async function readable<T>(path: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === undefined) throw err;
    const why = code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : `${code}`;
    throw new CertificateError(path, `cannot read ${path}: ${why}`, {
      fix: code === 'EACCES' ? 'run tskubeadm as root' : `move ${path} out of the way, or put the PEM file it should be there`,
      cause: err,
    });
  }
}

/** The certificate file, or undefined when absent; a file that holds no certificate is an error. */
export async function readCertificateFile(host: Host, path: string): Promise<CertificateFile | undefined> {
  const pem = await readable(path, () => host.fs.readText(path));
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
  const pem = await readable(path, () => host.fs.read(path));
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

/** Writes a key and its certificate as one change: both are staged before either is renamed into place, the key
 *  first, so a failure leaves neither and a crash can at most leave the key (which the next run replaces). */
export async function writeKeyAndCertificate(host: Host, dir: string, baseName: string, key: KeyObject, certPem: string): Promise<void> {
  await host.fs.writeAll([
    { path: keyPath(dir, baseName), data: encodePrivateKey(key), mode: privateKeyMode },
    { path: certPath(dir, baseName), data: certPem, mode: certificateMode },
  ]);
}
