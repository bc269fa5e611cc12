// The API server advertise address, chosen as kubeadm does (SetAPIEndpointDynamicDefaults
// and apimachinery's util/net ResolveBindAddress / ChooseHostInterface):
// - a given loopback address means "the global unicast address on lo" (RFC 5549 setups);
// - empty or unspecified (0.0.0.0, ::) means the global unicast address of the default-route
//   interface, IPv4 first; if that interface has none, a global address on lo;
// - no default route at all: kubeadm warns and uses 0.0.0.0 (which still reaches this host).
import type { Host, NetworkInterface } from '../host/host.js';
import { formatIP, isGlobalUnicast, isLoopback, parseIP, type IP } from './ip.js';

export type AddressChoice =
  | { readonly ok: true; readonly address: string; readonly warning?: string }
  | { readonly ok: false; readonly message: string; readonly fix: string };

const setIt = 'set localAPIEndpoint.advertiseAddress in the config file or pass --apiserver-advertise-address';

function globalAddresses(ifaces: readonly NetworkInterface[], family: 4 | 6, pick: (i: NetworkInterface) => boolean): IP[] {
  const out: IP[] = [];
  for (const i of ifaces) {
    if (i.family !== family || !pick(i)) continue;
    const ip = parseIP(i.address.split('%')[0]!);
    if (ip !== undefined && isGlobalUnicast(ip)) out.push(ip);
  }
  return out;
}

const isLo = (i: NetworkInterface) => i.internal || i.name === 'lo';

export async function chooseAdvertiseAddress(host: Host, requested: string): Promise<AddressChoice> {
  const ip = requested === '' ? undefined : parseIP(requested);
  if (requested !== '' && ip === undefined) {
    return {
      ok: false,
      message: `couldn't use "${requested}" as "apiserver-advertise-address", must be ipv4 or ipv6 address`,
      fix: 'give an IPv4 or IPv6 address of this host',
    };
  }
  if (ip !== undefined && isLoopback(ip)) {
    const ifaces = await host.net.interfaces();
    const onLo = [...globalAddresses(ifaces, 4, isLo), ...globalAddresses(ifaces, 6, isLo)][0];
    if (onLo !== undefined) return { ok: true, address: formatIP(onLo) };
    return {
      ok: false,
      message: 'unable to resolve link-local addresses',
      fix: `a loopback advertise address needs a global unicast address on the lo interface; ${setIt} to a routable address`,
    };
  }
  const unspecified = ip === undefined || ip.bytes.every((b) => b === 0);
  if (!unspecified) return { ok: true, address: formatIP(ip) };

  const routes = { 4: await host.net.defaultRouteInterface(4), 6: await host.net.defaultRouteInterface(6) };
  if (routes[4] === undefined && routes[6] === undefined) {
    return {
      ok: true,
      address: '0.0.0.0',
      warning:
        'could not obtain a bind address for the API Server: no default routes found in "/proc/net/route" or ' +
        `"/proc/net/ipv6_route"; using: 0.0.0.0. Other nodes will not be able to reach this one: ${setIt}`,
    };
  }
  const ifaces = await host.net.interfaces();
  for (const family of [4, 6] as const) {
    const name = routes[family];
    if (name === undefined) continue;
    const onRoute = globalAddresses(ifaces, family, (i) => i.name === name)[0];
    if (onRoute !== undefined) {
      const warning = otherCandidates(ifaces, family, formatIP(onRoute), name);
      return { ok: true, address: formatIP(onRoute), ...(warning === undefined ? {} : { warning }) };
    }
    const onLo = globalAddresses(ifaces, family, isLo)[0];
    if (onLo !== undefined) return { ok: true, address: formatIP(onLo) };
  }
  return {
    ok: false,
    message: 'unable to select an IP from default routes.',
    fix: `the default-route interface has no global unicast address: ${setIt}`,
  };
}

/** Multi-NIC hosts (Vagrant, cloud) often advertise the wrong address silently: name the others. */
function otherCandidates(ifaces: readonly NetworkInterface[], family: 4 | 6, chosen: string, routeIface: string): string | undefined {
  const others: string[] = [];
  for (const i of ifaces) {
    if (isLo(i)) continue;
    for (const ip of globalAddresses([i], family, () => true)) {
      const text = formatIP(ip);
      if (text !== chosen && !others.some((o) => o.startsWith(`${text} `))) others.push(`${text} (${i.name})`);
    }
  }
  if (others.length === 0) return undefined;
  return `using advertise address ${chosen}, the address of ${routeIface} which holds the default route; this host also has ` +
    `${others.join(', ')}: if other nodes must reach the API server on one of those, ${setIt}`;
}
