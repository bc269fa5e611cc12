// A certificate profile (pki/certificates.ts) rendered for one node and one moment: the exact
// certificate kubeadm would make. Validity as kubeadm >= 1.31: every certificate starts 5 minutes
// before the run began (clock skew between nodes), a leaf lasts certificateValidityPeriod and a CA
// caCertificateValidityPeriod from that moment.
import type { X509Certificate } from 'node:crypto';
import type { CertProfile } from '../../pki/certificates.js';
import { altNamesFor, type NodeIdentity } from './alt-names.js';
import type { CertificateSpec } from './certificate.js';
import { notAfter } from './inspect.js';

export const backdateMs = 5 * 60 * 1000;

export interface RenderedSpec {
  readonly spec: CertificateSpec;
  readonly warnings: readonly string[];
}

export function certificateSpec(profile: CertProfile, id: NodeIdentity, startedAt: Date): RenderedSpec {
  const isCA = profile.ca === undefined;
  const commonName = typeof profile.commonName === 'string' ? profile.commonName : id.nodeName;
  const alt = altNamesFor(profile.sans, commonName, `${profile.baseName}.crt`, id);
  const validityMs = isCA ? id.cluster.caCertificateValidityPeriodMs : id.cluster.certificateValidityPeriodMs;
  return {
    spec: {
      commonName,
      organization: profile.organization,
      usages: profile.usages,
      isCA,
      dnsNames: alt.dnsNames,
      ips: alt.ips,
      notBefore: new Date(startedAt.getTime() - backdateMs),
      notAfter: new Date(startedAt.getTime() + validityMs),
    },
    warnings: alt.warnings,
  };
}

/** A client certificate (kubeconfig users, `kubeconfig user`): clientAuth, CN = user, O = groups. */
export function clientCertificateSpec(user: string, groups: readonly string[], startedAt: Date, validityMs: number): CertificateSpec {
  return {
    commonName: user,
    organization: groups,
    usages: ['clientAuth'],
    isCA: false,
    dnsNames: [],
    ips: [],
    notBefore: new Date(startedAt.getTime() - backdateMs),
    notAfter: new Date(startedAt.getTime() + validityMs),
  };
}

/** A certificate never outlives the CA that signs it (kubeadm would write one that stops verifying
 *  when the CA expires): `cutTo` says when it was cut short, for a warning. */
export function clampToCA(spec: CertificateSpec, ca: X509Certificate): { readonly spec: CertificateSpec; readonly cutTo?: Date } {
  const caEnd = notAfter(ca);
  return spec.notAfter <= caEnd ? { spec } : { spec: { ...spec, notAfter: caEnd }, cutTo: caEnd };
}
