// The command lines of kube-apiserver, kube-controller-manager and kube-scheduler: kubeadm's default
// flags for the configuration, then the user's extraArgs over them (argumentsToCommand).
// kubeadm: phases/controlplane/manifests.go getAPIServerCommand, getControllerManagerCommand,
// getSchedulerCommand. None of them passes kubeadm's own feature gates on (none of today's gates is a
// component flag); the components' gates are theirs to set through extraArgs.
import path from 'node:path';
import { joinHostPort } from '../config/host-port.js';
import { isIPv6Address } from '../config/ip.js';
import type { APIEndpoint, Arg, ClusterConfiguration } from '../config/types.js';
import { argumentsToCommand } from './arguments.js';

/** kubeadm's fixed locations of the kubeconfig files the components read (not --kubeconfig-dir). */
export const controllerManagerKubeconfig = '/etc/kubernetes/controller-manager.conf';
export const schedulerKubeconfig = '/etc/kubernetes/scheduler.conf';

/** The API server's modes kubeadm lets through, and its default. */
export const validAuthorizationModes = ['Node', 'RBAC', 'Webhook', 'ABAC', 'AlwaysAllow', 'AlwaysDeny'] as const;
export const defaultAuthorizationMode = 'Node,RBAC';

const etcdClientPort = 2379;

/** The value of the last `name` in `args` (kubeadm's GetArgValue(args, name, -1)), or undefined. */
export function lastArg(args: readonly Arg[], name: string): string | undefined {
  for (let i = args.length - 1; i >= 0; i--) if (args[i]!.name === name) return args[i]!.value;
  return undefined;
}

/** kubeadm's getAuthzModes: the requested modes minus unknown ones (each warned about), or Node,RBAC when
 *  none is requested or none is valid; a valid choice other than Node,RBAC is warned about too. */
export function authorizationModes(requested: string, warn: (message: string) => void): string {
  if (requested === '') return defaultAuthorizationMode;
  const valid = new Set<string>(validAuthorizationModes);
  const modes: string[] = [];
  for (const m of requested.split(',')) {
    if (valid.has(m)) modes.push(m);
    else warn(`ignoring unknown kube-apiserver authorization-mode "${m}"`);
  }
  if (modes.length === 0) return defaultAuthorizationMode;
  const chosen = modes.join(',');
  if (chosen !== defaultAuthorizationMode) {
    warn(`the default kube-apiserver authorization-mode is "${defaultAuthorizationMode}"; using "${chosen}"`);
  }
  return chosen;
}

function pki(cluster: ClusterConfiguration, name: string): string {
  // Go's filepath.Join: a trailing slash on certificatesDir does not double.
  return path.posix.join(cluster.certificatesDir, name);
}

function set(args: Arg[], name: string, value: string): void {
  const i = args.findIndex((a) => a.name === name);
  if (i === -1) args.push({ name, value });
  else args[i] = { name, value };
}

/** `kube-apiserver` and its flags for this node (its advertise address and bind port). */
export function apiServerCommand(cluster: ClusterConfiguration, local: APIEndpoint, warn: (message: string) => void): string[] {
  const args: Arg[] = [
    { name: 'advertise-address', value: local.advertiseAddress },
    { name: 'enable-admission-plugins', value: 'NodeRestriction' },
    { name: 'service-cluster-ip-range', value: cluster.networking.serviceSubnet },
    { name: 'service-account-key-file', value: pki(cluster, 'sa.pub') },
    { name: 'service-account-signing-key-file', value: pki(cluster, 'sa.key') },
    { name: 'service-account-issuer', value: `https://kubernetes.default.svc.${cluster.networking.dnsDomain}` },
    { name: 'client-ca-file', value: pki(cluster, 'ca.crt') },
    { name: 'tls-cert-file', value: pki(cluster, 'apiserver.crt') },
    { name: 'tls-private-key-file', value: pki(cluster, 'apiserver.key') },
    { name: 'kubelet-client-certificate', value: pki(cluster, 'apiserver-kubelet-client.crt') },
    { name: 'kubelet-client-key', value: pki(cluster, 'apiserver-kubelet-client.key') },
    { name: 'enable-bootstrap-token-auth', value: 'true' },
    { name: 'secure-port', value: String(local.bindPort) },
    { name: 'allow-privileged', value: 'true' },
    { name: 'kubelet-preferred-address-types', value: 'InternalIP,ExternalIP,Hostname' },
    // The front proxy (aggregation layer) is always configured: its certificates are always generated.
    { name: 'requestheader-username-headers', value: 'X-Remote-User' },
    { name: 'requestheader-group-headers', value: 'X-Remote-Group' },
    { name: 'requestheader-extra-headers-prefix', value: 'X-Remote-Extra-' },
    { name: 'requestheader-client-ca-file', value: pki(cluster, 'front-proxy-ca.crt') },
    { name: 'requestheader-allowed-names', value: 'front-proxy-client' },
    { name: 'proxy-client-cert-file', value: pki(cluster, 'front-proxy-client.crt') },
    { name: 'proxy-client-key-file', value: pki(cluster, 'front-proxy-client.key') },
  ];
  const external = cluster.etcd.external;
  if (external !== undefined) {
    set(args, 'etcd-servers', external.endpoints.join(','));
    if (external.caFile !== '') set(args, 'etcd-cafile', external.caFile);
    if (external.certFile !== '' && external.keyFile !== '') {
      set(args, 'etcd-certfile', external.certFile);
      set(args, 'etcd-keyfile', external.keyFile);
    }
  } else {
    // The local etcd listens on the loopback address of the advertise address's family.
    const loopback = isIPv6Address(local.advertiseAddress) ? '::1' : '127.0.0.1';
    set(args, 'etcd-servers', `https://${joinHostPort(loopback, etcdClientPort)}`);
    set(args, 'etcd-cafile', pki(cluster, 'etcd/ca.crt'));
    set(args, 'etcd-certfile', pki(cluster, 'apiserver-etcd-client.crt'));
    set(args, 'etcd-keyfile', pki(cluster, 'apiserver-etcd-client.key'));
    const advertised = lastArg(cluster.etcd.local.extraArgs, 'advertise-client-urls');
    if (advertised !== undefined) set(args, 'etcd-servers', advertised);
  }

  let extra = cluster.apiServer.extraArgs;
  // With a structured authorization config the API server refuses --authorization-mode: add none.
  if (lastArg(extra, 'authorization-config') === undefined) {
    const requested = lastArg(extra, 'authorization-mode');
    const modes = authorizationModes(requested ?? '', warn);
    set(args, 'authorization-mode', modes);
    // kubeadm warns that it ignores unknown modes but then passes the user's value on unchanged (its
    // extraArgs override its own filtered default), so the API server refuses to start. We do what the
    // warning says: the filtered list replaces the user's.
    if (requested !== undefined) extra = [...extra.filter((a) => a.name !== 'authorization-mode'), { name: 'authorization-mode', value: modes }];
  }
  return ['kube-apiserver', ...argumentsToCommand(args, extra)];
}

/** `kube-controller-manager` and its flags. `externalCA`: ca.crt is there without ca.key (kubeadm's
 *  UsingExternalCA), so the CSR signer gets empty file names and stays off. */
export function controllerManagerCommand(cluster: ClusterConfiguration, externalCA: boolean): string[] {
  const ca = pki(cluster, 'ca.crt');
  const args: Arg[] = [
    { name: 'bind-address', value: '127.0.0.1' },
    { name: 'leader-elect', value: 'true' },
    { name: 'kubeconfig', value: controllerManagerKubeconfig },
    { name: 'authentication-kubeconfig', value: controllerManagerKubeconfig },
    { name: 'authorization-kubeconfig', value: controllerManagerKubeconfig },
    { name: 'client-ca-file', value: ca },
    { name: 'requestheader-client-ca-file', value: pki(cluster, 'front-proxy-ca.crt') },
    { name: 'root-ca-file', value: ca },
    { name: 'service-account-private-key-file', value: pki(cluster, 'sa.key') },
    { name: 'cluster-signing-cert-file', value: externalCA ? '' : ca },
    { name: 'cluster-signing-key-file', value: externalCA ? '' : pki(cluster, 'ca.key') },
    { name: 'use-service-account-credentials', value: 'true' },
    { name: 'controllers', value: '*,bootstrapsigner,tokencleaner' },
  ];
  const { podSubnet, serviceSubnet } = cluster.networking;
  if (podSubnet !== '') {
    // Node CIDRs are carved out of the pod network (dual-stack: both families, comma-separated).
    set(args, 'allocate-node-cidrs', 'true');
    set(args, 'cluster-cidr', podSubnet);
    if (serviceSubnet !== '') set(args, 'service-cluster-ip-range', serviceSubnet);
  }
  if (cluster.clusterName !== '') set(args, 'cluster-name', cluster.clusterName);
  return ['kube-controller-manager', ...argumentsToCommand(args, cluster.controllerManager.extraArgs)];
}

/** `kube-scheduler` and its flags. */
export function schedulerCommand(cluster: ClusterConfiguration): string[] {
  const args: Arg[] = [
    { name: 'bind-address', value: '127.0.0.1' },
    { name: 'leader-elect', value: 'true' },
    { name: 'kubeconfig', value: schedulerKubeconfig },
    { name: 'authentication-kubeconfig', value: schedulerKubeconfig },
    { name: 'authorization-kubeconfig', value: schedulerKubeconfig },
  ];
  return ['kube-scheduler', ...argumentsToCommand(args, cluster.scheduler.extraArgs)];
}
