// /var/lib/kubelet/kubeadm-flags.env: the node-specific kubelet flags kubeadm passes through
// the kubelet's systemd drop-in. kubeadm: phases/kubelet/flags.go (buildKubeletArgsCommon,
// WriteKubeletArgsToFile, GetNodeNameAndHostname).
import type { Arg, ClusterConfiguration, NodeRegistration, Taint } from '../config/types.js';
import { pauseImage } from '../config/images.js';
import { minorOf } from '../config/kubernetes-versions.js';
import { argumentsToCommand } from '../manifests/arguments.js';
import { goQuote } from '../output/go-quote.js';
import { kubeletEnvVariable } from './kubelet-paths.js';

/** The first kubelet minor that refuses `--pod-infra-container-image` ("unknown flag": kubernetes PR 133779). */
export const podInfraFlagRemovedMinor = 35;

/** Whether a kubelet of this Kubernetes version still takes `--pod-infra-container-image`. The kubeadm we match
 *  (v1.35.0-alpha.0, observed) passes it; kubeadm 1.35 stopped (PR 133778) because a 1.35 kubelet fails to start
 *  with it. Passing it only below 1.35 keeps the observed 1.34 output and starts a 1.35 kubelet. */
export function passesPodInfraImage(kubernetesVersion: string): boolean {
  const minor = minorOf(kubernetesVersion);
  return minor !== undefined && minor < podInfraFlagRemovedMinor;
}

/** kubeadm's nodeutil.GetHostname: the host name lower-cased and trimmed. */
export function normalizedHostname(hostname: string): string {
  return hostname.trim().toLowerCase();
}

/** The node's name by kubeadm's precedence: the hostname, then nodeRegistration.name, then the last
 *  `hostname-override` in kubeletExtraArgs. */
export function nodeNameOf(nodeRegistration: Pick<NodeRegistration, 'name' | 'kubeletExtraArgs'>, hostname: string): string {
  const override = nodeRegistration.kubeletExtraArgs.findLast((a) => a.name === 'hostname-override');
  if (override !== undefined) return override.value;
  return nodeRegistration.name !== '' ? nodeRegistration.name : normalizedHostname(hostname);
}

/** A taint as the kubelet's --register-with-taints reads it: `key=value:Effect` (`key:Effect` without a value). */
export function taintFlagValue(t: Taint): string {
  return t.value === undefined || t.value === '' ? `${t.key}:${t.effect}` : `${t.key}=${t.value}:${t.effect}`;
}

export interface KubeletFlagsOptions {
  readonly cluster: ClusterConfiguration;
  readonly nodeRegistration: Pick<NodeRegistration, 'name' | 'criSocket' | 'kubeletExtraArgs' | 'taints'>;
  /** The host's name as the system reports it (compared lower-cased, as kubeadm does). */
  readonly hostname: string;
  /** NodeLocalCRISocket on: the runtime endpoint goes to instance-config.yaml instead of a flag. */
  readonly nodeLocalCRISocket: boolean;
  /** Worker joins register their taints through the kubelet; init and control-plane joins never do
   *  (mark-control-plane sets them). */
  readonly registerTaints: boolean;
  /** --node-ip, when the kubelet would otherwise report another address than the advertised one (node-ip.ts). */
  readonly nodeIP?: string;
}

/** kubeadm's own flags for this node, before kubeletExtraArgs are laid over them. */
export function kubeletFlags(o: KubeletFlagsOptions): Arg[] {
  const flags: Arg[] = [];
  const nodeReg = o.nodeRegistration;
  if (!o.nodeLocalCRISocket && nodeReg.criSocket !== '') flags.push({ name: 'container-runtime-endpoint', value: nodeReg.criSocket });
  if (passesPodInfraImage(o.cluster.kubernetesVersion)) {
    flags.push({ name: 'pod-infra-container-image', value: pauseImage(o.cluster) });
  }
  const taints = nodeReg.taints ?? [];
  if (o.registerTaints && taints.length > 0) flags.push({ name: 'register-with-taints', value: taints.map(taintFlagValue).join(',') });
  const nodeName = nodeNameOf(nodeReg, o.hostname);
  if (nodeName !== normalizedHostname(o.hostname)) flags.push({ name: 'hostname-override', value: nodeName });
  if (o.nodeIP !== undefined) flags.push({ name: 'node-ip', value: o.nodeIP });
  return flags;
}

/** The file's text: one `KUBELET_KUBEADM_ARGS="…"` line, the flags sorted with the extra args overriding
 *  kubeadm's (kubeadm's ArgumentsToCommand), quoted as Go's %q. */
export function kubeletFlagsEnv(flags: readonly Arg[], extraArgs: readonly Arg[]): string {
  return `${kubeletEnvVariable}=${goQuote(argumentsToCommand(flags, extraArgs).join(' '))}\n`;
}
