// The certificate a renewal signs: the existing one's subject, SANs and extended key usages,
// with a fresh validity period. Pure: the caller reads the files and the clock.
// kubeadm: phases/certs/renewal/manager.go (certToConfig) and filerenewer.go.
import type { X509Certificate } from 'node:crypto';
import type { ExtKeyUsage } from '../../pki/certificates.js';
import type { CertificateSpec } from '../pki/certificate.js';
import { notBefore, subjectAltNames, subjectOf } from '../pki/inspect.js';
import { backdateMs, clampToCA } from '../pki/profile-spec.js';

const usageByOid: Readonly<Record<string, ExtKeyUsage>> = Object.freeze({
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
});

export interface RenewalSpec {
  readonly spec: CertificateSpec;
  /** Extended key usages of the old certificate that tskubeadm cannot write, dropped (by OID). */
  readonly droppedUsages: readonly string[];
  /** The CA ends before a full period would: the certificate ends with it. */
  readonly cutToCA: boolean;
}

/**
 * Starts 5 minutes before `now` (clock skew between nodes) and lasts `validityMs`, inside the
 * CA's own validity: a certificate that outlives its CA stops verifying before it expires.
 */
export function renewalSpec(cert: X509Certificate, ca: X509Certificate, now: Date, validityMs: number): RenewalSpec {
  const subject = subjectOf(cert);
  const sans = subjectAltNames(cert);
  const oids = cert.keyUsage ?? [];
  const { spec, cutTo } = clampToCA({
    commonName: subject.commonName,
    organization: subject.organization,
    usages: oids.map((o) => usageByOid[o]).filter((u): u is ExtKeyUsage => u !== undefined),
    isCA: false,
    dnsNames: sans.dnsNames,
    ips: sans.ips,
    // Nor may it start before its CA.
    notBefore: new Date(Math.max(now.getTime() - backdateMs, notBefore(ca).getTime())),
    notAfter: new Date(now.getTime() + validityMs),
  }, ca);
  return { spec, droppedUsages: oids.filter((o) => usageByOid[o] === undefined), cutToCA: cutTo !== undefined };
}
