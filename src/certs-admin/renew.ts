// `certs renew`: re-sign certificates with their local CA. Unlike kubeadm, which makes a new
// key, the existing private key is kept, so whatever pinned or copied the key keeps working;
// subject, SANs and usages come from the existing certificate, the period is new. A renewed
// kubeconfig keeps its key and gets the CA on disk. Files keep their modes; each write is atomic.
// kubeadm: cmd/certs.go (renewCert), phases/certs/renewal (manager.go, readwriter.go).
import type { KeyObject } from 'node:crypto';
import { CertificateError, TskubeadmError } from '../errors.js';
import { encodeKubeconfig, type Kubeconfig } from '../kubeconfig/kubeconfig.js';
import { createCertificate } from '../pki/certificate.js';
import { KeyParseError, keysMatch, parsePrivateKey } from '../pki/keys.js';
import { loadCA } from '../pki-files/ensure-certs.js';
import { certPath, certificateMode, keyPath, readPrivateKeyFile } from '../pki-files/pki-files.js';
import { renewalSpec } from './renewal-spec.js';
import { podsToRestart, type RenewTarget } from './targets.js';
import { readTarget, targetPath, type AdminRun, type TargetFile } from './target-files.js';

/** Where kubelet watches for static pod manifests (kubeadm's constant). */
const manifestsDir = '/etc/kubernetes/manifests';
/** clientcmd's mode for a kubeconfig, used only when the old file's mode cannot be read. */
const kubeconfigMode = 0o600;

export type RenewResult = 'renewed' | 'missing';

/** Renews one target in place; 'missing' when its file does not exist. Throws CertificateError when it cannot be renewed. */
export async function renewTarget(run: AdminRun, target: RenewTarget): Promise<RenewResult> {
  const file = await readTarget(run, target);
  if (file === undefined) return 'missing';
  const caCert = certPath(run.certificatesDir, target.ca.baseName);
  const caKey = keyPath(run.certificatesDir, target.ca.baseName);
  const ca = await loadCA({ ...run, startedAt: run.now }, target.ca);
  if (ca === undefined) {
    throw new CertificateError(caCert, `${target.name} can't be renewed: its CA certificate ${caCert} does not exist`, {
      fix: `put back the ${target.ca.name} CA (${caCert} and ${caKey}) that signs it`,
    });
  }
  if (ca.issuer === undefined) {
    throw new CertificateError(caKey, `${target.name} can't be renewed here: its CA ${caCert} is external (its key ${caKey} is not on this machine)`, {
      fix: `have that CA sign a new certificate for the key of ${file.path}, and put it in place of the old one`,
    });
  }
  const key = await keyOf(run, file);
  const renewal = renewalSpec(file.certificate, ca.file.leaf, run.now, run.cluster.certificateValidityPeriodMs);
  if (renewal.cutToCA) {
    run.out.warn(`[renew] WARNING: ${target.name} would outlive the ${target.ca.name} CA; it expires with the CA on ${renewal.spec.notAfter.toISOString()}`);
  }
  if (renewal.droppedUsages.length > 0) {
    run.out.warn(`[renew] WARNING: ${target.name} loses the extended key usages it had beyond serverAuth and clientAuth: ${renewal.droppedUsages.join(', ')}`);
  }
  const pem = await createCertificate(renewal.spec, key, ca.issuer);
  const mode = await modeOf(run, file.path);
  if (file.kind === 'certificate') {
    await run.host.fs.write(file.path, pem, { mode: mode ?? certificateMode });
  } else {
    await run.host.fs.write(file.path, encodeKubeconfig(withClientCertificate(file, pem, ca.file.leaf.toString())), { mode: mode ?? kubeconfigMode });
  }
  run.out.info(`${target.longName} renewed`);
  return 'renewed';
}

/** The private key the certificate is for: kept as it is, so it must be there and match. */
async function keyOf(run: AdminRun, file: TargetFile): Promise<KeyObject> {
  const redo = (what: string) => `remove ${what} and run the matching "tskubeadm init phase" to have a new pair made`;
  if (file.kind === 'certificate') {
    const key = await readPrivateKeyFile(run.host, file.keyPath);
    if (key === undefined) {
      throw new CertificateError(file.keyPath, `${file.path} can't be renewed: its private key ${file.keyPath} does not exist`, {
        fix: `put its key back at ${file.keyPath}, or ${redo(file.path)}`,
      });
    }
    if (!keysMatch(key, file.certificate.publicKey)) {
      throw new CertificateError(file.keyPath, `the private key ${file.keyPath} does not belong to the certificate ${file.path}`, { fix: redo(`${file.path} and ${file.keyPath}`) });
    }
    return key;
  }
  const pem = file.user.clientKeyData;
  if (pem === undefined) {
    throw new CertificateError(file.path, `${file.path} can't be renewed: it has no client-key-data for its user "${file.user.name}"`, { fix: redo(file.path) });
  }
  let key: KeyObject;
  try {
    key = parsePrivateKey(pem);
  } catch (err) {
    if (!(err instanceof KeyParseError)) throw err;
    throw new CertificateError(file.path, `the client key embedded in ${file.path} cannot be used: ${err.message}`, { fix: redo(file.path), cause: err });
  }
  if (!keysMatch(key, file.certificate.publicKey)) {
    throw new CertificateError(file.path, `the client key embedded in ${file.path} does not belong to its client certificate`, { fix: redo(file.path) });
  }
  return key;
}

/** The same kubeconfig, its current user holding the new certificate and its current cluster the CA on disk. */
function withClientCertificate(file: Extract<TargetFile, { kind: 'kubeconfig' }>, certPem: string, caPem: string): Kubeconfig {
  const k = file.kubeconfig;
  const context = k.contexts.find((c) => c.name === k.currentContext);
  return {
    ...k,
    // A cluster that names a CA file keeps it: setting both is an error for kubectl.
    clusters: k.clusters.map((c) => (c.name === context?.cluster && c.certificateAuthority === undefined ? { ...c, certificateAuthorityData: caPem } : c)),
    users: k.users.map((u) => (u.name === file.user.name ? { ...u, clientCertificateData: certPem } : u)),
  };
}

async function modeOf(run: AdminRun, path: string): Promise<number | undefined> {
  const info = await run.host.fs.stat(path);
  return info?.kind === 'file' ? info.mode : undefined;
}

/**
 * `certs renew <target>` or `certs renew all`. One target: any problem is an error. All: a missing
 * file is reported (kubeadm's `MISSING!` line) and skipped, every other problem is warned about and
 * the rest are renewed; the command then fails, naming what was not renewed.
 */
export async function renew(given: AdminRun, targets: readonly RenewTarget[], opts: { readonly all: boolean }): Promise<void> {
  const run: AdminRun = { ...given, loadedCAs: given.loadedCAs ?? new Map() };
  const renewed: RenewTarget[] = [];
  const failed: { target: RenewTarget; error: TskubeadmError }[] = [];
  for (const target of targets) {
    try {
      if ((await renewTarget(run, target)) === 'renewed') renewed.push(target);
      else if (opts.all) run.out.info(`MISSING! ${target.longName}`);
      else throw missingError(run, target);
    } catch (err) {
      if (!opts.all || !(err instanceof TskubeadmError)) throw err;
      run.out.warn(`[renew] WARNING: ${err.message}`);
      failed.push({ target, error: err });
    }
  }
  if (renewed.length > 0) for (const line of restartNotice(renewed)) run.out.info(line);
  if (failed.length > 0) {
    const first = failed[0]!;
    const fix = failed.length === 1 ? first.error.fix : 'the warnings above say what each one needs';
    throw new CertificateError(first.error instanceof CertificateError ? first.error.path : targetPath(run, first.target),
      `${failed.length} certificate${failed.length === 1 ? ' was' : 's were'} not renewed: ${failed.map((f) => f.target.name).join(', ')}`,
      { ...(fix === undefined ? {} : { fix }), cause: first.error });
  }
}

function missingError(run: AdminRun, target: RenewTarget): CertificateError {
  const path = targetPath(run, target);
  const phase = target.kind === 'certificate' ? `certs ${target.profile.name}` : `kubeconfig ${target.profile.name}`;
  return new CertificateError(path, `${target.name} can't be renewed: ${path} does not exist`, {
    fix: `make it with "tskubeadm init phase ${phase}", or point ${target.kind === 'certificate' ? '--cert-dir' : '--kubeconfig-dir'} at the directory that holds it`,
  });
}

/** What to do after renewing: restart only the static pods that load a renewed certificate at start-up. */
export function restartNotice(renewed: readonly RenewTarget[]): string[] {
  const pods = podsToRestart(renewed);
  const lines = [''];
  if (pods.length === 0) {
    lines.push('Done renewing certificates. No static pod needs a restart: what uses them reads the files afresh.');
  } else {
    const names = pods.length === 1 ? pods[0]! : `${pods.slice(0, -1).join(', ')} and ${pods[pods.length - 1]!}`;
    lines.push(`Done renewing certificates. Restart ${names} so that ${pods.length === 1 ? 'it loads' : 'they load'} the new certificates: ` +
      `move ${pods.length === 1 ? 'its manifest' : 'each manifest'} out of ${manifestsDir}, wait until the container stops, and move it back.`);
  }
  if (renewed.some((t) => t.name === 'admin.conf' || t.name === 'super-admin.conf')) {
    lines.push('Copies of admin.conf or super-admin.conf made earlier (such as $HOME/.kube/config) still hold the old certificate: copy them again.');
  }
  return lines;
}
