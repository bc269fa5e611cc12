// Pure parsers for the kernel's routing tables, so the default-route interface (used to
// pick the advertise address, as kubeadm's ChooseHostInterface does) is testable with text.

const rtfUp = 0x0001;
const rtfReject = 0x0200;

interface Route {
  readonly iface: string;
  readonly metric: number;
}

function lowestMetric(routes: readonly Route[]): string | undefined {
  let best: Route | undefined;
  for (const r of routes) if (best === undefined || r.metric < best.metric) best = r;
  return best?.iface;
}

/** The interface of the IPv4 default route (destination and mask 0, up) with the lowest metric, from /proc/net/route. */
export function parseIpv4DefaultRoute(text: string): string | undefined {
  const routes: Route[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const [iface, dest, , flags, , , metric, mask] = f as [string, string, string, string, string, string, string, string];
    const fl = parseInt(flags, 16);
    if (dest !== '00000000' || mask !== '00000000' || (fl & rtfUp) === 0 || (fl & rtfReject) !== 0) continue;
    routes.push({ iface, metric: parseInt(metric, 10) });
  }
  return lowestMetric(routes);
}

/** The interface of the IPv6 default route (::/0, up, not a reject route) with the lowest metric, from /proc/net/ipv6_route. */
export function parseIpv6DefaultRoute(text: string): string | undefined {
  const routes: Route[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const [dest, prefix, , , , metric, , , flags, iface] = f as [string, string, string, string, string, string, string, string, string, string];
    const fl = parseInt(flags, 16);
    if (!/^0{32}$/.test(dest) || prefix !== '00' || (fl & rtfUp) === 0 || (fl & rtfReject) !== 0 || iface === 'lo') continue;
    routes.push({ iface, metric: parseInt(metric, 16) });
  }
  return lowestMetric(routes);
}
