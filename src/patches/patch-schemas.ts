// Where a strategic merge patch merges lists instead of replacing them: the `patchStrategy:"merge"`
// and `patchMergeKey` tags of the Kubernetes Go types kubeadm patches (k8s.io/api core/v1 Pod,
// apps/v1 Deployment; KubeletConfiguration has none). Only the paths that lead to such a list are
// listed; every other field merges objects and replaces lists.
import type { PatchTarget } from './patch-set.js';

export interface SchemaField {
  /** patchStrategy "merge": the list is merged with the patch's list, not replaced by it. */
  readonly mergeList?: true;
  /** patchMergeKey: the field that identifies an item of a merged list of objects. */
  readonly mergeKey?: string;
  /** The fields of this field's object, or of each item of its list. */
  readonly of?: PatchSchema;
}

export type PatchSchema = Readonly<Record<string, SchemaField>>;

const byKey = (mergeKey: string, of?: PatchSchema): SchemaField => (of === undefined ? { mergeList: true, mergeKey } : { mergeList: true, mergeKey, of });

const objectMeta: PatchSchema = {
  finalizers: { mergeList: true },
  ownerReferences: byKey('uid'),
};

const container: PatchSchema = {
  ports: byKey('containerPort'),
  env: byKey('name'),
  volumeMounts: byKey('mountPath'),
  volumeDevices: byKey('devicePath'),
};

const podSpec: PatchSchema = {
  // Also patchStrategy retainKeys, which only matters when a patch carries `$retainKeys` (honoured anywhere).
  volumes: byKey('name'),
  initContainers: byKey('name', container),
  containers: byKey('name', container),
  ephemeralContainers: byKey('name', container),
  imagePullSecrets: byKey('name'),
  hostAliases: byKey('ip'),
  topologySpreadConstraints: byKey('topologyKey'),
  schedulingGates: byKey('name'),
  resourceClaims: byKey('name'),
  evictionResponders: byKey('name'),
};

const podStatus: PatchSchema = {
  conditions: byKey('type'),
  hostIPs: byKey('ip'),
  podIPs: byKey('ip'),
  resourceClaimStatuses: byKey('name'),
};

/** core/v1 Pod: the four static Pods. */
export const podSchema: PatchSchema = {
  metadata: { of: objectMeta },
  spec: { of: podSpec },
  status: { of: podStatus },
};

/** apps/v1 Deployment: CoreDNS. */
export const deploymentSchema: PatchSchema = {
  metadata: { of: objectMeta },
  spec: { of: { template: { of: { metadata: { of: objectMeta }, spec: { of: podSpec } } } } },
  status: { of: { conditions: byKey('type') } },
};

/** kubelet.config.k8s.io/v1beta1 KubeletConfiguration: no merge keys, so lists are replaced. */
export const kubeletConfigurationSchema: PatchSchema = {};

export const patchSchemas: Readonly<Record<PatchTarget, PatchSchema>> = {
  'etcd': podSchema,
  'kube-apiserver': podSchema,
  'kube-controller-manager': podSchema,
  'kube-scheduler': podSchema,
  'kubeletconfiguration': kubeletConfigurationSchema,
  'corednsdeployment': deploymentSchema,
};
