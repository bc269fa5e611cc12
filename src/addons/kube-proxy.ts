// The kube-proxy addon's objects as kubeadm creates them (phases/addons/proxy/proxy.go, manifests.go):
// the fixed parts come from templates/kube-proxy.yaml, the rest is computed here. No API calls.
import { parseAllDocuments, stringify } from 'yaml';
import kubeProxyTemplate from '../../templates/kube-proxy.yaml';
import { kubeSystem, type KubeObject } from '../api/objects.js';
import { componentConfigHash, componentConfigHashAnnotation } from '../cluster-objects/component-config-hash.js';
import { clusterRoleBinding, getNamed, group, role, roleBinding, serviceAccountSubject } from '../cluster-objects/rbac.js';
import { kubeProxyConfiguration } from '../config/encode-component-configs.js';
import { toGoYaml } from '../config/encode.js';
import { kubernetesImage } from '../config/images.js';
import type { APIEndpoint, ClusterConfiguration, ComponentConfig } from '../config/types.js';
import { controlPlaneEndpointURL } from '../kubeconfig/endpoints.js';
import { defaultNodeTokenGroup } from '../tokens/token-secret.js';

export const kubeProxyName = 'kube-proxy';

type Json = Record<string, unknown>;

function templateObject(kind: 'ConfigMap' | 'Config' | 'DaemonSet'): Json {
  for (const doc of parseAllDocuments(kubeProxyTemplate)) {
    const obj = doc.toJS() as Json | null;
    if (obj?.['kind'] === kind) return obj;
  }
  throw new Error(`templates/kube-proxy.yaml has no ${kind}`);
}

export interface KubeProxyInput {
  readonly cluster: ClusterConfiguration;
  /** The user's KubeProxyConfiguration document, if any. */
  readonly given: ComponentConfig | undefined;
  /** This node's API endpoint: the server when no controlPlaneEndpoint is set, and the bind family. */
  readonly localAPIEndpoint: APIEndpoint;
}

/** kubeconfig.conf: kube-proxy talks to the control-plane endpoint with its service account token.
 *  kubeadm's template text keeps its own key order (apiVersion, kind, clusters, …), so it is not sorted. */
export function kubeProxyKubeconfig(server: string): string {
  const doc = templateObject('Config');
  ((doc['clusters'] as Json[])[0]!['cluster'] as Json)['server'] = server;
  return stringify(doc, { version: '1.1', indentSeq: false }).replace(/\n$/, '');
}

/** The kube-proxy ConfigMap with config.conf, kubeconfig.conf and, when kubeadm generated the config, the component-config hash. */
export function kubeProxyConfigMap(input: KubeProxyInput): KubeObject {
  const config = kubeProxyConfiguration(input.cluster, {
    ...(input.given === undefined ? {} : { given: input.given }),
    advertiseAddress: input.localAPIEndpoint.advertiseAddress,
  }).document;
  // kubeadm splices both texts into a `|-` block: neither ends with a newline, and the hash covers them so.
  const data = {
    'config.conf': toGoYaml(config).replace(/\n$/, ''),
    'kubeconfig.conf': kubeProxyKubeconfig(controlPlaneEndpointURL(input.cluster, input.localAPIEndpoint)),
  };
  const cm = templateObject('ConfigMap');
  const metadata = cm['metadata'] as Json;
  // As kubelet-config: only a generated config is signed; a user's own KubeProxyConfiguration is theirs to change.
  if (input.given === undefined) metadata['annotations'] = { [componentConfigHashAnnotation]: componentConfigHash(data) };
  cm['data'] = data;
  return cm as unknown as KubeObject;
}

export function kubeProxyDaemonSet(cluster: ClusterConfiguration): KubeObject {
  const ds = templateObject('DaemonSet');
  const podSpec = ((ds['spec'] as Json)['template'] as Json)['spec'] as Json;
  (podSpec['containers'] as Json[])[0]!['image'] = kubernetesImage(kubeProxyName, cluster);
  return ds as unknown as KubeObject;
}

export function kubeProxyServiceAccount(): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: kubeProxyName, namespace: kubeSystem } };
}

/** kube-proxy's Pods get system:node-proxier; joining nodes (bootstrap tokens) may read its ConfigMap. */
export function kubeProxyRbac(): KubeObject[] {
  return [
    clusterRoleBinding('kubeadm:node-proxier', 'system:node-proxier', [serviceAccountSubject(kubeProxyName, kubeSystem)]),
    role(kubeProxyName, kubeSystem, [getNamed('configmaps', kubeProxyName)]),
    roleBinding(kubeProxyName, kubeSystem, kubeProxyName, [group(defaultNodeTokenGroup)]),
  ];
}
