// Where each renewable certificate lives on disk and how to read it back: a certificate file
// under the certificates directory, or the client certificate embedded in the current-context
// user of a kubeconfig file. Reads go through the host seam; anything unreadable is a
// CertificateError naming the file.
import type { X509Certificate } from 'node:crypto';
import type { CertProfile } from '../../pki/certificates.js';
import type { ClusterConfiguration } from '../config/types.js';
import { CertificateError } from '../errors.js';
import type { Host } from '../host/host.js';
import { currentEntries, parseKubeconfig, type Kubeconfig, type KubeconfigUser } from '../kubeconfig/kubeconfig.js';
import type { Output } from '../output/output.js';
import { parseCertificates } from '../pki/certificate.js';
import type { LoadedCAs } from '../pki-files/ensure-certs.js';
import { kubeconfigPath } from '../pki-files/ensure-kubeconfigs.js';
import { certPath, keyPath, readCertificateFile, type CertificateFile } from '../pki-files/pki-files.js';
import type { RenewTarget } from './targets.js';

/** What one `certs` subcommand works with. */
export interface AdminRun {
  readonly host: Host;
  readonly out: Output;
  /** --cert-dir, else the configuration's certificatesDir. */
  readonly certificatesDir: string;
  /** --kubeconfig-dir, /etc/kubernetes by default. */
  readonly kubeconfigDir: string;
  readonly cluster: ClusterConfiguration;
  /** One moment for the whole command, from the host clock. */
  readonly now: Date;
  /** CAs read and checked so far (renew all signs a dozen certificates with three CAs). */
  readonly loadedCAs?: LoadedCAs;
}

/** The file that holds the target's certificate. */
export function targetPath(run: Pick<AdminRun, 'certificatesDir' | 'kubeconfigDir'>, target: RenewTarget): string {
  return target.kind === 'certificate'
    ? certPath(run.certificatesDir, target.profile.baseName)
    : kubeconfigPath(run.kubeconfigDir, target.profile.file);
}

export type TargetFile =
  | { readonly kind: 'certificate'; readonly path: string; readonly keyPath: string; readonly certificate: X509Certificate }
  | {
      readonly kind: 'kubeconfig';
      readonly path: string;
      readonly kubeconfig: Kubeconfig;
      /** The current context's user, which holds the embedded client certificate and key. */
      readonly user: KubeconfigUser;
      readonly certificate: X509Certificate;
    };

/** The target's current certificate, or undefined when its file does not exist. */
export async function readTarget(run: Pick<AdminRun, 'host' | 'certificatesDir' | 'kubeconfigDir'>, target: RenewTarget): Promise<TargetFile | undefined> {
  const path = targetPath(run, target);
  if (target.kind === 'certificate') {
    const file = await readCertificateFile(run.host, path);
    if (file === undefined) return undefined;
    return { kind: 'certificate', path, keyPath: keyPath(run.certificatesDir, target.profile.baseName), certificate: file.leaf };
  }
  const text = await run.host.fs.readText(path);
  if (text === undefined) return undefined;
  const kubeconfig = parseKubeconfig(text, path);
  const { user } = currentEntries(kubeconfig);
  const pem = user?.clientCertificateData;
  if (user === undefined || pem === undefined) {
    throw new CertificateError(path, `the kubeconfig file ${path} has no client certificate embedded for the user of its current context "${kubeconfig.currentContext}"`, {
      fix: `only kubeconfig files with an embedded client-certificate-data can be checked or renewed; remove ${path} and run "tskubeadm init phase kubeconfig ${target.profile.name}" to have it written again`,
    });
  }
  let certificate: X509Certificate | undefined;
  try {
    certificate = parseCertificates(pem)[0];
  } catch (err) {
    throw new CertificateError(path, `the client certificate embedded in ${path} is not a valid PEM certificate: ${(err as Error).message}`, { cause: err });
  }
  if (certificate === undefined) throw new CertificateError(path, `the client certificate embedded in ${path} holds no PEM "CERTIFICATE" block`);
  return { kind: 'kubeconfig', path, kubeconfig, user, certificate };
}

/** A CA's certificate (absent when its file is) and whether its key is beside it. */
export interface CAFiles {
  readonly file: CertificateFile | undefined;
  readonly keyPresent: boolean;
}

export async function readCAFiles(run: Pick<AdminRun, 'host' | 'certificatesDir'>, ca: CertProfile): Promise<CAFiles> {
  const [file, key] = await Promise.all([
    readCertificateFile(run.host, certPath(run.certificatesDir, ca.baseName)),
    run.host.fs.stat(keyPath(run.certificatesDir, ca.baseName)),
  ]);
  return { file, keyPresent: key !== undefined };
}

/** kubeadm's "externally managed": the CA certificate is here but its key is not, so nothing it signs can be renewed here. */
export function isExternal(ca: CAFiles): boolean {
  return ca.file !== undefined && !ca.keyPresent;
}
