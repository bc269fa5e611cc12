// init's upload-config phase: the kubeadm-config and kubelet-config ConfigMaps in kube-system and the Roles
// that let joining nodes read them. kubeadm: cmd/phases/init/uploadconfig.go, phases/uploadconfig,
// phases/kubelet/config.go CreateConfigMap.
import { createOrMutate, createOrUpdate } from '../../api/apply.js';
import type { ApiClient } from '../../api/client.js';
import { kubeSystem } from '../../api/objects.js';
import {
  clusterConfigurationKey, clusterConfigurationText, kubeadmConfigMap, kubeadmConfigMapName, kubeadmConfigRbac, kubeletConfigMap,
  kubeletConfigMapName, kubeletConfigRbac, withClusterConfiguration,
} from '../../cluster-objects/kubeadm-config-map.js';
import { nodeLocalCRISocket } from '../../kubelet/instance-config.js';
import type { Phase } from '../../workflow/phase.js';
import type { InitContext } from './context.js';
import { patchRegisteredNode } from './mark-control-plane.js';

const flags = ['config', 'kubeconfig', 'dry-run'];

/** Where the Node kept its runtime endpoint before NodeLocalCRISocket (instance-config.yaml) took over. */
export const criSocketAnnotation = 'kubeadm.alpha.kubernetes.io/cri-socket';

const kubeadmConfig: Phase<InitContext> = {
  name: 'kubeadm',
  short: 'Upload the kubeadm ClusterConfiguration to a ConfigMap',
  long: `Upload the kubeadm ClusterConfiguration to a ConfigMap called ${kubeadmConfigMapName} in the ${kubeSystem} namespace. ` +
    'Joining nodes read it, and upgrades start from it. A ConfigMap that exists keeps its other keys; only ' +
    `${clusterConfigurationKey} is replaced.`,
  example: '# Upload the ClusterConfiguration of the config file again.\n' +
    'tskubeadm init phase upload-config kubeadm --config kubeadm-config.yaml',
  flags,
  run: async (ctx) => {
    ctx.out.info(`[upload-config] Storing the configuration used in ConfigMap "${kubeadmConfigMapName}" in the "${kubeSystem}" Namespace`);
    const api = await ctx.api();
    await createOrMutate(api, kubeadmConfigMap(ctx.cfg.cluster), (cm) => withClusterConfiguration(cm, clusterConfigurationText(ctx.cfg.cluster)));
    for (const obj of kubeadmConfigRbac()) await createOrUpdate(api, obj);
  },
};

const kubeletConfig: Phase<InitContext> = {
  name: 'kubelet',
  short: 'Upload the kubelet component config to a ConfigMap',
  long: `Upload the cluster-wide KubeletConfiguration to the ${kubeletConfigMapName} ConfigMap in the ${kubeSystem} namespace, ` +
    'from which joining nodes write their /var/lib/kubelet/config.yaml. Node-local settings (the container runtime endpoint, ' +
    '--patches, the systemd-resolved resolv.conf) are not part of it.',
  example: '# Upload the kubelet configuration of the config file to the cluster.\n' +
    'tskubeadm init phase upload-config kubelet --config kubeadm-config.yaml',
  flags,
  run: async (ctx) => {
    ctx.out.info(`[kubelet] Creating a ConfigMap "${kubeletConfigMapName}" in namespace ${kubeSystem} with the configuration for the kubelets in the cluster`);
    const api = await ctx.api();
    await createOrUpdate(api, kubeletConfigMap(ctx.cfg.cluster, ctx.cfg.kubelet).configMap);
    for (const obj of kubeletConfigRbac()) await createOrUpdate(api, obj);
    // Without NodeLocalCRISocket the runtime endpoint is kept on the Node, as kubeadm did before the gate.
    if (!nodeLocalCRISocket(ctx.cfg.cluster)) await annotateCRISocket(ctx, api);
  },
};

export const uploadConfig: Phase<InitContext> = {
  name: 'upload-config',
  aliases: ['uploadconfig'],
  short: 'Upload the kubeadm and kubelet configuration to a ConfigMap',
  phases: [
    { name: 'all', short: 'Upload all configuration to a config map', selectsParent: true, flags },
    kubeadmConfig,
    kubeletConfig,
  ],
};

async function annotateCRISocket(ctx: InitContext, api: ApiClient): Promise<void> {
  const { name, criSocket } = ctx.cfg.init.nodeRegistration;
  ctx.out.detail(1, `[patchnode] Uploading the CRI socket "${criSocket}" to the Node "${name}" as an annotation`);
  await patchRegisteredNode(ctx, api, name, (node) =>
    node.metadata.annotations?.[criSocketAnnotation] === criSocket ? {} : { metadata: { annotations: { [criSocketAnnotation]: criSocket } } });
}
