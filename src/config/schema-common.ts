// zod pieces shared by the v1beta3 and v1beta4 schemas. Every object is strict: an
// unknown field is an error, as kubeadm's strict decoding reports (corpus 031, 032).
// Only shapes and formats are checked here; meaning is checked in validate*.ts.
import { z } from 'zod';
import { parseGoDuration } from './duration.js';

export const str = z.string();
export const bool = z.boolean();
export const strList = z.array(z.string());
export const int = z.number().int();

/** A Go duration string (metav1.Duration); a bare number is refused as Go's JSON decoder does. */
export const duration = z.string().refine((s) => parseGoDuration(s) !== undefined, {
  message: 'not a valid duration: use a Go duration such as 30s, 5m0s or 24h0m0s',
});

export const bootstrapToken = z.strictObject({
  token: str.optional(),
  description: str.optional(),
  ttl: duration.optional(),
  expires: str.optional(),
  usages: strList.optional(),
  groups: strList.optional(),
});

export const taint = z.strictObject({
  key: str.optional(),
  value: str.optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'], {
    message: 'taint effect must be one of NoSchedule, PreferNoSchedule, NoExecute',
  }).optional(),
  timeAdded: str.optional(),
});

export const apiEndpoint = z.strictObject({
  advertiseAddress: str.optional(),
  bindPort: int.optional(),
});

export const hostPathMount = z.strictObject({
  name: str.optional(),
  hostPath: str.optional(),
  mountPath: str.optional(),
  readOnly: bool.optional(),
  pathType: str.optional(),
});

const keySelector = z.strictObject({ name: str.optional(), key: str.optional(), optional: bool.optional() });

/** A Kubernetes EnvVar (v1beta4 extraEnvs). */
export const envVar = z.strictObject({
  name: str.optional(),
  value: str.optional(),
  valueFrom: z
    .strictObject({
      fieldRef: z.strictObject({ apiVersion: str.optional(), fieldPath: str.optional() }).optional(),
      resourceFieldRef: z
        .strictObject({ containerName: str.optional(), resource: str.optional(), divisor: z.union([str, z.number()]).optional() })
        .optional(),
      configMapKeyRef: keySelector.optional(),
      secretKeyRef: keySelector.optional(),
      fileKeyRef: z
        .strictObject({ volumeName: str.optional(), path: str.optional(), key: str.optional(), optional: bool.optional() })
        .optional(),
    })
    .optional(),
});

export const patches = z.strictObject({ directory: str.optional() });

/** An empty policy is allowed and means the default, as kubeadm's ValidateImagePullPolicy and defaulting do. */
export const pullPolicy = z.enum(['Always', 'IfNotPresent', 'Never', ''], {
  message: 'invalid pull policy: must be one of Always, IfNotPresent, Never',
});

export const imageMeta = {
  imageRepository: str.optional(),
  imageTag: str.optional(),
};

export const externalEtcd = z.strictObject({
  endpoints: strList.optional(),
  caFile: str.optional(),
  certFile: str.optional(),
  keyFile: str.optional(),
});

export const networking = z.strictObject({
  serviceSubnet: str.optional(),
  podSubnet: str.optional(),
  dnsDomain: str.optional(),
});

export const featureGates = z.record(z.string(), bool);

export const bootstrapTokenDiscovery = z.strictObject({
  token: str.optional(),
  apiServerEndpoint: str.optional(),
  caCertHashes: strList.optional(),
  unsafeSkipCAVerification: bool.optional(),
});

export const fileDiscovery = z.strictObject({ kubeConfigPath: str.optional() });

export type BootstrapTokenDoc = z.infer<typeof bootstrapToken>;
export type TaintDoc = z.infer<typeof taint>;
export type APIEndpointDoc = z.infer<typeof apiEndpoint>;
export type HostPathMountDoc = z.infer<typeof hostPathMount>;
export type EnvVarDoc = z.infer<typeof envVar>;
