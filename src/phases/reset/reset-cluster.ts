// reset reads the cluster's ClusterConfiguration (etcd mode and data directory) from kubeadm-config when it
// can, and goes on without it when it cannot, after kubeadm's warning. kubeadm: cmd/reset.go newResetData.
import type { ApiClient } from '../../api/client.js';
import { kubeadmConfigMapName } from '../../cluster-objects/kubeadm-config-map.js';
import { kubeSystem } from '../../api/objects.js';
import type { ClusterConfiguration } from '../../config/types.js';
import type { Output } from '../../output/output.js';
import { clusterFromConfigMap } from '../join/join-cluster.js';

export async function readResetCluster(o: { out: Output; api: () => Promise<ApiClient> }): Promise<ClusterConfiguration | undefined> {
  try {
    o.out.info(`[reset] Reading configuration from the "${kubeadmConfigMapName}" ConfigMap in namespace "${kubeSystem}"...`);
    o.out.info(`[reset] Use 'tskubeadm init phase upload-config kubeadm --config your-config-file' to re-upload it.`);
    const api = await o.api();
    return clusterFromConfigMap(await api.get({ kind: 'ConfigMap', name: kubeadmConfigMapName, namespace: kubeSystem }));
  } catch (err) {
    o.out.warn(`[reset] Unable to fetch the ${kubeadmConfigMapName} ConfigMap from cluster: ${(err as Error).message}`);
    return undefined;
  }
}
