// kubeadm.k8s.io/v1beta3 documents as zod schemas (kubeadm: apis/kubeadm/v1beta3/types.go).
// Differences from v1beta4: extraArgs and kubeletExtraArgs are string maps, no timeouts,
// apiServer.timeoutForControlPlane and discovery.timeout, no extraEnvs, dns has only the image,
// no proxy/encryptionAlgorithm/validity periods/imagePullSerial/dryRun.
import { z } from 'zod';
import {
  apiEndpoint, bootstrapToken, bootstrapTokenDiscovery, duration, externalEtcd, featureGates, fileDiscovery,
  hostPathMount, imageMeta, networking, patches, pullPolicy, str, strList, taint,
} from './schema-common.js';

const typeMeta = { apiVersion: str, kind: str };

/** map[string]string: a number or bool value is refused, as Go's JSON decoder does (corpus 029). */
const argMap = z.record(z.string(), z.string());

export const nodeRegistration = z.strictObject({
  name: str.optional(),
  criSocket: str.optional(),
  taints: z.array(taint).optional(),
  kubeletExtraArgs: argMap.optional(),
  ignorePreflightErrors: strList.optional(),
  imagePullPolicy: pullPolicy.optional(),
});

export const initConfiguration = z.strictObject({
  ...typeMeta,
  bootstrapTokens: z.array(bootstrapToken).optional(),
  nodeRegistration: nodeRegistration.optional(),
  localAPIEndpoint: apiEndpoint.optional(),
  certificateKey: str.optional(),
  skipPhases: strList.optional(),
  patches: patches.optional(),
});

const controlPlaneComponent = {
  extraArgs: argMap.optional(),
  extraVolumes: z.array(hostPathMount).optional(),
};

export const clusterConfiguration = z.strictObject({
  ...typeMeta,
  etcd: z
    .strictObject({
      local: z
        .strictObject({
          ...imageMeta,
          dataDir: str.optional(),
          extraArgs: argMap.optional(),
          serverCertSANs: strList.optional(),
          peerCertSANs: strList.optional(),
        })
        .optional(),
      external: externalEtcd.optional(),
    })
    .optional(),
  networking: networking.optional(),
  kubernetesVersion: str.optional(),
  controlPlaneEndpoint: str.optional(),
  apiServer: z
    .strictObject({ ...controlPlaneComponent, certSANs: strList.optional(), timeoutForControlPlane: duration.optional() })
    .optional(),
  controllerManager: z.strictObject(controlPlaneComponent).optional(),
  scheduler: z.strictObject(controlPlaneComponent).optional(),
  dns: z.strictObject(imageMeta).optional(),
  certificatesDir: str.optional(),
  imageRepository: str.optional(),
  featureGates: featureGates.optional(),
  clusterName: str.optional(),
});

export const joinConfiguration = z.strictObject({
  ...typeMeta,
  nodeRegistration: nodeRegistration.optional(),
  caCertPath: str.optional(),
  discovery: z
    .strictObject({
      bootstrapToken: bootstrapTokenDiscovery.optional(),
      file: fileDiscovery.optional(),
      tlsBootstrapToken: str.optional(),
      timeout: duration.optional(),
    })
    .optional(),
  controlPlane: z.strictObject({ localAPIEndpoint: apiEndpoint.optional(), certificateKey: str.optional() }).optional(),
  skipPhases: strList.optional(),
  patches: patches.optional(),
});

export type InitConfigurationV1beta3 = z.infer<typeof initConfiguration>;
export type ClusterConfigurationV1beta3 = z.infer<typeof clusterConfiguration>;
export type JoinConfigurationV1beta3 = z.infer<typeof joinConfiguration>;
export type NodeRegistrationV1beta3 = z.infer<typeof nodeRegistration>;
