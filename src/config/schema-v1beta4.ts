// kubeadm.k8s.io/v1beta4 documents as zod schemas (kubeadm: apis/kubeadm/v1beta4/types.go).
// Decoded v1beta3 documents are converted into these same shapes (convert-v1beta3.ts).
import { z } from 'zod';
import {
  apiEndpoint, bool, bootstrapToken, bootstrapTokenDiscovery, duration, envVar, externalEtcd, featureGates,
  fileDiscovery, hostPathMount, imageMeta, int, networking, patches, pullPolicy, str, strList, taint,
} from './schema-common.js';

const typeMeta = { apiVersion: str, kind: str };

export const arg = z.strictObject({ name: str.optional(), value: str.optional() });
const argList = z.array(arg);

export const timeouts = z.strictObject({
  controlPlaneComponentHealthCheck: duration.optional(),
  kubeletHealthCheck: duration.optional(),
  kubernetesAPICall: duration.optional(),
  etcdAPICall: duration.optional(),
  tlsBootstrap: duration.optional(),
  discovery: duration.optional(),
  upgradeManifests: duration.optional(),
});

export const nodeRegistration = z.strictObject({
  name: str.optional(),
  criSocket: str.optional(),
  taints: z.array(taint).optional(),
  kubeletExtraArgs: argList.optional(),
  ignorePreflightErrors: strList.optional(),
  imagePullPolicy: pullPolicy.optional(),
  imagePullSerial: bool.optional(),
});

export const initConfiguration = z.strictObject({
  ...typeMeta,
  bootstrapTokens: z.array(bootstrapToken).optional(),
  dryRun: bool.optional(),
  nodeRegistration: nodeRegistration.optional(),
  localAPIEndpoint: apiEndpoint.optional(),
  certificateKey: str.optional(),
  skipPhases: strList.optional(),
  patches: patches.optional(),
  timeouts: timeouts.optional(),
});

const controlPlaneComponent = {
  extraArgs: argList.optional(),
  extraVolumes: z.array(hostPathMount).optional(),
  extraEnvs: z.array(envVar).optional(),
};

export const clusterConfiguration = z.strictObject({
  ...typeMeta,
  etcd: z
    .strictObject({
      local: z
        .strictObject({
          ...imageMeta,
          dataDir: str.optional(),
          extraArgs: argList.optional(),
          extraEnvs: z.array(envVar).optional(),
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
  apiServer: z.strictObject({ ...controlPlaneComponent, certSANs: strList.optional() }).optional(),
  controllerManager: z.strictObject(controlPlaneComponent).optional(),
  scheduler: z.strictObject(controlPlaneComponent).optional(),
  dns: z.strictObject({ ...imageMeta, disabled: bool.optional() }).optional(),
  proxy: z.strictObject({ disabled: bool.optional() }).optional(),
  certificatesDir: str.optional(),
  imageRepository: str.optional(),
  featureGates: featureGates.optional(),
  clusterName: str.optional(),
  encryptionAlgorithm: str.optional(),
  certificateValidityPeriod: duration.optional(),
  caCertificateValidityPeriod: duration.optional(),
});

export const joinConfiguration = z.strictObject({
  ...typeMeta,
  dryRun: bool.optional(),
  nodeRegistration: nodeRegistration.optional(),
  caCertPath: str.optional(),
  discovery: z
    .strictObject({
      bootstrapToken: bootstrapTokenDiscovery.optional(),
      file: fileDiscovery.optional(),
      tlsBootstrapToken: str.optional(),
    })
    .optional(),
  controlPlane: z.strictObject({ localAPIEndpoint: apiEndpoint.optional(), certificateKey: str.optional() }).optional(),
  skipPhases: strList.optional(),
  patches: patches.optional(),
  timeouts: timeouts.optional(),
});

export const resetConfiguration = z.strictObject({
  ...typeMeta,
  cleanupTmpDir: bool.optional(),
  certificatesDir: str.optional(),
  criSocket: str.optional(),
  dryRun: bool.optional(),
  force: bool.optional(),
  ignorePreflightErrors: strList.optional(),
  skipPhases: strList.optional(),
  unmountFlags: strList.optional(),
  timeouts: timeouts.optional(),
});

const upgradeCommon = {
  kubernetesVersion: str.optional(),
  allowExperimentalUpgrades: bool.optional(),
  allowRCUpgrades: bool.optional(),
  dryRun: bool.optional(),
  ignorePreflightErrors: strList.optional(),
  printConfig: bool.optional(),
  etcdUpgrade: bool.optional(),
};

export const upgradeConfiguration = z.strictObject({
  ...typeMeta,
  apply: z
    .strictObject({
      ...upgradeCommon,
      certificateRenewal: bool.optional(),
      forceUpgrade: bool.optional(),
      patches: patches.optional(),
      skipPhases: strList.optional(),
      imagePullPolicy: pullPolicy.optional(),
      imagePullSerial: bool.optional(),
    })
    .optional(),
  diff: z.strictObject({ kubernetesVersion: str.optional(), contextLines: int.optional() }).optional(),
  node: z
    .strictObject({
      certificateRenewal: bool.optional(),
      dryRun: bool.optional(),
      etcdUpgrade: bool.optional(),
      ignorePreflightErrors: strList.optional(),
      skipPhases: strList.optional(),
      patches: patches.optional(),
      imagePullPolicy: pullPolicy.optional(),
      imagePullSerial: bool.optional(),
    })
    .optional(),
  // The observed kubeadm prints plan.etcdUpgrade in upgrade-defaults, so it is a field (corpus 021).
  plan: z.strictObject(upgradeCommon).optional(),
  timeouts: timeouts.optional(),
});

export type ArgDoc = z.infer<typeof arg>;
export type TimeoutsDoc = z.infer<typeof timeouts>;
export type NodeRegistrationDoc = z.infer<typeof nodeRegistration>;
export type InitConfigurationDoc = z.infer<typeof initConfiguration>;
export type ClusterConfigurationDoc = z.infer<typeof clusterConfiguration>;
export type JoinConfigurationDoc = z.infer<typeof joinConfiguration>;
export type ResetConfigurationDoc = z.infer<typeof resetConfiguration>;
export type UpgradeConfigurationDoc = z.infer<typeof upgradeConfiguration>;
