// Questions kubeadm asks of a certificate already on disk before it reuses it: is it a CA, is it
// inside its validity period, did this CA sign it, does it carry the names it must carry.
// Pure functions over node:crypto's parsed certificates. kubeadm: phases/certs (validate*,
// CheckCertificatePeriodValidity), util/pkiutil (VerifyCertChain).
import type { X509Certificate } from 'node:crypto';
import { formatIP, parseIP } from '../config/ip.js';

export function notBefore(cert: X509Certificate): Date {
  return new Date(cert.validFrom);
}

export function notAfter(cert: X509Certificate): Date {
  return new Date(cert.validTo);
}

/** kubeadm's period warning for a reused certificate; undefined when it is valid at `now`. */
export function periodProblem(name: string, cert: X509Certificate, now: Date): string | undefined {
  if (now < notBefore(cert)) return `could not validate bounds for certificate ${name}: the certificate is not valid yet: ${notBefore(cert).toISOString()}`;
  if (now > notAfter(cert)) return `could not validate bounds for certificate ${name}: the certificate has expired: ${notAfter(cert).toISOString()}`;
  return undefined;
}

/** Whether `ca` signed `leaf`, through the intermediates a file may carry after its leaf. */
export function signedBy(leaf: X509Certificate, intermediates: readonly X509Certificate[], ca: X509Certificate): boolean {
  let current = leaf;
  const rest = [...intermediates];
  for (;;) {
    if (current.checkIssued(ca) && current.verify(ca.publicKey)) return true;
    // Only a CA may sign along the way, as in Go's x509.Verify.
    const next = rest.findIndex((i) => i.ca && current.checkIssued(i) && current.verify(i.publicKey));
    if (next < 0) return false;
    current = rest.splice(next, 1)[0]!;
  }
}

export interface SubjectAltNames {
  readonly dnsNames: readonly string[];
  /** Canonical text form (Go's), so `::1` and `0:0:0:0:0:0:0:1` compare equal. */
  readonly ips: readonly string[];
}

export function subjectAltNames(cert: X509Certificate): SubjectAltNames {
  const dnsNames: string[] = [];
  const ips: string[] = [];
  for (const entry of (cert.subjectAltName ?? '').split(', ')) {
    if (entry.startsWith('DNS:')) dnsNames.push(entry.slice(4));
    else if (entry.startsWith('IP Address:')) {
      const ip = parseIP(entry.slice(11));
      if (ip !== undefined) ips.push(formatIP(ip));
    }
  }
  return { dnsNames, ips };
}

/** Whether a certificate's DNS name covers a wanted name, as Go's VerifyHostname matches them:
 *  case-insensitive, and a leading `*.` stands for exactly one label. */
function covers(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase();
  const n = name.toLowerCase();
  if (p === n) return true;
  if (!p.startsWith('*.')) return false;
  const dot = n.indexOf('.');
  return dot > 0 && n.slice(dot + 1) === p.slice(2);
}

/** The expected names a certificate lacks, as `DNS:x` / `IP:y`; empty when it has them all. */
export function missingAltNames(cert: X509Certificate, expected: SubjectAltNames): string[] {
  const have = subjectAltNames(cert);
  return [
    ...expected.dnsNames.filter((d) => !have.dnsNames.some((h) => covers(h, d))).map((d) => `DNS:${d}`),
    ...expected.ips.filter((ip) => !have.ips.includes(ip)).map((ip) => `IP:${ip}`),
  ];
}

/** The subject's CommonName and Organizations. */
export function subjectOf(cert: X509Certificate): { readonly commonName: string; readonly organization: readonly string[] } {
  let commonName = '';
  const organization: string[] = [];
  for (const line of cert.subject.split('\n')) {
    if (line.startsWith('CN=')) commonName = line.slice(3);
    else if (line.startsWith('O=')) organization.push(line.slice(2));
  }
  return { commonName, organization };
}
