// Decoded v1beta4 documents → the internal model with kubeadm's static defaults
// (v1beta4 defaults.go). Fields that need the host (node name, CRI socket, advertise
// address), randomness (tokens) or the version table are left empty here and filled by
// dynamic-defaults.ts; the raw kubernetesVersion is kept for it to resolve.
import type {
  APIEndpoint, Arg, BootstrapToken, ClusterConfiguration, ControlPlaneComponent, EnvVar, Etcd, HostPathMount,
  ImagePullPolicy, InitConfiguration, JoinConfiguration, NodeRegistration, ResetConfiguration, Taint, Timeouts, EncryptionAlgorithm,
} from './types.js';
import type {
  ArgDoc, ClusterConfigurationDoc, InitConfigurationDoc, JoinConfigurationDoc, NodeRegistrationDoc,
  ResetConfigurationDoc, TimeoutsDoc,
} from './schema-v1beta4.js';
import type { APIEndpointDoc, BootstrapTokenDoc, EnvVarDoc, HostPathMountDoc, TaintDoc } from './schema-common.js';
import { configDefaults, defaultTimeouts } from './defaults.js';
import { parseGoDuration } from './duration.js';

/** Schema-checked durations always parse; the fallback only guards the type. */
function ms(d: string | undefined, fallback: number): number {
  return d === undefined ? fallback : (parseGoDuration(d) ?? fallback);
}

/** kubeadm's defaulting tests `== ""` / `== 0`, so an explicit empty value gets the default too. */
function or<T extends string | number>(v: T | undefined, fallback: NoInfer<T>): T {
  return v === undefined || v === '' || v === 0 ? fallback : v;
}

function buildTimeouts(t: TimeoutsDoc | undefined): Timeouts {
  const d = defaultTimeouts;
  return {
    controlPlaneComponentHealthCheckMs: ms(t?.controlPlaneComponentHealthCheck, d.controlPlaneComponentHealthCheckMs),
    kubeletHealthCheckMs: ms(t?.kubeletHealthCheck, d.kubeletHealthCheckMs),
    kubernetesAPICallMs: ms(t?.kubernetesAPICall, d.kubernetesAPICallMs),
    etcdAPICallMs: ms(t?.etcdAPICall, d.etcdAPICallMs),
    tlsBootstrapMs: ms(t?.tlsBootstrap, d.tlsBootstrapMs),
    discoveryMs: ms(t?.discovery, d.discoveryMs),
    upgradeManifestsMs: ms(t?.upgradeManifests, d.upgradeManifestsMs),
  };
}

function buildArgs(args: readonly ArgDoc[] | undefined): Arg[] {
  return (args ?? []).map((a) => ({ name: a.name ?? '', value: a.value ?? '' }));
}

function buildTaint(t: TaintDoc): Taint {
  return {
    key: t.key ?? '',
    ...(t.value === undefined ? {} : { value: t.value }),
    // An empty effect is refused by validation; the type wants one of the three.
    effect: t.effect ?? ('' as Taint['effect']),
    ...(t.timeAdded === undefined ? {} : { timeAdded: t.timeAdded }),
  };
}

function buildNodeRegistration(n: NodeRegistrationDoc | undefined): NodeRegistration {
  return {
    name: n?.name ?? '',
    criSocket: n?.criSocket ?? '',
    taints: n?.taints?.map(buildTaint),
    kubeletExtraArgs: buildArgs(n?.kubeletExtraArgs),
    ignorePreflightErrors: [...(n?.ignorePreflightErrors ?? [])],
    imagePullPolicy: or<ImagePullPolicy | ''>(n?.imagePullPolicy, configDefaults.imagePullPolicy) as ImagePullPolicy,
    imagePullSerial: n?.imagePullSerial ?? configDefaults.imagePullSerial,
  };
}

function buildAPIEndpoint(e: APIEndpointDoc | undefined): APIEndpoint {
  return { advertiseAddress: e?.advertiseAddress ?? '', bindPort: or(e?.bindPort, configDefaults.bindPort) };
}

/** kubeadm's BootstrapToken defaults; unlike kubeadm, ttl is not defaulted when `expires` is set
 *  (kubeadm then rejects its own default as "mutually exclusive"), and the default group is only
 *  added when the token can authenticate (kubeadm would then reject the group). */
function buildBootstrapToken(t: BootstrapTokenDoc): BootstrapToken {
  const usages = t.usages !== undefined && t.usages.length > 0 ? [...t.usages] : [...configDefaults.tokenUsages];
  const groups =
    t.groups !== undefined && t.groups.length > 0
      ? [...t.groups]
      : usages.includes('authentication')
        ? [...configDefaults.tokenGroups]
        : [];
  return {
    token: t.token ?? '',
    ...(t.description === undefined ? {} : { description: t.description }),
    ...(t.expires !== undefined && t.ttl === undefined ? {} : { ttlMs: ms(t.ttl, configDefaults.tokenTtlMs) }),
    ...(t.expires === undefined ? {} : { expires: t.expires }),
    usages,
    groups,
  };
}

function buildMounts(v: readonly HostPathMountDoc[] | undefined): HostPathMount[] {
  return (v ?? []).map((m) => ({
    name: m.name ?? '',
    hostPath: m.hostPath ?? '',
    mountPath: m.mountPath ?? '',
    readOnly: m.readOnly ?? false,
    pathType: m.pathType ?? '',
  }));
}

function buildEnvs(v: readonly EnvVarDoc[] | undefined): EnvVar[] {
  return (v ?? []).map((e) => {
    const ref = e.valueFrom?.fieldRef;
    // Kubernetes defaults fieldRef.apiVersion to v1.
    const valueFrom =
      e.valueFrom === undefined
        ? undefined
        : ref === undefined
          ? e.valueFrom
          : { ...e.valueFrom, fieldRef: { apiVersion: ref.apiVersion ?? 'v1', ...(ref.fieldPath === undefined ? {} : { fieldPath: ref.fieldPath }) } };
    return {
      name: e.name ?? '',
      ...(e.value === undefined ? {} : { value: e.value }),
      ...(valueFrom === undefined ? {} : { valueFrom }),
    };
  });
}

function buildComponent(c: { extraArgs?: ArgDoc[]; extraVolumes?: HostPathMountDoc[]; extraEnvs?: EnvVarDoc[] } | undefined): ControlPlaneComponent {
  return { extraArgs: buildArgs(c?.extraArgs), extraVolumes: buildMounts(c?.extraVolumes), extraEnvs: buildEnvs(c?.extraEnvs) };
}

function buildEtcd(e: ClusterConfigurationDoc['etcd']): Etcd | { readonly local: NonNullable<Etcd['local']>; readonly external: NonNullable<Etcd['external']> } {
  const local = e?.local;
  const external = e?.external;
  const localOut =
    local === undefined && external !== undefined
      ? undefined
      : {
          imageRepository: local?.imageRepository ?? '',
          imageTag: local?.imageTag ?? '',
          dataDir: or(local?.dataDir, configDefaults.etcdDataDir),
          extraArgs: buildArgs(local?.extraArgs),
          extraEnvs: buildEnvs(local?.extraEnvs),
          serverCertSANs: [...(local?.serverCertSANs ?? [])],
          peerCertSANs: [...(local?.peerCertSANs ?? [])],
        };
  const externalOut =
    external === undefined
      ? undefined
      : {
          endpoints: [...(external.endpoints ?? [])],
          caFile: external.caFile ?? '',
          certFile: external.certFile ?? '',
          keyFile: external.keyFile ?? '',
        };
  // Both set is kept as given so validation can report it (kubeadm: mutually exclusive).
  if (localOut !== undefined && externalOut !== undefined) return { local: localOut, external: externalOut };
  if (externalOut !== undefined) return { external: externalOut };
  return { local: localOut! };
}

/** A ClusterConfiguration with static defaults; `kubernetesVersion` is still the raw text (maybe empty). */
export function buildCluster(c: ClusterConfigurationDoc | undefined): ClusterConfiguration {
  return {
    etcd: buildEtcd(c?.etcd) as Etcd,
    networking: {
      serviceSubnet: or(c?.networking?.serviceSubnet, configDefaults.serviceSubnet),
      podSubnet: c?.networking?.podSubnet ?? '',
      dnsDomain: or(c?.networking?.dnsDomain, configDefaults.dnsDomain),
    },
    kubernetesVersion: c?.kubernetesVersion ?? '',
    controlPlaneEndpoint: c?.controlPlaneEndpoint ?? '',
    apiServer: { ...buildComponent(c?.apiServer), certSANs: [...(c?.apiServer?.certSANs ?? [])] },
    controllerManager: buildComponent(c?.controllerManager),
    scheduler: buildComponent(c?.scheduler),
    dns: { imageRepository: c?.dns?.imageRepository ?? '', imageTag: c?.dns?.imageTag ?? '', disabled: c?.dns?.disabled ?? false },
    proxy: { disabled: c?.proxy?.disabled ?? false },
    certificatesDir: or(c?.certificatesDir, configDefaults.certificatesDir),
    imageRepository: or(c?.imageRepository, configDefaults.imageRepository),
    featureGates: { ...(c?.featureGates ?? {}) },
    clusterName: or(c?.clusterName, configDefaults.clusterName),
    encryptionAlgorithm: or<string>(c?.encryptionAlgorithm, configDefaults.encryptionAlgorithm) as EncryptionAlgorithm,
    certificateValidityPeriodMs: ms(c?.certificateValidityPeriod, configDefaults.certificateValidityPeriodMs),
    caCertificateValidityPeriodMs: ms(c?.caCertificateValidityPeriod, configDefaults.caCertificateValidityPeriodMs),
  };
}

/** An InitConfiguration with static defaults; an empty token list gets one token (value generated later). */
export function buildInit(i: InitConfigurationDoc | undefined): InitConfiguration {
  const tokens = i?.bootstrapTokens !== undefined && i.bootstrapTokens.length > 0 ? i.bootstrapTokens : [{}];
  return {
    bootstrapTokens: tokens.map(buildBootstrapToken),
    dryRun: i?.dryRun ?? false,
    nodeRegistration: buildNodeRegistration(i?.nodeRegistration),
    localAPIEndpoint: buildAPIEndpoint(i?.localAPIEndpoint),
    certificateKey: i?.certificateKey ?? '',
    skipPhases: [...(i?.skipPhases ?? [])],
    patches: i?.patches === undefined ? undefined : { directory: i.patches.directory ?? '' },
    timeouts: buildTimeouts(i?.timeouts),
  };
}

export function buildJoin(j: JoinConfigurationDoc | undefined): JoinConfiguration {
  const bt = j?.discovery?.bootstrapToken;
  const file = j?.discovery?.file;
  return {
    dryRun: j?.dryRun ?? false,
    nodeRegistration: buildNodeRegistration(j?.nodeRegistration),
    caCertPath: or(j?.caCertPath, configDefaults.caCertPath),
    discovery: {
      ...(bt === undefined
        ? {}
        : {
            bootstrapToken: {
              token: bt.token ?? '',
              apiServerEndpoint: bt.apiServerEndpoint ?? '',
              caCertHashes: [...(bt.caCertHashes ?? [])],
              unsafeSkipCAVerification: bt.unsafeSkipCAVerification ?? false,
            },
          }),
      ...(file === undefined ? {} : { file: { kubeConfigPath: file.kubeConfigPath ?? '' } }),
      tlsBootstrapToken: j?.discovery?.tlsBootstrapToken ?? '',
    },
    controlPlane:
      j?.controlPlane === undefined
        ? undefined
        : { localAPIEndpoint: buildAPIEndpoint(j.controlPlane.localAPIEndpoint), certificateKey: j.controlPlane.certificateKey ?? '' },
    skipPhases: [...(j?.skipPhases ?? [])],
    patches: j?.patches === undefined ? undefined : { directory: j.patches.directory ?? '' },
    timeouts: buildTimeouts(j?.timeouts),
  };
}

export function buildReset(r: ResetConfigurationDoc | undefined): ResetConfiguration {
  return {
    cleanupTmpDir: r?.cleanupTmpDir ?? false,
    certificatesDir: or(r?.certificatesDir, configDefaults.certificatesDir),
    criSocket: r?.criSocket ?? '',
    dryRun: r?.dryRun ?? false,
    force: r?.force ?? false,
    ignorePreflightErrors: [...(r?.ignorePreflightErrors ?? [])],
    skipPhases: [...(r?.skipPhases ?? [])],
    unmountFlags: [...(r?.unmountFlags ?? [])],
    timeouts: buildTimeouts(r?.timeouts),
  };
}
