// Subject Alternative Names per SAN rule, built as kubeadm builds them: DNS names de-duplicated
// and sorted, IPs de-duplicated in first-seen order, extra SANs sorted into IPs and DNS names
// and anything else dropped with kubeadm's warning. kubeadm: util/pkiutil (GetAPIServerAltNames,
// GetEtcdAltNames, GetEtcdPeerAltNames, appendSANsToAltNames, RemoveDuplicateAltNames).
import type { SanRule } from '../../pki/certificates.js';
import { formatIP, indexedIP, parseCIDR, parseIP } from '../config/ip.js';
import { isDNS1123Subdomain, isWildcardDNS1123Subdomain, parseHostPort } from '../config/host-port.js';
import type { ClusterConfiguration } from '../config/types.js';

/** What SANs are computed from: this node and the cluster configuration. */
export interface NodeIdentity {
  readonly nodeName: string;
  readonly advertiseAddress: string;
  readonly cluster: ClusterConfiguration;
}

export interface AltNames {
  readonly dnsNames: readonly string[];
  readonly ips: readonly string[];
  /** Extra SANs that were neither an IP nor a DNS name, in kubeadm's words. */
  readonly warnings: readonly string[];
}

export class AltNamesError extends Error {}

export function altNamesFor(rule: SanRule, commonName: string, fileName: string, id: NodeIdentity): AltNames {
  switch (rule) {
    case 'none':
      return { dnsNames: [], ips: [], warnings: [] };
    case 'ca-common-name':
      return { dnsNames: [commonName], ips: [], warnings: [] };
    case 'apiserver':
      return apiServerAltNames(fileName, id);
    case 'etcd-server':
      return etcdAltNames(fileName, id, id.cluster.etcd.local?.serverCertSANs ?? []);
    case 'etcd-peer':
      return etcdAltNames(fileName, id, id.cluster.etcd.local?.peerCertSANs ?? []);
  }
}

function apiServerAltNames(fileName: string, id: NodeIdentity): AltNames {
  const advertise = advertiseIP(id.advertiseAddress);
  const c = id.cluster;
  const firstServiceCIDR = parseCIDR(c.networking.serviceSubnet.split(',')[0]!.trim());
  const vip = firstServiceCIDR === undefined ? undefined : indexedIP(firstServiceCIDR, 1);
  if (vip === undefined) throw new AltNamesError(`unable to get the API server's virtual IP from the service subnet "${c.networking.serviceSubnet}"`);
  const names = new Names([
    id.nodeName, 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', `kubernetes.default.svc.${c.networking.dnsDomain}`,
  ], [formatIP(vip), advertise]);
  if (c.controlPlaneEndpoint !== '') {
    const hp = parseHostPort(c.controlPlaneEndpoint);
    if (hp.ok) names.addHost(hp.host);
  }
  names.addExtra(c.apiServer.certSANs, fileName);
  return names.result();
}

function etcdAltNames(fileName: string, id: NodeIdentity, extra: readonly string[]): AltNames {
  const names = new Names([id.nodeName, 'localhost'], [advertiseIP(id.advertiseAddress), '127.0.0.1', '::1']);
  names.addExtra(extra, fileName);
  return names.result();
}

function advertiseIP(address: string): string {
  const ip = parseIP(address);
  if (ip === undefined) {
    throw new AltNamesError(`error parsing LocalAPIEndpoint AdvertiseAddress ${address}: is not a valid textual representation of an IP address`);
  }
  return formatIP(ip);
}

class Names {
  private readonly dns: Set<string>;
  private readonly ips: string[] = [];
  private readonly warnings: string[] = [];

  constructor(dns: readonly string[], ips: readonly string[]) {
    this.dns = new Set(dns);
    for (const ip of ips) this.addIP(ip);
  }

  addHost(host: string): void {
    const ip = parseIP(host);
    if (ip === undefined) this.dns.add(host);
    else this.addIP(formatIP(ip));
  }

  addExtra(sans: readonly string[], fileName: string): void {
    for (const san of sans) {
      const ip = parseIP(san);
      if (ip !== undefined) this.addIP(formatIP(ip));
      else if (isDNS1123Subdomain(san) || isWildcardDNS1123Subdomain(san)) this.dns.add(san);
      else this.warnings.push(`[certificates] WARNING: '${san}' was not added to the '${fileName}' SAN, because it is not a valid IP or RFC-1123 compliant DNS entry`);
    }
  }

  private addIP(ip: string): void {
    if (!this.ips.includes(ip)) this.ips.push(ip);
  }

  result(): AltNames {
    return { dnsNames: [...this.dns].sort(), ips: [...this.ips], warnings: this.warnings };
  }
}
