// Network interfaces a CNI plugin made for the cluster (bridges, VXLAN devices, host veths). Removed only
// when attributable: a known CNI name that was not there when tskubeadm first ran (the journal snapshot).
// Without a journal, or when it was there before, the interface is reported, not removed: it may belong
// to another cluster or to something else on the host.
import type { HostJournal } from '../../journal/journal.js';
import type { ResetContext } from '../../phases/reset/context.js';
import { changeTimeoutMs, failureText, succeeded } from './command-result.js';

/** Names the common CNI plugins give their devices (flannel, Calico, Cilium, kube-router, Weave, NodeLocal DNSCache). */
const cniNames: ReadonlySet<string> = new Set([
  'cni0', 'flannel.1', 'flannel-v6.1', 'flannel-wg', 'flannel-wg-v6',
  'cilium_host', 'cilium_net', 'cilium_vxlan', 'cilium_geneve',
  'vxlan.calico', 'vxlan-v6.calico', 'wireguard.cali', 'wg-v6.cali',
  'kube-bridge', 'kube-dummy-if', 'weave', 'vxlan-6784', 'nodelocaldns',
]);

/** Calico's host veths are cali + a hex hash, Cilium's lxc + a hex hash (and lxc_health). lxcbr0 (LXC's own
 *  bridge) and tunl0 (the kernel's ipip device, which Calico only configures) do not match. */
const cniPatterns: readonly RegExp[] = [/^cali[0-9a-f]{6,}$/, /^lxc[0-9a-f]{6,}$/, /^lxc_health$/];

export function isCniInterface(name: string): boolean {
  return cniNames.has(name) || cniPatterns.some((p) => p.test(name));
}

/** `interfaces`: the names now in /sys/class/net. */
export async function removeCniInterfaces(ctx: ResetContext, interfaces: readonly string[], journal: HostJournal | undefined): Promise<void> {
  const { host, out } = ctx;
  const candidates = interfaces.filter(isCniInterface);
  if (candidates.length === 0) {
    out.detail(1, '[reset] No network interfaces of a CNI plugin');
    return;
  }
  const before = new Set(journal?.snapshot.interfaces ?? []);
  const removed: string[] = [];
  for (const name of candidates) {
    if (journal === undefined || before.has(name)) {
      const reason = journal === undefined
        ? 'there is no tskubeadm journal on this host, so it cannot tell whether this cluster created it'
        : `it was there before tskubeadm first ran on this host (${journal.snapshot.takenAt})`;
      ctx.report.left({ kind: 'interface', item: name, reason, fix: `ip link delete ${name}` });
      out.detail(1, `[reset] Keeping the network interface ${name}: ${reason}`);
      continue;
    }
    const argv = ['ip', 'link', 'delete', name];
    const r = await host.exec.run(argv, { mutates: true, timeoutMs: changeTimeoutMs });
    // Deleting one end of a veth pair (cilium_host) takes the other (cilium_net) with it.
    if (succeeded(r) || !(await stillThere(ctx, name))) {
      removed.push(name);
      ctx.report.did('interface-removed', name);
      continue;
    }
    const why = failureText('ip', r);
    out.warn(`[reset] WARNING: could not delete the network interface ${name}: ${why}`);
    ctx.report.left({ kind: 'interface', item: name, reason: `ip link delete failed (${why})`, fix: argv.join(' ') });
  }
  if (removed.length === 0) return;
  out.info(ctx.dryRun
    ? `[dryrun] Would remove the network plugin's interfaces: ${removed.join(', ')}`
    : `[reset] Removed the network plugin's interfaces: ${removed.join(', ')}`);
}

async function stillThere(ctx: ResetContext, name: string): Promise<boolean> {
  return (await ctx.host.system.listKernelDir('/sys/class/net'))?.includes(name) ?? false;
}
