// networking.* checks (kubeadm ValidateNetworking, ValidateIPNetFromString,
// ValidateServiceSubnetSize, ValidatePodSubnetNodeMask), plus one of ours: pod and
// service subnets must not overlap (kubeadm accepts it; the cluster would not work).
import type { ClusterConfiguration } from './types.js';
import { invalid, type FieldProblem } from './field-problem.js';
import { dns1123SubdomainErrors } from './host-port.js';
import { cidrsOverlap, formatCIDR, parseCIDR, rangeSize, type CIDR } from './ip.js';

const kind = 'ClusterConfiguration';
const minServiceAddresses = 10n;
const minPodAddresses = 14n;
const maxServiceHostBits = 20;
const podNodeMaskMaxDiff = 16;
const dualStackMessage = 'expected one (IPv4 or IPv6) CIDR or two CIDRs from each family for dual-stack networking';

/** Parses a comma-separated CIDR list; undefined when any entry does not parse. No spaces are
 *  allowed around the commas: kubeadm refuses them and the components would not parse them. */
function parseCIDRList(text: string): CIDR[] | undefined {
  const out: CIDR[] = [];
  for (const part of text.split(',')) {
    const c = parseCIDR(part);
    if (c === undefined) return undefined;
    out.push(c);
  }
  return out;
}

function validateSubnets(field: string, text: string, minAddresses: bigint, out: FieldProblem[]): CIDR[] | undefined {
  const path = ['networking', field];
  const subnets = parseCIDRList(text);
  if (subnets === undefined) {
    out.push(invalid(kind, path, text, "couldn't parse subnet"));
    return undefined;
  }
  if (subnets.length > 2 || (subnets.length === 2 && subnets[0]!.bits === subnets[1]!.bits)) {
    out.push(invalid(kind, path, text, dualStackMessage));
  }
  for (const s of subnets) {
    const n = rangeSize(s);
    if (n < minAddresses) {
      out.push(invalid(kind, path, formatCIDR(s), `subnet with ${n} address(es) is too small, the minimum is ${minAddresses}`));
    }
  }
  return subnets;
}

/** The kube-controller-manager node mask for a family: its extraArgs, else 24 / 64. */
function nodeMask(c: ClusterConfiguration, ipv6: boolean): number | string {
  const flag = ipv6 ? 'node-cidr-mask-size-ipv6' : 'node-cidr-mask-size-ipv4';
  // The last occurrence wins, as for repeated command-line flags.
  const arg = [...c.controllerManager.extraArgs].reverse().find((a) => a.name === flag);
  if (arg === undefined || arg.value === '') return ipv6 ? 64 : 24;
  if (!/^[+-]?[0-9]+$/.test(arg.value)) {
    return `could not parse the value of the kube-controller-manager flag ${flag} as an integer: "${arg.value}"`;
  }
  return Number(arg.value);
}

export function validateNetworking(c: ClusterConfiguration): FieldProblem[] {
  const out: FieldProblem[] = [];
  const n = c.networking;
  for (const e of dns1123SubdomainErrors(n.dnsDomain)) out.push(invalid(kind, ['networking', 'dnsDomain'], n.dnsDomain, e));

  let services: CIDR[] | undefined;
  if (n.serviceSubnet !== '') {
    services = validateSubnets('serviceSubnet', n.serviceSubnet, minServiceAddresses, out);
    for (const s of services ?? []) {
      if (s.bits - s.prefix > maxServiceHostBits) {
        out.push(invalid(kind, ['networking', 'serviceSubnet'], formatCIDR(s),
          `specified service subnet is too large; for ${s.bits}-bit addresses, the mask must be >= ${s.bits - maxServiceHostBits}`));
      }
    }
  }

  let pods: CIDR[] | undefined;
  if (n.podSubnet !== '') {
    pods = validateSubnets('podSubnet', n.podSubnet, minPodAddresses, out);
    const allocate = [...c.controllerManager.extraArgs].reverse().find((a) => a.name === 'allocate-node-cidrs');
    if (allocate?.value !== 'false') {
      for (const p of pods ?? []) {
        const mask = nodeMask(c, p.bits === 128);
        if (typeof mask === 'string') {
          out.push(invalid(kind, ['networking', 'podSubnet'], formatCIDR(p), mask));
        } else if (p.prefix > mask) {
          out.push(invalid(kind, ['networking', 'podSubnet'], formatCIDR(p),
            `the size of pod subnet with mask ${p.prefix} is smaller than the size of node subnet with mask ${mask}`));
        } else if (mask - p.prefix > podNodeMaskMaxDiff) {
          out.push(invalid(kind, ['networking', 'podSubnet'], formatCIDR(p),
            `pod subnet mask (${p.prefix}) and node-mask (${mask}) difference is greater than ${podNodeMaskMaxDiff}`));
        }
      }
    }
  }

  for (const p of pods ?? []) {
    for (const s of services ?? []) {
      if (cidrsOverlap(p, s)) {
        out.push(invalid(kind, ['networking', 'podSubnet'], formatCIDR(p),
          `pod subnet overlaps the service subnet ${formatCIDR(s)}: pods and services need separate address ranges`));
      }
    }
  }
  return out;
}
