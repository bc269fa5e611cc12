// Numbers and paths the checks compare against. kubeadm: app/constants/constants.go (1.35 line).
import { maximumMinor } from '../config/kubernetes-versions.js';

/** kubeadm's own minor, which this tskubeadm emulates: the newest Kubernetes minor it deploys. */
export const kubeadmMinor = maximumMinor;

/** The oldest kubelet kubeadm accepts: its own minor − 3 (kubeadm's MinimumKubeletVersion). */
export const minimumKubeletVersion = `1.${kubeadmMinor - 3}.0`;

/** The oldest external etcd kubeadm 1.35 accepts (MinExternalEtcdVersion). */
export const minimumExternalEtcdVersion = '3.5.24-0';

export const controlPlaneMinCPUs = 2;
export const controlPlaneMinMemoryMB = 1700;

export const ports = Object.freeze({
  kubelet: 10250,
  kubeScheduler: 10259,
  kubeControllerManager: 10257,
  etcdClient: 2379,
  etcdPeer: 2380,
  /** The insecure ports of kube-scheduler and kube-controller-manager, removed in Kubernetes 1.23. */
  legacyKubeScheduler: 10251,
  legacyKubeControllerManager: 10252,
} as const);

const kubernetesDir = '/etc/kubernetes';
export const manifestsDir = `${kubernetesDir}/manifests`;
export const kubeletKubeconfig = `${kubernetesDir}/kubelet.conf`;
export const bootstrapKubeletKubeconfig = `${kubernetesDir}/bootstrap-kubelet.conf`;

export const ipv4Forward = '/proc/sys/net/ipv4/ip_forward';
export const ipv6DefaultForwarding = '/proc/sys/net/ipv6/conf/default/forwarding';
export const bridgeNfCallIptables = '/proc/sys/net/bridge/bridge-nf-call-iptables';
export const bridgeNfCallIp6tables = '/proc/sys/net/bridge/bridge-nf-call-ip6tables';

/** Timeouts of the probes the checks run (ms). */
export const timeouts = Object.freeze({
  /** crictl's own default RPC timeout, which kubeadm inherits. */
  cri: 2000,
  exec: 10_000,
  externalEtcdRequest: 10_000,
  externalEtcdRetryInterval: 5000,
} as const);

export const externalEtcdRequestRetries = 3;
