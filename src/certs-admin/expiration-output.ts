// check-expiration's three outputs, as kubeadm prints them: the text tables (Go tabwriter,
// minwidth 10, padding 3; dates as Go's "Jan 02, 2006 15:04 MST"; apimachinery's short human
// durations), and the output.kubeadm.k8s.io/v1alpha3 CertificateExpirationInfo object as
// JSON (cli-runtime's 4-space indent) or YAML (JSON → YAML, keys sorted).
// kubeadm: cmd/certs.go (certTextPrinter), apis/output/v1alpha3 (Certificate).
import { toGoJson, toGoYaml } from '../config/encode.js';
import type { GoObject } from '../config/encode-common.js';
import { rfc3339 } from '../config/rfc3339.js';
import type { ExpirationEntry, ExpirationInfo } from './expiration.js';
import { tabwrite } from './tabwriter.js';

export const expirationFormats = ['text', 'json', 'yaml'] as const;
export type ExpirationFormat = (typeof expirationFormats)[number];

export const outputAPIVersion = 'output.kubeadm.k8s.io/v1alpha3';

export function formatExpiration(info: ExpirationInfo, format: ExpirationFormat): string {
  switch (format) {
    case 'text':
      return expirationText(info);
    case 'json':
      return toGoJson(expirationObject(info));
    case 'yaml':
      return toGoYaml(expirationObject(info));
  }
}

function expirationText(info: ExpirationInfo): string {
  const yesNo = (b: boolean) => (b ? 'yes' : 'no').padEnd(8);
  const rows = ['CERTIFICATE\tEXPIRES\tRESIDUAL TIME\tCERTIFICATE AUTHORITY\tEXTERNALLY MANAGED'];
  for (const c of info.certificates) {
    rows.push(c.missing
      ? `!MISSING! ${c.name}\t\t\t\t`
      : `${c.name}\t${goDate(c.expirationDate!)}\t${shortHumanDuration(c.residualSeconds)}\t${c.caName ?? ''}\t${yesNo(c.externallyManaged)}`);
  }
  rows.push('', 'CERTIFICATE AUTHORITY\tEXPIRES\tRESIDUAL TIME\tEXTERNALLY MANAGED');
  for (const c of info.certificateAuthorities) {
    rows.push(c.missing
      ? `!MISSING! ${c.name}\t\t\t`
      : `${c.name}\t${goDate(c.expirationDate!)}\t${shortHumanDuration(c.residualSeconds)}\t${yesNo(c.externallyManaged)}`);
  }
  return tabwrite(rows.map((r) => `${r}\n`).join(''), { minwidth: 10, padding: 3 });
}

/** The Go struct, field for field in its order: `caName` is omitempty, a missing file's date is null. */
function expirationObject(info: ExpirationInfo): GoObject {
  const entry = (e: ExpirationEntry): GoObject => ({
    name: e.name,
    expirationDate: e.expirationDate === undefined ? null : rfc3339(e.expirationDate),
    residualTime: e.residualSeconds,
    externallyManaged: e.externallyManaged,
    ...(e.caName === undefined || e.caName === '' ? {} : { caName: e.caName }),
    missing: e.missing,
  });
  return {
    kind: 'CertificateExpirationInfo',
    apiVersion: outputAPIVersion,
    certificates: info.certificates.map(entry),
    certificateAuthorities: info.certificateAuthorities.map(entry),
  };
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's layout "Jan 02, 2006 15:04 MST" for a UTC time (certificate dates are UTC). */
export function goDate(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${months[d.getUTCMonth()]!} ${two(d.getUTCDate())}, ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
}

/**
 * apimachinery's duration.ShortHumanDuration over whole seconds: one unit, truncated. Up to a
 * second in the past still reads "0s" (clock skew); further back is "<invalid>".
 */
export function shortHumanDuration(seconds: number): string {
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.trunc(seconds / 3600);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
  return `${Math.trunc(seconds / 3600 / 24 / 365)}y`;
}
