// The -o json|yaml results of `certs renew` and `certs generate-csr`, read back from what the run wrote
// (the host's mutation record): the renewal and CSR code stays as it is, printing its progress lines.
import type { AdminRun } from '../../certs-admin/target-files.js';
import { readTarget, targetPath } from '../../certs-admin/target-files.js';
import { podsToRestart, type RenewTarget } from '../../certs-admin/targets.js';
import { rfc3339 } from '../../config/rfc3339.js';
import type { Host } from '../../host/host.js';
import { certificateRenewal, type CertificateRenewal } from '../../output/results.js';
import { notAfter } from '../../pki/inspect.js';

/** Paths written since the mutation record had `since` entries, in order, each once. */
export function writtenSince(host: Host, since: number): string[] {
  return [...new Set(host.mutations.slice(since).flatMap((m) => (m.action === 'write' ? [m.path] : [])))];
}

/** The targets whose file this run rewrote, with their new expiry, and the static Pods to restart for them. */
export async function renewalResult(run: AdminRun, targets: readonly RenewTarget[], since: number): Promise<CertificateRenewal> {
  const written = new Set(writtenSince(run.host, since));
  const renewed = targets.filter((t) => written.has(targetPath(run, t)));
  const certificates = [];
  for (const t of renewed) {
    const file = await readTarget(run, t);
    if (file !== undefined) certificates.push({ name: t.name, file: file.path, expires: rfc3339(notAfter(file.certificate)) });
  }
  return certificateRenewal({ certificates, restart: podsToRestart(renewed) });
}
