// init's kubelet-start phase: write the kubelet's node-local files, then (re)start it so the static Pods
// written by the earlier phases come up. kubeadm: cmd/phases/init/kubelet.go.
import { kubeletFlags, kubeletFlagsEnv, nodeNameOf } from '../../kubelet/flags-env.js';
import { writeKubeletConfiguration, writeKubeletFlagsEnv, type KubeletFileTarget } from '../../kubelet/kubelet-files.js';
import { controlService, tryStartKubelet, tryStopKubelet } from '../../kubelet/kubelet-service.js';
import { nodeLocalCRISocket } from '../../kubelet/instance-config.js';
import { kubeletDefaultNodeIP, nodeIPFlag } from '../../kubelet/node-ip.js';
import type { NodeRegistration } from '../../config/types.js';
import type { Host } from '../../host/host.js';
import type { Output } from '../../output/output.js';
import type { Phase } from '../../workflow/phase.js';
import type { InitContext } from './context.js';

export const kubeletStart: Phase<InitContext> = {
  name: 'kubelet-start',
  short: 'Write the kubelet settings and (re)start the kubelet',
  long: 'Write the KubeletConfiguration to /var/lib/kubelet/config.yaml and the node-specific kubelet flags to ' +
    '/var/lib/kubelet/kubeadm-flags.env (with the NodeLocalCRISocket feature gate, the container runtime endpoint goes to ' +
    '/var/lib/kubelet/instance-config.yaml instead), then restart the kubelet through systemd or OpenRC. ' +
    'The kubelet is stopped while its files change. Under --dry-run the files go to the dry-run folder and the service commands are only listed.',
  example: '# Write the kubelet files from a configuration file and restart the kubelet.\ntskubeadm init phase kubelet-start --config config.yaml',
  flags: ['config', 'cri-socket', 'dry-run', 'image-repository', 'node-name', 'patches'],
  run: runKubeletStart,
};

async function runKubeletStart(ctx: InitContext): Promise<void> {
  const { cfg, host, out } = ctx;
  const nodeReg = cfg.init.nodeRegistration;
  // Stopped first so it never starts half-way through the rewrite. A dry run only records the commands.
  if (ctx.dryRun) await controlService(host, 'kubelet', 'stop');
  else await tryStopKubelet(host, out);

  const target: KubeletFileTarget = { host, out, writtenTo: ctx.writtenTo };
  const gate = nodeLocalCRISocket(cfg.cluster);
  // Control-plane nodes get their taints from mark-control-plane, never from the kubelet's flags.
  const nodeIP = await kubeletNodeIP(host, out, nodeReg, cfg.init.localAPIEndpoint.advertiseAddress);
  const flags = kubeletFlags({
    cluster: cfg.cluster, nodeRegistration: nodeReg, hostname: host.system.hostname(), nodeLocalCRISocket: gate, registerTaints: false,
    ...(nodeIP === undefined ? {} : { nodeIP }),
  });
  await writeKubeletFlagsEnv(target, kubeletFlagsEnv(flags, nodeReg.kubeletExtraArgs));

  await writeKubeletConfiguration(target, { cluster: cfg.cluster, given: cfg.kubelet, criSocket: nodeReg.criSocket, patches: await ctx.patches() });

  if (ctx.dryRun) {
    await controlService(host, 'kubelet', 'restart');
    return;
  }
  out.info('[kubelet-start] Starting the kubelet');
  await tryStartKubelet(host, out);
}

/** --node-ip = the advertise address, when the kubelet left alone would report another of this host's
 *  addresses (said on a line of its own, since kubeadm would not pass it); not when kubeletExtraArgs set it.
 *  Also join's kubelet-start, for a joining control plane. */
export async function kubeletNodeIP(
  host: Host, out: Output, nodeReg: Pick<NodeRegistration, 'name' | 'kubeletExtraArgs'>, advertiseAddress: string,
): Promise<string | undefined> {
  if (nodeReg.kubeletExtraArgs.some((a) => a.name === 'node-ip')) return undefined;
  const facts = {
    interfaces: await host.net.interfaces(),
    nodeNameAddresses: await host.net.lookup(nodeNameOf(nodeReg, host.system.hostname())),
    defaultRoute: { 4: await host.net.defaultRouteInterface(4), 6: await host.net.defaultRouteInterface(6) },
  };
  const nodeIP = nodeIPFlag(advertiseAddress, facts);
  if (nodeIP !== undefined) {
    out.info(`[kubelet-start] Passing --node-ip=${nodeIP}: on its own the kubelet would report ${kubeletDefaultNodeIP(facts) ?? 'no address'} ` +
      'as this node\'s address, not the advertise address');
  }
  return nodeIP;
}
