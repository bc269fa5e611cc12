// kube-proxy's IPVS mode: every Service address sits on the dummy interface kube-ipvs0 and has an IPVS
// virtual service. kube-proxy's own cleanup flushes ALL of IPVS; reset removes only the virtual services
// whose address is on kube-ipvs0 (others may be the host's own load balancing), then the interface.
// kube-proxy: pkg/proxy/ipvs/cleanup.go.
import { formatIP, parseIP } from '../../config/ip.js';
import type { ResetContext } from '../../phases/reset/context.js';
import { changeTimeoutMs, failureText, readTimeoutMs, someNames, succeeded } from './command-result.js';

export const ipvsInterface = 'kube-ipvs0';

export interface IpvsService {
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  /** Canonical text form (10.96.0.1, fd00::1). */
  readonly address: string;
  readonly port: number;
}

/** Virtual services with an address in /proc/net/ip_vs (fwmark services have none and are skipped).
 *  The kernel writes IPv4 as 8 hex digits and IPv6 in brackets, the port as 4 hex digits. */
export function parseIpvsServices(text: string): IpvsService[] {
  const services: IpvsService[] = [];
  for (const line of text.split('\n')) {
    const m = /^(TCP|UDP|SCTP)\s+(?:([0-9A-Fa-f]{8})|\[([0-9A-Fa-f:]+)\]):([0-9A-Fa-f]{4})\b/.exec(line);
    if (!m) continue;
    const ip = m[2] !== undefined
      ? parseIP([0, 2, 4, 6].map((i) => parseInt(m[2]!.slice(i, i + 2), 16)).join('.'))
      : parseIP(m[3]!);
    if (ip === undefined) continue;
    services.push({ protocol: m[1] as IpvsService['protocol'], address: formatIP(ip), port: parseInt(m[4]!, 16) });
  }
  return services;
}

/** The addresses in `ip -o addr show dev X` output, canonical. */
export function parseInterfaceAddresses(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\binet6?\s+([0-9A-Fa-f.:]+)\/\d+/g)) {
    const ip = parseIP(m[1]!);
    if (ip !== undefined) out.push(formatIP(ip));
  }
  return out;
}

/** ipvsadm's words for one virtual service: `-t 10.96.0.1:443`, `-u [fd00::a]:53`. */
export function ipvsadmService(s: IpvsService): string[] {
  const flag = s.protocol === 'TCP' ? '-t' : s.protocol === 'UDP' ? '-u' : '--sctp-service';
  const host = s.address.includes(':') ? `[${s.address}]` : s.address;
  return [flag, `${host}:${s.port}`];
}

const describe = (s: IpvsService) => `${s.protocol} ${s.address.includes(':') ? `[${s.address}]` : s.address}:${s.port}`;

/** `interfaces`: the names now in /sys/class/net. */
export async function removeIpvs(ctx: ResetContext, interfaces: readonly string[]): Promise<void> {
  const { host, out } = ctx;
  if (!interfaces.includes(ipvsInterface)) {
    out.detail(1, `[reset] No ${ipvsInterface} interface: kube-proxy did not run in IPVS mode here`);
    return;
  }
  const addrs = await host.exec.run(['ip', '-o', 'addr', 'show', 'dev', ipvsInterface], { mutates: false, timeoutMs: readTimeoutMs });
  if (!succeeded(addrs)) {
    const why = failureText('ip', addrs);
    out.warn(`[reset] WARNING: could not read the addresses of ${ipvsInterface}, so it and kube-proxy's IPVS services are left: ${why}`);
    ctx.report.left({ kind: 'interface', item: ipvsInterface, reason: `ip addr show failed (${why})`, fix: `ip link delete ${ipvsInterface}` });
    return;
  }
  const onDummy = new Set(parseInterfaceAddresses(addrs.stdout));
  const services = parseIpvsServices((await host.system.readKernelFile('/proc/net/ip_vs')) ?? '')
    .filter((s) => onDummy.has(s.address));
  const removed = await removeServices(ctx, services);

  const argv = ['ip', 'link', 'delete', ipvsInterface];
  const r = await host.exec.run(argv, { mutates: true, timeoutMs: changeTimeoutMs });
  const linkGone = succeeded(r);
  if (linkGone) ctx.report.did('interface-removed', ipvsInterface);
  else {
    const why = failureText('ip', r);
    out.warn(`[reset] WARNING: could not delete the interface ${ipvsInterface}: ${why}`);
    ctx.report.left({ kind: 'interface', item: ipvsInterface, reason: `ip link delete failed (${why})`, fix: argv.join(' ') });
  }
  if (removed === 0 && !linkGone) return;
  const parts = [...(removed > 0 ? [`${removed} virtual services`] : []), ...(linkGone ? [`the ${ipvsInterface} interface`] : [])];
  out.info(ctx.dryRun
    ? `[dryrun] Would remove kube-proxy's IPVS state: ${parts.join(' and ')}`
    : `[reset] Removed kube-proxy's IPVS state: ${parts.join(' and ')}`);
}

/** Deletes the virtual services with ipvsadm; returns how many went. */
async function removeServices(ctx: ResetContext, services: readonly IpvsService[]): Promise<number> {
  if (services.length === 0) return 0;
  const { host, out } = ctx;
  ctx.out.detail(1, `[reset] IPVS virtual services on ${ipvsInterface}: ${someNames(services.map(describe))}`);
  if ((await host.exec.which('ipvsadm')) === undefined) {
    out.warn(`[reset] WARNING: ipvsadm is not installed, so kube-proxy's ${services.length} IPVS virtual services are left`);
    for (const s of services) {
      ctx.report.left({ kind: 'ipvs', item: describe(s), reason: 'ipvsadm is not installed', fix: ['ipvsadm', '-D', ...ipvsadmService(s)].join(' ') });
    }
    return 0;
  }
  let removed = 0;
  for (const s of services) {
    const argv = ['ipvsadm', '-D', ...ipvsadmService(s)];
    const r = await host.exec.run(argv, { mutates: true, timeoutMs: changeTimeoutMs });
    if (succeeded(r)) {
      removed++;
      ctx.report.did('rules-removed', `ipvs ${describe(s)}`);
      continue;
    }
    const why = failureText('ipvsadm', r);
    out.warn(`[reset] WARNING: could not delete the IPVS virtual service ${describe(s)}: ${why}`);
    ctx.report.left({ kind: 'ipvs', item: describe(s), reason: `ipvsadm -D failed (${why})`, fix: argv.join(' ') });
  }
  return removed;
}
