// Where kubeadm puts the kubelet's node-local files (constants.go: KubeletRunDirectory,
// KubeletEnvFileName, KubeletConfigurationFileName, KubeletInstanceConfigurationFileName).

/** The kubelet's run directory; kubeadm creates it 0700. */
export const kubeletRunDir = '/var/lib/kubelet';

export const kubeletFileNames = Object.freeze({
  /** `KUBELET_KUBEADM_ARGS="…"`, sourced by the kubelet's systemd drop-in. */
  flagsEnv: 'kubeadm-flags.env',
  /** The KubeletConfiguration (the cluster-wide one, plus patches and this node's instance config). */
  config: 'config.yaml',
  /** This node's own settings (NodeLocalCRISocket): the container runtime endpoint. */
  instanceConfig: 'instance-config.yaml',
} as const);

export type KubeletFileName = (typeof kubeletFileNames)[keyof typeof kubeletFileNames];

/** The kubelet's kubeconfigs in /etc/kubernetes: the TLS-bootstrap one join writes, and the one the kubelet's
 *  bootstrap produces (kubeadm's KubeletBootstrapKubeConfigFileName, KubeletKubeConfigFileName). */
export const kubeletKubeconfigNames = Object.freeze({ bootstrap: 'bootstrap-kubelet.conf', kubelet: 'kubelet.conf' } as const);

/** The variable kubeadm-flags.env sets. */
export const kubeletEnvVariable = 'KUBELET_KUBEADM_ARGS';

export function kubeletFilePath(name: KubeletFileName, dir = kubeletRunDir): string {
  return `${dir.replace(/\/+$/, '')}/${name}`;
}
