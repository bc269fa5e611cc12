// Builds the one view the checks read (PreflightTarget) from each command's configuration.
// kubeadm passes its whole InitConfiguration / JoinConfiguration into the check-list builders;
// we reduce it once here so checks and conditions stay small and the table stays data.
import type { ClusterConfiguration, InitConfig, JoinConfig, ResetConfig } from '../config/types.js';
import type { PreflightTarget } from './check.js';
import { splitHostPort } from '../config/host-port.js';
import { parseIP } from '../config/ip.js';
import { cidrFamilies } from './ip-match.js';

export interface TargetOptions {
  readonly dryRun: boolean;
  /** The control-plane images, for ImagePull (src/config/images.ts). */
  readonly images?: readonly string[];
}

function forwardingOf(serviceSubnet: string, podSubnet: string, address: string | undefined): PreflightTarget['forwarding'] {
  const families = new Set([...cidrFamilies(serviceSubnet), ...cidrFamilies(podSubnet)]);
  const ip = address === undefined ? undefined : parseIP(address);
  if (ip !== undefined) families.add(ip.family);
  return { ipv4: families.has(4), ipv6: families.has(6) };
}

function controlPlaneOf(cluster: ClusterConfiguration, advertiseAddress: string, bindPort: number, downloadCerts: boolean): PreflightTarget['controlPlane'] {
  return {
    advertiseAddress,
    bindPort,
    serviceSubnets: cluster.networking.serviceSubnet.split(','),
    podSubnets: cluster.networking.podSubnet.split(','),
    etcd: cluster.etcd,
    downloadCerts,
  };
}

/** `kubeadm init`: the first control plane. */
export function initTarget(cfg: InitConfig, opts: TargetOptions): PreflightTarget {
  const nr = cfg.init.nodeRegistration;
  const ep = cfg.init.localAPIEndpoint;
  return {
    nodeName: nr.name,
    criSocket: nr.criSocket,
    dryRun: opts.dryRun,
    kubernetesVersion: cfg.cluster.kubernetesVersion,
    controlPlane: controlPlaneOf(cfg.cluster, ep.advertiseAddress, ep.bindPort, false),
    join: undefined,
    forwarding: forwardingOf(cfg.cluster.networking.serviceSubnet, cfg.cluster.networking.podSubnet, ep.advertiseAddress),
    kubeletConfig: cfg.kubelet,
    imagePull: { images: opts.images ?? [], policy: nr.imagePullPolicy, serial: nr.imagePullSerial },
  };
}

/** `kubeadm join`, the checks every joining node runs (kubeadm's JoinNodeChecks). */
export function joinTarget(cfg: JoinConfig, opts: TargetOptions): PreflightTarget {
  const j = cfg.join;
  const token = j.discovery.bootstrapToken;
  const hp = token === undefined ? undefined : splitHostPort(token.apiServerEndpoint);
  const discoveryHost = hp?.ok === true ? hp.host : undefined;
  const ip = discoveryHost === undefined ? undefined : parseIP(discoveryHost);
  return {
    nodeName: j.nodeRegistration.name,
    criSocket: j.nodeRegistration.criSocket,
    dryRun: opts.dryRun,
    kubernetesVersion: undefined,
    controlPlane: undefined,
    join: { caCertPath: j.controlPlane === undefined ? j.caCertPath : undefined, discoveryHost },
    forwarding: { ipv4: ip?.family === 4, ipv6: ip?.family === 6 },
    kubeletConfig: undefined,
    imagePull: undefined,
  };
}

/**
 * `kubeadm join --control-plane`, second pass: the control-plane checks against the cluster's
 * configuration, which only discovery can provide.
 */
export function controlPlaneJoinTarget(cfg: JoinConfig, cluster: ClusterConfiguration, opts: TargetOptions): PreflightTarget {
  const j = cfg.join;
  const cp = j.controlPlane;
  const base = joinTarget(cfg, opts);
  const ep = cp?.localAPIEndpoint ?? { advertiseAddress: '', bindPort: 6443 };
  return {
    ...base,
    kubernetesVersion: cluster.kubernetesVersion,
    controlPlane: controlPlaneOf(cluster, ep.advertiseAddress, ep.bindPort, (cp?.certificateKey ?? '') !== ''),
    imagePull: { images: opts.images ?? [], policy: j.nodeRegistration.imagePullPolicy, serial: j.nodeRegistration.imagePullSerial },
  };
}

/** `kubeadm reset` only checks privileges. */
export function resetTarget(cfg: ResetConfig, opts: TargetOptions): PreflightTarget {
  return {
    nodeName: '',
    criSocket: cfg.reset.criSocket,
    dryRun: opts.dryRun,
    kubernetesVersion: undefined,
    controlPlane: undefined,
    join: undefined,
    forwarding: { ipv4: false, ipv6: false },
    kubeletConfig: undefined,
    imagePull: undefined,
  };
}
