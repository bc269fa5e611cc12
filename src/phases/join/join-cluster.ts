// The cluster's configuration as a joining node uses it (kubeadm's initCfg): the ClusterConfiguration that
// init uploaded to kube-system/kubeadm-config, the cluster-wide kubelet and kube-proxy configs, and this
// node's own registration, API endpoint (control plane), patches and timeouts from its JoinConfiguration.
// kubeadm: cmd/join.go fetchInitConfigurationFromJoinConfiguration, util/config/cluster.go.
import type { ApiClient } from '../../api/client.js';
import { isForbidden } from '../../api/api-error.js';
import { kubeSystem, type KubeObject } from '../../api/objects.js';
import { clusterConfigurationKey, kubeadmConfigMapName, kubeletConfigMapKey, kubeletConfigMapName } from '../../cluster-objects/kubeadm-config-map.js';
import { buildCluster, buildInit } from '../../config/build.js';
import { readConfigDocuments } from '../../config/decode.js';
import type { ClusterConfiguration, ComponentConfig, InitConfig, JoinConfig } from '../../config/types.js';
import { ConfigError, formatProblem } from '../../errors.js';
import type { Output } from '../../output/output.js';
import { parse } from 'yaml';

const reupload = 'run `tskubeadm init phase upload-config --config <your init config>` on a control-plane node to upload it again';

/** Where a ConfigMap's document came from, for messages. */
function source(name: string, key: string): string {
  return `the "${key}" key of ConfigMap ${kubeSystem}/${name}`;
}

function dataOf(cm: KubeObject): Readonly<Record<string, unknown>> {
  const d = cm['data'];
  return d !== null && typeof d === 'object' ? (d as Record<string, unknown>) : {};
}

/** The ClusterConfiguration in kubeadm-config, decoded as a config file would be. */
export function clusterFromConfigMap(cm: KubeObject | undefined): ClusterConfiguration {
  if (cm === undefined) {
    throw new ConfigError(`the ConfigMap "${kubeadmConfigMapName}" does not exist in namespace "${kubeSystem}": this cluster was not set up by kubeadm or tskubeadm init, or its configuration was deleted`, { fix: reupload });
  }
  const where = source(kubeadmConfigMapName, clusterConfigurationKey);
  const text = dataOf(cm)[clusterConfigurationKey];
  if (typeof text !== 'string' || text.trim() === '') {
    throw new ConfigError(`${where} is missing or empty`, { fix: reupload });
  }
  const decoded = readConfigDocuments(text, where);
  const doc = decoded.documents.find((d) => d.group === 'kubeadm' && d.kind === 'ClusterConfiguration');
  if (decoded.problems.length > 0 || doc === undefined || doc.group !== 'kubeadm' || doc.kind !== 'ClusterConfiguration') {
    const detail = decoded.problems.length > 0 ? decoded.problems.map(formatProblem).join('; ') : 'it holds no ClusterConfiguration document';
    throw new ConfigError(`${where} cannot be used: ${detail}`, { fix: reupload });
  }
  const cluster = buildCluster(doc.doc);
  if (!/^v\d+\.\d+\.\d+/.test(cluster.kubernetesVersion)) {
    throw new ConfigError(`${where} has no usable kubernetesVersion ("${cluster.kubernetesVersion}")`, { fix: reupload });
  }
  return cluster;
}

/** A component config stored as YAML under `key` of a ConfigMap: undefined when absent or unreadable to us. */
async function componentConfig(api: ApiClient, name: string, key: string): Promise<ComponentConfig | undefined> {
  let cm: KubeObject | undefined;
  try {
    cm = await api.get({ kind: 'ConfigMap', name, namespace: kubeSystem });
  } catch (err) {
    // kubeadm tolerates a missing component config (it then uses defaults); a token without the Role sees 403.
    if (isForbidden(err)) return undefined;
    throw err;
  }
  if (cm === undefined) return undefined;
  const text = dataOf(cm)[key];
  if (typeof text !== 'string') return undefined;
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new ConfigError(`${source(name, key)} is not valid YAML: ${(err as Error).message.split('\n')[0]}`, { fix: reupload, cause: err });
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ConfigError(`${source(name, key)} is not a configuration document`, { fix: reupload });
  }
  return doc as ComponentConfig;
}

/** This node's InitConfig: the cluster's configuration merged with the joining node's own settings. */
export function mergeJoinNode(cfg: JoinConfig, cluster: ClusterConfiguration, kubelet: ComponentConfig | undefined, kubeProxy: ComponentConfig | undefined): InitConfig {
  const j = cfg.join;
  const base = buildInit(undefined);
  return Object.freeze({
    init: Object.freeze({
      ...base,
      bootstrapTokens: [],
      dryRun: j.dryRun,
      // The loader already defaulted it: hostname, detected CRI socket, the control-plane taint for a
      // control-plane join and none (kubeadm's nil) for a worker.
      nodeRegistration: j.nodeRegistration,
      localAPIEndpoint: j.controlPlane?.localAPIEndpoint ?? base.localAPIEndpoint,
      certificateKey: j.controlPlane?.certificateKey ?? '',
      skipPhases: j.skipPhases,
      patches: j.patches,
      timeouts: j.timeouts,
    }),
    cluster,
    kubelet,
    kubeProxy,
    warnings: [],
  });
}

/** Reads the cluster's configuration with `api` (the bootstrap token's, or admin.conf's) and merges this node in. */
export async function readJoinCluster(o: { cfg: JoinConfig; out: Output; api: ApiClient }): Promise<InitConfig> {
  o.out.info(`[preflight] Reading configuration from the "${kubeadmConfigMapName}" ConfigMap in namespace "${kubeSystem}"...`);
  o.out.info("[preflight] Use 'tskubeadm init phase upload-config --config your-config.yaml' to re-upload it.");
  const cluster = clusterFromConfigMap(await o.api.get({ kind: 'ConfigMap', name: kubeadmConfigMapName, namespace: kubeSystem }));
  const kubelet = await componentConfig(o.api, kubeletConfigMapName, kubeletConfigMapKey);
  const kubeProxy = cluster.proxy.disabled ? undefined : await componentConfig(o.api, 'kube-proxy', 'config.conf');
  return mergeJoinNode(o.cfg, cluster, kubelet, kubeProxy);
}
