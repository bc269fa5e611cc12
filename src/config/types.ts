// The internal configuration model: kubeadm.k8s.io/v1beta4 in shape, fully defaulted,
// validated and frozen before any phase sees it. v1beta3 documents are converted into
// it on load (extraArgs maps become lists, timeoutForControlPlane moves to timeouts…).
// Durations are kept as milliseconds in memory and printed back as Go durations.

export interface Arg {
  readonly name: string;
  readonly value: string;
}

export interface HostPathMount {
  readonly name: string;
  readonly hostPath: string;
  readonly mountPath: string;
  readonly readOnly: boolean;
  readonly pathType: string;
}

/** A Kubernetes EnvVar, kept as given (value or valueFrom). */
export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: Readonly<Record<string, unknown>>;
}

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  readonly timeAdded?: string;
}

export interface BootstrapToken {
  /** `[a-z0-9]{6}.[a-z0-9]{16}`; generated when the config leaves it empty. */
  readonly token: string;
  readonly description?: string;
  /** Milliseconds; 0 = never expires. Undefined when `expires` is set. */
  readonly ttlMs?: number;
  /** RFC 3339 absolute expiry, mutually exclusive with ttl. */
  readonly expires?: string;
  readonly usages: readonly string[];
  readonly groups: readonly string[];
}

export type ImagePullPolicy = 'Always' | 'IfNotPresent' | 'Never';

export interface NodeRegistration {
  /** Lower-cased hostname by default. */
  readonly name: string;
  /** Always with a URL scheme (`unix://`) after defaulting. */
  readonly criSocket: string;
  /** After loading: the control-plane taint on a control-plane node whose config set none; undefined (kubeadm's nil) on a worker that set none. */
  readonly taints: readonly Taint[] | undefined;
  readonly kubeletExtraArgs: readonly Arg[];
  readonly ignorePreflightErrors: readonly string[];
  readonly imagePullPolicy: ImagePullPolicy;
  readonly imagePullSerial: boolean;
}

export interface APIEndpoint {
  /** A valid IP after defaulting (detected from the default route when not given). */
  readonly advertiseAddress: string;
  readonly bindPort: number;
}

/** v1beta4 `timeouts`, in milliseconds. */
export interface Timeouts {
  readonly controlPlaneComponentHealthCheckMs: number;
  readonly kubeletHealthCheckMs: number;
  readonly kubernetesAPICallMs: number;
  readonly etcdAPICallMs: number;
  readonly tlsBootstrapMs: number;
  readonly discoveryMs: number;
  readonly upgradeManifestsMs: number;
}

export interface InitConfiguration {
  readonly bootstrapTokens: readonly BootstrapToken[];
  readonly dryRun: boolean;
  readonly nodeRegistration: NodeRegistration;
  readonly localAPIEndpoint: APIEndpoint;
  /** 64 hex characters, or empty. */
  readonly certificateKey: string;
  readonly skipPhases: readonly string[];
  readonly patches: { readonly directory: string } | undefined;
  readonly timeouts: Timeouts;
}

export interface ControlPlaneComponent {
  readonly extraArgs: readonly Arg[];
  readonly extraVolumes: readonly HostPathMount[];
  readonly extraEnvs: readonly EnvVar[];
}

export interface APIServer extends ControlPlaneComponent {
  readonly certSANs: readonly string[];
}

export interface LocalEtcd {
  readonly imageRepository: string;
  readonly imageTag: string;
  readonly dataDir: string;
  readonly extraArgs: readonly Arg[];
  readonly extraEnvs: readonly EnvVar[];
  readonly serverCertSANs: readonly string[];
  readonly peerCertSANs: readonly string[];
}

export interface ExternalEtcd {
  readonly endpoints: readonly string[];
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/** Exactly one of local or external is set after defaulting. */
export type Etcd = { readonly local: LocalEtcd; readonly external?: undefined } | { readonly local?: undefined; readonly external: ExternalEtcd };

export type EncryptionAlgorithm = 'RSA-2048' | 'RSA-3072' | 'RSA-4096' | 'ECDSA-P256' | 'ECDSA-P384';

export interface ClusterConfiguration {
  readonly etcd: Etcd;
  readonly networking: {
    /** Comma-separated, one CIDR per IP family. */
    readonly serviceSubnet: string;
    /** Comma-separated; empty when not set. */
    readonly podSubnet: string;
    readonly dnsDomain: string;
  };
  /** Always `v<major>.<minor>.<patch>` after defaulting (labels are resolved offline). */
  readonly kubernetesVersion: string;
  /** `host[:port]`, or empty. */
  readonly controlPlaneEndpoint: string;
  readonly apiServer: APIServer;
  readonly controllerManager: ControlPlaneComponent;
  readonly scheduler: ControlPlaneComponent;
  readonly dns: { readonly imageRepository: string; readonly imageTag: string; readonly disabled: boolean };
  readonly proxy: { readonly disabled: boolean };
  readonly certificatesDir: string;
  readonly imageRepository: string;
  readonly featureGates: Readonly<Record<string, boolean>>;
  readonly clusterName: string;
  readonly encryptionAlgorithm: EncryptionAlgorithm;
  readonly certificateValidityPeriodMs: number;
  readonly caCertificateValidityPeriodMs: number;
}

export interface JoinConfiguration {
  readonly dryRun: boolean;
  readonly nodeRegistration: NodeRegistration;
  readonly caCertPath: string;
  readonly discovery: {
    readonly bootstrapToken?: {
      readonly token: string;
      readonly apiServerEndpoint: string;
      readonly caCertHashes: readonly string[];
      readonly unsafeSkipCAVerification: boolean;
    };
    readonly file?: { readonly kubeConfigPath: string };
    readonly tlsBootstrapToken: string;
  };
  /** undefined for a worker. */
  readonly controlPlane: { readonly localAPIEndpoint: APIEndpoint; readonly certificateKey: string } | undefined;
  readonly skipPhases: readonly string[];
  readonly patches: { readonly directory: string } | undefined;
  readonly timeouts: Timeouts;
}

export interface ResetConfiguration {
  readonly cleanupTmpDir: boolean;
  readonly certificatesDir: string;
  readonly criSocket: string;
  readonly dryRun: boolean;
  readonly force: boolean;
  readonly ignorePreflightErrors: readonly string[];
  readonly skipPhases: readonly string[];
  readonly unmountFlags: readonly string[];
  readonly timeouts: Timeouts;
}

/** Component configs are passed through as the user wrote them (plus kubeadm's defaults where it sets them). */
export type ComponentConfig = Readonly<Record<string, unknown>>;

/** Everything `init` reads from a config file (or flags), after load, conversion, defaulting and validation. */
export interface InitConfig {
  readonly init: InitConfiguration;
  readonly cluster: ClusterConfiguration;
  readonly kubelet: ComponentConfig | undefined;
  readonly kubeProxy: ComponentConfig | undefined;
  /** Non-fatal findings to print (deprecated API version, scheme-less criSocket…). */
  readonly warnings: readonly string[];
}

export interface JoinConfig {
  readonly join: JoinConfiguration;
  readonly warnings: readonly string[];
}

export interface ResetConfig {
  readonly reset: ResetConfiguration;
  readonly warnings: readonly string[];
}
