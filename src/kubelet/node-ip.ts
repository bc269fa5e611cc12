// The node IP the kubelet reports, kept in line with the advertise address. kubeadm leaves --node-ip
// to the user, and on hosts with several interfaces (Vagrant, clouds with a NAT interface) the kubelet
// then registers another address than the one the API server advertises, and CNI breaks
// (kubeadm-user-pain P12). tskubeadm passes --node-ip only when the kubelet would pick another address
// by itself, so on a single-interface host kubeadm-flags.env stays exactly kubeadm's.
import { formatIP, isGlobalUnicast, parseIP } from '../config/ip.js';
import type { NetworkInterface } from '../host/host.js';

/** What the kubelet looks at when --node-ip is not given. */
export interface NodeAddressFacts {
  /** The host's addresses, as os.networkInterfaces(). */
  readonly interfaces: readonly NetworkInterface[];
  /** What the node name resolves to (DNS or /etc/hosts). */
  readonly nodeNameAddresses: readonly string[];
  /** The interfaces holding the IPv4 and IPv6 default routes. */
  readonly defaultRoute: { readonly 4: string | undefined; readonly 6: string | undefined };
}

const normalized = (text: string): string | undefined => {
  const ip = parseIP(text.split('%')[0]!);
  return ip === undefined ? undefined : formatIP(ip);
};

/**
 * The kubelet's own choice (pkg/kubelet/nodestatus NodeAddress, no cloud provider): the first IPv4 address
 * the node name resolves to that is a global unicast address of this host; else the global unicast address
 * of the default-route interface, IPv4 first. Undefined when it would find none.
 */
export function kubeletDefaultNodeIP(f: NodeAddressFacts): string | undefined {
  const own = new Set(f.interfaces.map((i) => normalized(i.address)).filter((a): a is string => a !== undefined));
  for (const text of f.nodeNameAddresses) {
    const ip = parseIP(text);
    if (ip !== undefined && ip.family === 4 && isGlobalUnicast(ip) && own.has(formatIP(ip))) return formatIP(ip);
  }
  for (const family of [4, 6] as const) {
    const name = f.defaultRoute[family];
    if (name === undefined) continue;
    for (const i of f.interfaces) {
      if (i.name !== name || i.family !== family) continue;
      const ip = parseIP(i.address.split('%')[0]!);
      if (ip !== undefined && isGlobalUnicast(ip)) return formatIP(ip);
    }
  }
  return undefined;
}

/** The --node-ip to pass: the advertise address, when it is one of this host's addresses and the kubelet
 *  would otherwise choose a different one; undefined when the kubelet gets it right alone. */
export function nodeIPFlag(advertiseAddress: string, f: NodeAddressFacts): string | undefined {
  const adv = parseIP(advertiseAddress);
  if (adv === undefined || !isGlobalUnicast(adv)) return undefined;
  const wanted = formatIP(adv);
  if (!f.interfaces.some((i) => normalized(i.address) === wanted)) return undefined;
  return kubeletDefaultNodeIP(f) === wanted ? undefined : wanted;
}
