// /var/lib/kubelet/instance-config.yaml (NodeLocalCRISocket): the settings that belong to this node
// alone, kept out of the cluster-wide KubeletConfiguration and laid over it as a strategic merge
// patch when config.yaml is written. kubeadm: phases/kubelet/config.go (WriteInstanceConfigToDisk,
// applyKubeletConfigPatchFromFile).
import { parse } from 'yaml';
import { gateEnabled } from '../config/feature-gates.js';
import type { ClusterConfiguration } from '../config/types.js';
import { patchContentTypes } from '../patches/patch-files.js';
import { kubeletConfigurationSchema } from '../patches/patch-schemas.js';
import { strategicMerge } from '../patches/strategic-merge.js';
import type { JsonObject } from '../patches/json-value.js';
import { goQuote } from '../output/go-quote.js';

type Json = Record<string, unknown>;

/** Whether the NodeLocalCRISocket gate is on: the cluster's featureGates, else the gate's default. */
export function nodeLocalCRISocket(cluster: Pick<ClusterConfiguration, 'featureGates'>): boolean {
  return gateEnabled(cluster, 'NodeLocalCRISocket');
}

/** The file's text, exactly as kubeadm writes it: one line, the endpoint quoted as Go's %q. */
export function instanceConfigText(criSocket: string): string {
  return `containerRuntimeEndpoint: ${goQuote(criSocket)}\n`;
}

/** The media type kubeadm names in its `[patches]` line for the instance config. */
export const strategicMergePatchType = patchContentTypes.strategic;

/** The instance config read back as a patch (a YAML map; an empty file patches nothing). */
export function parseInstanceConfig(text: string): Json {
  const doc: unknown = parse(text);
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new TypeError('the kubelet instance configuration is not a YAML map');
  return doc as Json;
}

/** The instance config laid over a KubeletConfiguration as kubeadm does: a strategic merge (that type has no
 *  list merge keys, so maps merge, a null deletes, anything else replaces). */
export function applyInstanceConfig(doc: Readonly<Json>, patch: Readonly<Json>): Json {
  return strategicMerge(doc as JsonObject, patch, kubeletConfigurationSchema);
}
