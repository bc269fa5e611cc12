// The cluster's traces in the host's network, in the order kube-proxy's own cleanup uses: iptables rules
// (every backend, both families), nftables tables, IPVS services and kube-ipvs0, then the ipsets the
// iptables rules used, and last the interfaces a CNI plugin made. kubeadm leaves all of this to the user
// ("The reset process does not clean your iptables rules…"); tskubeadm removes it. The network is the
// running machine's, also under --rootfs; every change goes through ctx.host.exec (mutates: true), so
// --dry-run lists the commands instead of running them.
import type { ResetContext } from '../../phases/reset/context.js';
import { removeCniInterfaces } from './interfaces.js';
import { removeIpsets } from './ipsets.js';
import { removeIptablesRules } from './iptables-rules.js';
import { removeIpvs } from './ipvs.js';
import { removeNftablesTables } from './nftables.js';

export async function cleanNetwork(ctx: ResetContext): Promise<void> {
  await removeIptablesRules(ctx);
  await removeNftablesTables(ctx);
  const interfaces = (await ctx.host.system.listKernelDir('/sys/class/net')) ?? [];
  await removeIpvs(ctx, interfaces);
  await removeIpsets(ctx);
  await removeCniInterfaces(ctx, interfaces, await ctx.journal());
}
