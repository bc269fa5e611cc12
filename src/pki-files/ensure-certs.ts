// kubeadm's "use what is there, make what is missing" for the cluster PKI, one certificate at a
// time (each is its own phase). An existing CA is reused; a CA certificate without its key is an
// external CA, whose leaves must already exist. An existing leaf is kept only when it is in its
// validity period, signed by its CA, matches its key and carries every SAN the config asks for;
// otherwise the run stops with the file and the reason, overwriting nothing.
// kubeadm: cmd/phases/init/certs.go (runCAPhase, runCertPhase, runCertsSa), phases/certs/certs.go.
import type { KeyObject } from 'node:crypto';
import { certProfiles, serviceAccountKey, type CertProfile } from '../../pki/certificates.js';
import type { ClusterConfiguration } from '../config/types.js';
import { CertificateError } from '../errors.js';
import type { Host } from '../host/host.js';
import type { Output } from '../output/output.js';
import type { NodeIdentity } from '../pki/alt-names.js';
import { caIssuer, createCertificate, type CAIssuer, type CertificateSpec } from '../pki/certificate.js';
import { missingAltNames, notAfter, periodProblem, signedBy } from '../pki/inspect.js';
import type { KeyPool } from '../pki/key-pool.js';
import { encodePrivateKey, encodePublicKey, keysMatch } from '../pki/keys.js';
import { certificateSpec, clampToCA } from '../pki/profile-spec.js';
import {
  certPath, fileIn, keyPath, privateKeyMode, readCertificateFile, readPrivateKeyFile, writeKeyAndCertificate, type CertificateFile,
} from './pki-files.js';

/** What one run of the certs phases works with. */
export interface PkiRun {
  readonly host: Host;
  readonly out: Output;
  readonly certificatesDir: string;
  readonly id: NodeIdentity;
  /** One moment for the whole run, as kubeadm's single creation time. */
  readonly startedAt: Date;
  readonly keys: KeyPool;
  readonly loadedCAs?: LoadedCAs;
}

export function profileNamed(name: string): CertProfile {
  const p = certProfiles.find((c) => c.name === name);
  if (p === undefined) throw new Error(`no certificate profile named ${name}`);
  return p;
}

/** Whether this cluster needs the certificate (the etcd ones only with a local etcd). */
export function isNeeded(profile: CertProfile, cluster: ClusterConfiguration): boolean {
  return !profile.localEtcdOnly || cluster.etcd.local !== undefined;
}

export interface LoadedCA {
  readonly file: CertificateFile;
  /** Absent for an external CA. */
  readonly key: KeyObject | undefined;
  /** What signs with it; absent for an external CA. */
  readonly issuer: CAIssuer | undefined;
}

/** CAs already read and checked in this run, by certificate path: once per run, not once per certificate they sign. */
export type LoadedCAs = Map<string, LoadedCA>;

/** A CA from disk, checked as kubeadm does; undefined when its certificate is absent. */
export async function loadCA(
  run: Pick<PkiRun, 'host' | 'out' | 'certificatesDir' | 'startedAt'> & { readonly loadedCAs?: LoadedCAs }, ca: CertProfile,
): Promise<LoadedCA | undefined> {
  const path = certPath(run.certificatesDir, ca.baseName);
  const known = run.loadedCAs?.get(path);
  if (known !== undefined) return known;
  const file = await readCertificateFile(run.host, path);
  if (file === undefined) return undefined;
  const expiry = notAfter(file.leaf);
  if (expiry < run.startedAt) {
    // kubeadm only warns; but nothing signed by an expired CA verifies, so going on builds a dead cluster.
    throw new CertificateError(file.path, `the ${ca.name} CA certificate ${file.path} expired on ${expiry.toISOString()}`, {
      fix: `replace the CA (and everything it signed) with a valid one, or remove ${file.path} and its key to have a new CA made`,
    });
  }
  warnPeriod(run, ca.baseName, file);
  if (!file.leaf.ca) {
    throw new CertificateError(file.path, `certificate ${file.path} is not a CA`, {
      fix: `put the ${ca.name} CA certificate at ${file.path}, or remove it to have a new CA made`,
    });
  }
  const kp = keyPath(run.certificatesDir, ca.baseName);
  const key = await readPrivateKeyFile(run.host, kp);
  if (key !== undefined && !keysMatch(key, file.leaf.publicKey)) {
    throw new CertificateError(kp, `the private key ${kp} does not belong to the certificate ${file.path}`, {
      fix: `put the CA's own key at ${kp}, or remove it to use the CA as an external CA`,
    });
  }
  const loaded = { file, key, issuer: key === undefined ? undefined : caIssuer(file.leaf, key) };
  run.loadedCAs?.set(path, loaded);
  return loaded;
}

export async function ensureCA(run: PkiRun, profile: CertProfile): Promise<void> {
  const existing = await loadCA(run, profile);
  if (existing !== undefined) {
    run.out.info(`[certs] Using existing ${profile.baseName} ${existing.key === undefined ? 'keyless ' : ''}certificate authority`);
    return;
  }
  run.out.info(`[certs] Generating "${profile.baseName}" certificate and key`);
  const rendered = certificateSpec(profile, run.id, run.startedAt);
  const key = await run.keys.take();
  const pem = await createCertificate(rendered.spec, key, { selfSigned: true });
  await writeKeyAndCertificate(run.host, run.certificatesDir, profile.baseName, key, pem);
}

export async function ensureLeaf(run: PkiRun, profile: CertProfile): Promise<void> {
  const caProfile = profileNamed(profile.ca!);
  const rendered = certificateSpec(profile, run.id, run.startedAt);
  for (const w of rendered.warnings) run.out.warn(w);
  const cp = certPath(run.certificatesDir, profile.baseName);
  const kp = keyPath(run.certificatesDir, profile.baseName);
  const file = await readCertificateFile(run.host, cp);
  const ca = await loadCA(run, caProfile);
  if (file !== undefined) {
    await checkExistingLeaf(run, profile, file, kp, ca, rendered.spec);
    run.out.info(`[certs] Using existing ${profile.baseName} certificate and key on disk`);
    return;
  }
  // A key without its certificate is what an interrupted write leaves: it is replaced.
  if (ca === undefined) {
    throw new CertificateError(certPath(run.certificatesDir, caProfile.baseName),
      `couldn't load CA certificate ${caProfile.name}: ${certPath(run.certificatesDir, caProfile.baseName)} does not exist`, {
        fix: `run "tskubeadm init phase certs ${caProfile.name}" first, or put your CA there`,
      });
  }
  if (ca.issuer === undefined) {
    throw new CertificateError(cp, `${cp} is missing and the ${caProfile.name} CA has no key (${keyPath(run.certificatesDir, caProfile.baseName)}) to sign a new one`, {
      fix: `with an external CA, sign ${profile.baseName}.crt and .key yourself (tskubeadm certs generate-csr writes the requests)`,
    });
  }
  run.out.info(`[certs] Generating "${profile.baseName}" certificate and key`);
  const { spec, cutTo } = clampToCA(rendered.spec, ca.file.leaf);
  if (cutTo) run.out.warn(`[certs] WARNING: "${profile.baseName}" would outlive its CA; it expires with the CA on ${cutTo.toISOString()}`);
  const key = await run.keys.take();
  const pem = await createCertificate(spec, key, ca.issuer);
  await writeKeyAndCertificate(run.host, run.certificatesDir, profile.baseName, key, pem);
  if (profile.usages.includes('serverAuth')) {
    run.out.info(`[certs] ${profile.baseName} serving cert is signed for DNS names [${spec.dnsNames.join(' ')}] and IPs [${spec.ips.join(' ')}]`);
  }
}

async function checkExistingLeaf(
  run: PkiRun, profile: CertProfile, file: CertificateFile, kp: string, ca: LoadedCA | undefined, spec: CertificateSpec,
): Promise<void> {
  const redo = `remove ${file.path} and ${kp} and run the phase again to have a new pair made`;
  warnPeriod(run, profile.baseName, file);
  const key = await readPrivateKeyFile(run.host, kp);
  if (key === undefined) {
    throw new CertificateError(kp, `the certificate ${file.path} exists but its private key ${kp} does not`, { fix: `put its key at ${kp}, or ${redo}` });
  }
  if (!keysMatch(key, file.leaf.publicKey)) {
    throw new CertificateError(kp, `the private key ${kp} does not belong to the certificate ${file.path}`, { fix: redo });
  }
  const caCertPath = certPath(run.certificatesDir, profileNamed(profile.ca!).baseName);
  if (ca === undefined) {
    throw new CertificateError(caCertPath, `couldn't load CA certificate ${profile.ca!}: ${caCertPath} does not exist`, {
      fix: `put the CA that signed ${file.path} at ${caCertPath}`,
    });
  }
  if (!signedBy(file.leaf, file.intermediates, ca.file.leaf)) {
    throw new CertificateError(file.path, `certificate ${file.path} is not signed by the CA in ${caCertPath}`, { fix: redo });
  }
  const missing = missingAltNames(file.leaf, { dnsNames: spec.dnsNames, ips: spec.ips });
  if (missing.length > 0) {
    throw new CertificateError(file.path, `certificate ${file.path} is invalid: it lacks the SANs ${missing.join(', ')} that the configuration asks for`, {
      fix: redo,
    });
  }
}

function warnPeriod(run: Pick<PkiRun, 'out' | 'startedAt'>, name: string, file: CertificateFile): void {
  const problem = periodProblem(name, file.leaf, run.startedAt);
  if (problem !== undefined) run.out.warn(`[certs] WARNING: ${problem}`);
}

/** sa.key and sa.pub: an existing key is reused (its public half rewritten if missing). With an external
 *  cluster CA the operator provides every key, sa.key included, so a missing one is an error. */
export async function ensureServiceAccountKey(run: PkiRun): Promise<void> {
  const privPath = fileIn(run.certificatesDir, serviceAccountKey.privateKeyFile);
  const pubPath = fileIn(run.certificatesDir, serviceAccountKey.publicKeyFile);
  const existing = await readPrivateKeyFile(run.host, privPath);
  const ca = await loadCA(run, profileNamed('ca'));
  if (ca !== undefined && ca.issuer === undefined) {
    if (existing === undefined) {
      throw new CertificateError(privPath, `external CA mode: the service-account key ${privPath} is missing`, {
        fix: `provide the service-account key pair (${serviceAccountKey.privateKeyFile} and ${serviceAccountKey.publicKeyFile}) with the other certificates`,
      });
    }
    run.out.info('[certs] Using existing sa keys');
    return;
  }
  if (existing !== undefined) {
    run.out.info(`[certs] Using the existing "sa" key`);
    if ((await run.host.fs.stat(pubPath)) === undefined) {
      await run.host.fs.write(pubPath, encodePublicKey(existing), { mode: privateKeyMode });
    }
    return;
  }
  run.out.info(`[certs] Generating "sa" key and public key`);
  const key = await run.keys.take();
  await run.host.fs.writeAll([
    { path: privPath, data: encodePrivateKey(key), mode: privateKeyMode },
    { path: pubPath, data: encodePublicKey(key), mode: privateKeyMode },
  ]);
}
