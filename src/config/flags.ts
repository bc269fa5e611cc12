// Command-line flags that feed the configuration, declared as data. The CLI builds its
// commander options from these tables; the config loader applies the values the user
// set and enforces kubeadm's rule that only some of them may be mixed with --config.

export type FlagKind = 'string' | 'boolean' | 'list';

export interface ConfigFlag {
  /** Long name without dashes, exactly kubeadm's. */
  readonly name: string;
  readonly description: string;
  readonly kind: FlagKind;
  /** Shown in help, e.g. "6443". */
  readonly defaultText?: string;
  /** kubeadm lets these be combined with --config; every other one is refused with --config. */
  readonly allowedWithConfig: boolean;
}

/** Values of the flags the user actually set (absent = not given). Lists are already split on commas. */
export type FlagValues = Readonly<Record<string, string | boolean | readonly string[]>>;

/** kubeadm's rule (apis/kubeadm/validation ValidateMixedArguments): these, and every `skip-*` flag, may be given with --config. */
const mixableWithConfig = new Set(['config', 'ignore-preflight-errors', 'dry-run', 'kubeconfig', 'node-name', 'kubeconfig-dir',
  'upload-certs', 'print-join-command', 'rootfs', 'v', 'log-file',
  // tskubeadm's own: run options, not configuration.
  'replace-stale-member']);

/** Whether kubeadm lets this flag be combined with --config. */
export function isAllowedWithConfig(name: string): boolean {
  return mixableWithConfig.has(name) || name.startsWith('skip-');
}

function flag(name: string, kind: FlagKind, description: string, defaultText?: string): ConfigFlag {
  return Object.freeze({
    name,
    kind,
    description,
    ...(defaultText === undefined ? {} : { defaultText }),
    allowedWithConfig: isAllowedWithConfig(name),
  });
}

const shared = {
  advertiseAddress: flag('apiserver-advertise-address', 'string',
    'The IP address the API server advertises it is listening on; empty means the address of the default-route interface'),
  bindPort: flag('apiserver-bind-port', 'string', 'Port for the API server to bind to', '6443'),
  certificateKey: flag('certificate-key', 'string', 'Hex-encoded AES-256 key (64 characters) that encrypts the control-plane certificates in the kubeadm-certs Secret'),
  config: flag('config', 'string', 'Path to a kubeadm configuration file'),
  criSocket: flag('cri-socket', 'string', 'Path to the CRI socket; empty means auto-detect (only needed with several runtimes installed)'),
  dryRun: flag('dry-run', 'boolean', 'Change nothing; print what would be done'),
  ignorePreflightErrors: flag('ignore-preflight-errors', 'list', "Checks whose errors become warnings, e.g. 'IsPrivilegedUser,Swap'; 'all' ignores every check"),
  nodeName: flag('node-name', 'string', 'Name of this node; empty means the lower-cased hostname'),
  patches: flag('patches', 'string', 'Directory of patch files ("target[suffix][+patchtype].extension") applied to generated manifests and kubelet config'),
  skipPhases: flag('skip-phases', 'list', 'Phases to skip'),
  certDir: flag('cert-dir', 'string', 'Directory holding the certificates', '/etc/kubernetes/pki'),
} as const;

/** `init` flags that feed the configuration or the run (kubeadm's names and defaults). */
export const initFlags: readonly ConfigFlag[] = Object.freeze([
  shared.advertiseAddress,
  shared.bindPort,
  flag('apiserver-cert-extra-sans', 'list', 'Extra Subject Alternative Names (IPs or DNS names) for the API server certificate'),
  shared.certDir,
  shared.certificateKey,
  shared.config,
  flag('control-plane-endpoint', 'string', 'A stable IP address or DNS name, with an optional port, for the control plane'),
  shared.criSocket,
  shared.dryRun,
  flag('feature-gates', 'string', 'kubeadm feature gates as key=true|false pairs separated by commas'),
  shared.ignorePreflightErrors,
  flag('image-repository', 'string', 'Registry to pull the control plane images from', 'registry.k8s.io'),
  flag('kubernetes-version', 'string', 'Kubernetes version of the control plane, or a label such as stable-1 (resolved offline)', 'stable-1'),
  shared.nodeName,
  shared.patches,
  flag('pod-network-cidr', 'string', 'IP range(s) for the pod network; when set, node CIDRs are allocated from it'),
  flag('service-cidr', 'string', 'IP range(s) for service virtual IPs', '10.96.0.0/12'),
  flag('service-dns-domain', 'string', 'DNS domain of services', 'cluster.local'),
  flag('skip-certificate-key-print', 'boolean', "Don't print the key that encrypts the control-plane certificates"),
  shared.skipPhases,
  flag('skip-token-print', 'boolean', "Don't print the bootstrap token"),
  flag('token', 'string', 'Bootstrap token for joining nodes ([a-z0-9]{6}.[a-z0-9]{16}); empty means a random one'),
  flag('token-ttl', 'string', 'How long the bootstrap token lives; 0 means forever', '24h0m0s'),
  flag('upload-certs', 'boolean', 'Upload the control-plane certificates to the kubeadm-certs Secret'),
]);

/** `join` flags (the API server endpoint is the positional argument). */
export const joinFlags: readonly ConfigFlag[] = Object.freeze([
  shared.advertiseAddress,
  shared.bindPort,
  shared.certificateKey,
  shared.config,
  flag('control-plane', 'boolean', 'Join as a new control plane instance'),
  shared.criSocket,
  flag('discovery-file', 'string', 'A kubeconfig file or HTTPS URL to discover and trust the cluster from'),
  flag('discovery-token', 'string', 'A token to discover and trust the cluster with'),
  flag('discovery-token-ca-cert-hash', 'list', "Pins of the cluster CA's public key ('sha256:<hex>') for token discovery"),
  flag('discovery-token-unsafe-skip-ca-verification', 'boolean', 'Trust the cluster CA found by token discovery without pinning it'),
  shared.dryRun,
  shared.ignorePreflightErrors,
  flag('join-string', 'string', "The compact join value from 'tskubeadm token create --print-join-string' (or init -o json): endpoint, token and CA pins in one"),
  shared.nodeName,
  shared.patches,
  flag('replace-stale-member', 'boolean', 'Remove an etcd member with this node\'s name or peer URL left by an earlier install before adding this node'),
  shared.skipPhases,
  flag('tls-bootstrap-token', 'string', 'A token for the TLS bootstrap of the kubelet'),
  flag('token', 'string', 'Use this token for both discovery and TLS bootstrap when those are not given'),
]);

/** `reset` flags. */
export const resetFlags: readonly ConfigFlag[] = Object.freeze([
  shared.certDir,
  flag('cleanup-tmp-dir', 'boolean', 'Also remove /etc/kubernetes/tmp'),
  shared.config,
  shared.criSocket,
  shared.dryRun,
  flag('force', 'boolean', 'Reset without asking for confirmation'),
  shared.ignorePreflightErrors,
  flag('kubeconfig', 'string', 'kubeconfig used to reach the cluster', '/etc/kubernetes/admin.conf'),
  shared.skipPhases,
]);
