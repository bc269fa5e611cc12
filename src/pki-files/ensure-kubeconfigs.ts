// kubeadm's "use what is there, make what is missing" for the kubeconfig files of a control
// plane, one file at a time (each is its own phase). An existing file is kept when its current
// cluster trusts the cluster CA; a different server only warns; the client certificate inside is
// not checked (kubeadm trusts it). A missing file is signed by ca.key, which an external CA lacks.
// kubeadm: phases/kubeconfig/kubeconfig.go (validateKubeConfig, createKubeConfigFileIfNotExists).
import type { KeyObject, X509Certificate } from 'node:crypto';
import type { KubeconfigProfile } from '../../pki/kubeconfigs.js';
import type { APIEndpoint } from '../config/types.js';
import { CertificateError } from '../errors.js';
import { controlPlaneEndpointURL, localEndpointURL } from '../kubeconfig/endpoints.js';
import {
  clientCertificateKubeconfig, currentEntries, encodeKubeconfig, parseKubeconfig, type KubeconfigTarget,
} from '../kubeconfig/kubeconfig.js';
import { createCertificate, parseCertificates, type CAIssuer } from '../pki/certificate.js';
import { encodePrivateKey } from '../pki/keys.js';
import { clampToCA, clientCertificateSpec } from '../pki/profile-spec.js';
import { loadCA, profileNamed, type LoadedCA, type PkiRun } from './ensure-certs.js';
import { certPath, fileIn, keyPath } from './pki-files.js';

/** clientcmd.WriteToFile's mode: the files hold private keys. */
const kubeconfigMode = 0o600;

/** What a kubeconfig phase needs beyond the PKI run. */
export interface KubeconfigOptions {
  /** --kubeconfig-dir, /etc/kubernetes by default. */
  readonly kubeconfigDir: string;
  /** This node's API server, for the files that must not depend on a load balancer. */
  readonly localAPIEndpoint: APIEndpoint;
}

export function kubeconfigPath(dir: string, file: string): string {
  return fileIn(dir, file);
}

/** The cluster CA (ca.crt and, unless it is external, ca.key); its absence is an error. */
export async function loadClusterCA(run: Pick<PkiRun, 'host' | 'out' | 'certificatesDir' | 'startedAt'>): Promise<LoadedCA> {
  const profile = profileNamed('ca');
  const ca = await loadCA(run, profile);
  if (ca === undefined) {
    const cp = certPath(run.certificatesDir, profile.baseName);
    throw new CertificateError(cp, `couldn't create a kubeconfig: the CA certificate ${cp} does not exist`, {
      fix: 'run "tskubeadm init phase certs ca" first to make the cluster CA, or put your own CA there',
    });
  }
  return ca;
}

/** The cluster entry every file gets: its name, the server the profile says, the CA as Go's PEM. */
function kubeconfigTarget(
  run: Pick<PkiRun, 'id'>, profile: KubeconfigProfile, opts: KubeconfigOptions, ca: X509Certificate,
): KubeconfigTarget {
  const { cluster, nodeName } = run.id;
  return {
    clusterName: cluster.clusterName,
    server: profile.server === 'local' ? localEndpointURL(opts.localAPIEndpoint) : controlPlaneEndpointURL(cluster, opts.localAPIEndpoint),
    // Only the CA certificate itself, re-encoded, as kubeadm embeds it (never chains or comments from ca.crt).
    caPem: ca.toString(),
    user: typeof profile.user === 'string' ? profile.user : `system:node:${nodeName}`,
  };
}

/**
 * A kubeconfig (text) that authenticates with a new client certificate for `target.user` in
 * `groups`, signed by the CA; `name` (`"admin.conf"`) names it in the one warning this may print.
 */
export async function signedKubeconfig(
  run: Pick<PkiRun, 'out' | 'startedAt'>, target: KubeconfigTarget, groups: readonly string[], validityMs: number,
  issuer: CAIssuer, key: KeyObject, name: string,
): Promise<string> {
  const { spec, cutTo } = clampToCA(clientCertificateSpec(target.user, groups, run.startedAt, validityMs), issuer.certificate);
  if (cutTo) run.out.warn(`[kubeconfig] WARNING: the client certificate in ${name} would outlive its CA; it expires with the CA on ${cutTo.toISOString()}`);
  const certPem = await createCertificate(spec, key, issuer);
  return encodeKubeconfig(clientCertificateKubeconfig(target, certPem, encodePrivateKey(key)));
}

/** Writes `<kubeconfigDir>/<profile.file>` unless a usable one is there. */
export async function ensureKubeconfig(run: PkiRun, profile: KubeconfigProfile, opts: KubeconfigOptions): Promise<void> {
  const path = kubeconfigPath(opts.kubeconfigDir, profile.file);
  const ca = await loadClusterCA(run);
  const target = kubeconfigTarget(run, profile, opts, ca.file.leaf);
  const existing = await run.host.fs.readText(path);
  if (existing !== undefined) {
    await checkExisting(run, path, existing, target, ca);
    // kubeadm's wording in external CA mode, where the operator provides every file.
    run.out.info(ca.key === undefined
      ? `[kubeconfig] External CA mode: Using user provided ${profile.file}`
      : `[kubeconfig] Using existing kubeconfig file: "${path}"`);
    return;
  }
  if (ca.issuer === undefined) {
    const kp = keyPath(run.certificatesDir, profileNamed('ca').baseName);
    throw new CertificateError(path, `${path} is missing and the CA has no key (${kp}) to sign a client certificate for it`, {
      fix: `with an external CA you provide ${profile.file} yourself: a kubeconfig for user "${target.user}"` +
        `${profile.groups.length > 0 ? ` in group ${profile.groups.join(', ')}` : ''}, server ${target.server}, signed by your CA ` +
        '("tskubeadm certs generate-csr" writes its key and certificate request)',
    });
  }
  const key = await run.keys.take();
  const text = await signedKubeconfig(run, target, profile.groups, run.id.cluster.certificateValidityPeriodMs, ca.issuer, key, `"${profile.file}"`);
  run.out.info(`[kubeconfig] Writing "${profile.file}" kubeconfig file`);
  await run.host.fs.write(path, text, { mode: kubeconfigMode });
}

async function checkExisting(run: PkiRun, path: string, text: string, want: KubeconfigTarget, ca: LoadedCA): Promise<void> {
  const redo = `remove ${path} to have it written again`;
  const found = parseKubeconfig(text, path);
  const { cluster } = currentEntries(found);
  if (cluster === undefined) {
    throw new CertificateError(path, `the kubeconfig file ${path} has no cluster for its current context "${found.currentContext}"`, { fix: redo });
  }
  let caPem = cluster.certificateAuthorityData;
  if ((caPem ?? '').trim() === '' && cluster.certificateAuthority !== undefined && cluster.certificateAuthority !== '') {
    caPem = await readReferencedCA(run, cluster.certificateAuthority, path);
  }
  if (!isCertificate(caPem, ca.file.leaf)) {
    throw new CertificateError(path, `a kubeconfig file "${path}" exists already but has got the wrong CA cert`, {
      fix: `${redo} for the CA in ${ca.file.path} (whatever uses the old file needs the new one), or put back the CA it was made for`,
    });
  }
  if (cluster.server !== want.server) {
    run.out.warn(`[kubeconfig] WARNING: a kubeconfig file "${path}" exists already but has an unexpected API Server URL: expected: ${want.server}, got: ${cluster.server}`);
  }
}

/** The `certificate-authority` file a kubeconfig names; unreadable counts as no CA, after a warning. */
async function readReferencedCA(run: PkiRun, caFile: string, path: string): Promise<string | undefined> {
  try {
    const text = await run.host.fs.readText(caFile);
    if (text !== undefined) return text;
    run.out.warn(`[kubeconfig] WARNING: failed to load CA cert from "${caFile}" for kubeconfig "${path}": the file does not exist`);
  } catch (err) {
    run.out.warn(`[kubeconfig] WARNING: failed to load CA cert from "${caFile}" for kubeconfig "${path}": ${(err as Error).message}`);
  }
  return undefined;
}

/** kubeadm compares the PEM text, whitespace-trimmed; the same certificate wrapped differently is accepted too. */
function isCertificate(pem: string | undefined, ca: X509Certificate): boolean {
  if (pem === undefined) return false;
  if (pem.trim() === ca.toString().trim()) return true;
  try {
    return parseCertificates(pem)[0]?.raw.equals(ca.raw) ?? false;
  } catch {
    return false;
  }
}

