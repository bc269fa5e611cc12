// The two ConfigMaps upload-config stores in kube-system, and the Roles that let joining nodes read them:
// kubeadm-config (the ClusterConfiguration) and kubelet-config (the cluster-wide KubeletConfiguration).
// kubeadm: phases/uploadconfig/uploadconfig.go, phases/kubelet/config.go (CreateConfigMap, RBAC rules).
import { kubeSystem, type KubeObject } from '../api/objects.js';
import { kubeletConfiguration } from '../config/encode-component-configs.js';
import { encodeClusterConfig, toGoYaml } from '../config/encode.js';
import type { ClusterConfiguration, ComponentConfig } from '../config/types.js';
import { defaultNodeTokenGroup } from '../tokens/token-secret.js';
import { componentConfigHash, componentConfigHashAnnotation } from './component-config-hash.js';
import { getNamed, group, nodesGroup, role, roleBinding } from './rbac.js';

export const kubeadmConfigMapName = 'kubeadm-config';
export const clusterConfigurationKey = 'ClusterConfiguration';
export const kubeletConfigMapName = 'kubelet-config';
export const kubeletConfigMapKey = 'kubelet';
/** The group every node's credentials carry. */

const kubeadmConfigRoleName = 'kubeadm:nodes-kubeadm-config';
const kubeletConfigRoleName = 'kubeadm:kubelet-config';

function configMap(name: string, data: Readonly<Record<string, string>>, annotations?: Readonly<Record<string, string>>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: kubeSystem, ...(annotations === undefined ? {} : { annotations: { ...annotations } }) },
    data: { ...data },
  };
}

/** The ClusterConfiguration as kubeadm uploads it: v1beta4, component configs left out (they have their own
 *  ConfigMaps), no InitConfiguration fields. The encoder already omits what kubeadm's omitempty drops. */
export function clusterConfigurationText(cluster: ClusterConfiguration): string {
  return encodeClusterConfig(cluster);
}

export function kubeadmConfigMap(cluster: ClusterConfiguration): KubeObject {
  return configMap(kubeadmConfigMapName, { [clusterConfigurationKey]: clusterConfigurationText(cluster) });
}

/** An existing kubeadm-config with only its ClusterConfiguration replaced (kubeadm's CreateOrMutateConfigMap:
 *  other keys, labels and annotations someone added stay). */
export function withClusterConfiguration(existing: KubeObject, text: string): KubeObject {
  const data = typeof existing['data'] === 'object' && existing['data'] !== null ? existing['data'] as Record<string, string> : {};
  return { ...existing, data: { ...data, [clusterConfigurationKey]: text } };
}

/** Role + RoleBinding: bootstrap tokens (discovery on join) and nodes (upgrade) may read kubeadm-config. */
export function kubeadmConfigRbac(): readonly KubeObject[] {
  return [
    role(kubeadmConfigRoleName, kubeSystem, [getNamed('configmaps', kubeadmConfigMapName)]),
    // kubeadm lists the bootstrap group first here and last for kubelet-config; the order is kept.
    roleBinding(kubeadmConfigRoleName, kubeSystem, kubeadmConfigRoleName, [group(defaultNodeTokenGroup), group(nodesGroup)]),
  ];
}

export interface KubeletConfigMap {
  readonly configMap: KubeObject;
  /** kubeadm's "recommended value" warnings for the user's document (kubelet-start prints them already). */
  readonly warnings: readonly string[];
}

/**
 * kubelet-config: the cluster-wide KubeletConfiguration, without anything node-local (no instance config, no
 * patches, no resolvConf). kubeadm "signs" it with the component-config hash only when it generated the
 * document; a user-supplied KubeletConfiguration is uploaded unsigned, so upgrades leave it alone.
 */
export function kubeletConfigMap(cluster: ClusterConfiguration, given: ComponentConfig | undefined): KubeletConfigMap {
  const { document, warnings } = kubeletConfiguration(cluster, given === undefined ? {} : { given });
  const data = { [kubeletConfigMapKey]: toGoYaml(document) };
  const annotations = given === undefined ? { [componentConfigHashAnnotation]: componentConfigHash(data) } : undefined;
  return { configMap: configMap(kubeletConfigMapName, data, annotations), warnings };
}

/** Role + RoleBinding: nodes and bootstrap tokens may read kubelet-config. */
export function kubeletConfigRbac(): readonly KubeObject[] {
  return [
    role(kubeletConfigRoleName, kubeSystem, [getNamed('configmaps', kubeletConfigMapName)]),
    roleBinding(kubeletConfigRoleName, kubeSystem, kubeletConfigRoleName, [group(nodesGroup), group(defaultNodeTokenGroup)]),
  ];
}
