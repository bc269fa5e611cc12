// `certs check-expiration`: the expiry of every renewable certificate and of the CAs that sign
// them, in kubeadm's output model (CertificateExpirationInfo), plus the warnings kubeadm does
// not give: what has expired or expires soon, and how to renew it.
// kubeadm: cmd/certs.go (fetchCertificateExpirationInfo), phases/certs/renewal/expiration.go.
import type { CertProfile } from '../../pki/certificates.js';
import { notAfter } from '../pki/inspect.js';
import { caTargets, renewTargets } from './targets.js';
import { isExternal, readCAFiles, readTarget, type AdminRun, type CAFiles } from './target-files.js';

export interface ExpirationEntry {
  readonly name: string;
  /** Absent when the file is missing. */
  readonly expirationDate?: Date;
  /** Whole seconds left (negative once expired), truncated toward zero as Go's Duration / Second. */
  readonly residualSeconds: number;
  /** Its CA has a certificate here but no key, so it cannot be renewed here. */
  readonly externallyManaged: boolean;
  /** The signing CA's name; absent for the CAs themselves. */
  readonly caName?: string;
  readonly missing: boolean;
}

export interface ExpirationInfo {
  readonly certificates: readonly ExpirationEntry[];
  readonly certificateAuthorities: readonly ExpirationEntry[];
}

const missing = (name: string, caName?: string): ExpirationEntry => ({
  name, residualSeconds: 0, externallyManaged: false, missing: true, ...(caName === undefined ? {} : { caName }),
});

function present(name: string, expires: Date, now: Date, externallyManaged: boolean, caName?: string): ExpirationEntry {
  return {
    name,
    expirationDate: expires,
    residualSeconds: Math.trunc((expires.getTime() - now.getTime()) / 1000),
    externallyManaged,
    missing: false,
    ...(caName === undefined ? {} : { caName }),
  };
}

export async function expirationInfo(run: AdminRun): Promise<ExpirationInfo> {
  const cas = caTargets(run.cluster);
  const caFiles = new Map<string, CAFiles>(await Promise.all(cas.map(async (ca) => [ca.name, await readCAFiles(run, ca)] as const)));
  const caOf = (ca: CertProfile): CAFiles => caFiles.get(ca.name) ?? { file: undefined, keyPresent: false };
  const certificates = await Promise.all(renewTargets(run.cluster).map(async (t) => {
    const file = await readTarget(run, t);
    if (file === undefined) return missing(t.name, t.ca.name);
    return present(t.name, notAfter(file.certificate), run.now, isExternal(caOf(t.ca)), t.ca.name);
  }));
  const certificateAuthorities = cas.map((ca) => {
    const files = caOf(ca);
    return files.file === undefined ? missing(ca.name) : present(ca.name, notAfter(files.file.leaf), run.now, isExternal(files));
  });
  return { certificates, certificateAuthorities };
}

/** How close to expiry a certificate must be for a warning. */
export const expiryWarningDays = 30;

/** One warning per certificate or CA that has expired or expires within `expiryWarningDays`. */
export function expiryWarnings(info: ExpirationInfo): string[] {
  const soon = expiryWarningDays * 24 * 3600;
  const warnings: string[] = [];
  for (const e of info.certificates) {
    if (e.missing || e.residualSeconds > soon) continue;
    const how = e.externallyManaged
      ? `its CA "${e.caName ?? ''}" is external: have that CA sign a new one`
      : `renew it with "tskubeadm certs renew ${e.name}"`;
    warnings.push(`[check-expiration] WARNING: ${e.name} ${when(e)}; ${how}`);
  }
  for (const e of info.certificateAuthorities) {
    if (e.missing || e.residualSeconds > soon) continue;
    warnings.push(`[check-expiration] WARNING: the ${e.name} certificate authority ${when(e)}; everything it signed stops verifying with it, ` +
      'and "certs renew" does not renew CAs: plan its rotation');
  }
  return warnings;
}

function when(e: ExpirationEntry): string {
  const date = e.expirationDate?.toISOString() ?? '';
  if (e.residualSeconds <= 0) return `has expired (on ${date})`;
  const days = Math.floor(e.residualSeconds / 86400);
  return `expires in ${days === 0 ? 'less than a day' : `${days} day${days === 1 ? '' : 's'}`} (on ${date})`;
}
