// reset's cleanup-node phase: stop the kubelet, unmount its directory, remove the cluster's containers, its
// network rules and interfaces, its entry in the user's kubeconfig, and then the files: what init and join
// created goes, what they replaced comes back, what was there before stays (the host journal), with
// kubeadm's lists where no journal exists. kubeadm: cmd/phases/reset/cleanupnode.go.
import { removeContainers } from '../../cleanup/containers.js';
import { kubeadmFileCleanup, nodeWasSetUp, revertHostFiles } from '../../cleanup/host-files.js';
import { unmountKubeletDir } from '../../cleanup/kubelet-mounts.js';
import { stopKubelet } from '../../cleanup/kubelet-stop.js';
import { cleanNetwork } from '../../cleanup/network/network-cleanup.js';
import { removeUserKubeconfigEntries } from '../../cleanup/user-kubeconfig.js';
import type { Phase } from '../../workflow/phase.js';
import type { ResetContext } from './context.js';

export const cleanupNode: Phase<ResetContext> = {
  name: 'cleanup-node',
  aliases: ['cleanupnode'],
  short: 'Run cleanup node.',
  long: 'Stop the kubelet, unmount what is mounted under /var/lib/kubelet and remove the Kubernetes containers through the CRI; ' +
    "remove kube-proxy's iptables, nftables and IPVS rules and the network interfaces a CNI plugin made for this cluster; " +
    "remove this cluster's entry from $HOME/.kube/config; then restore the files tskubeadm init or join replaced, remove the ones they " +
    "and the cluster created (kubeadm's directories and kubeconfig files), and keep what was there before. " +
    'What it leaves is listed at the end, with why.',
  example: '  # Clean this node up without asking\n  tskubeadm reset phase cleanup-node --force',
  flags: ['cert-dir', 'cleanup-tmp-dir', 'cri-socket', 'dry-run', 'force'],
  run: async (ctx) => {
    // Asked before anything is removed: KUBE-* rules on a host where no node was set up (no journal, no kubeadm
    // file) may belong to another Kubernetes distribution; they are not this reset's to remove.
    const nodeHere = (await ctx.journal()) !== undefined || (await nodeWasSetUp(ctx));
    await stopKubelet(ctx);
    const unmounted = await unmountKubeletDir(ctx);
    await removeContainers(ctx);
    if (nodeHere) await cleanNetwork(ctx);
    else ctx.out.detail(1, '[reset] No node was set up on this host (no host journal, no kubeadm file): its network rules are left alone');
    // Before the files: attributing the user's kubeconfig entry needs the cluster's CA, still on disk here.
    await removeUserKubeconfigEntries(ctx);
    await revertHostFiles(ctx, kubeadmFileCleanup(ctx, { unmounted }));
  },
};
