// Command-line flag values → v1beta4-shaped documents, as kubeadm binds its flags onto an
// external config object before defaulting (cmd/init.go, join.go, reset.go), and kubeadm's
// rule that only some flags may be mixed with --config.
import { UsageError } from '../errors.js';
import type { FlagValues } from './flags.js';
import type { NodeRegistration } from './types.js';
import { isAllowedWithConfig } from './flags.js';
import type { ClusterConfigurationDoc, InitConfigurationDoc, JoinConfigurationDoc, ResetConfigurationDoc } from './schema-v1beta4.js';
import { configDefaults, kubeadmAPIVersion } from './defaults.js';
import { parseGoDuration } from './duration.js';
import { parseFeatureGatesFlag } from './feature-gates.js';
import { decodeJoinString } from '../tokens/join-string.js';

/** Reading typed values out of FlagValues; a problem list collects bad ones. */
export class FlagReader {
  readonly problems: string[] = [];
  constructor(private readonly flags: FlagValues) {}
  has(name: string): boolean {
    return this.flags[name] !== undefined;
  }
  string(name: string): string | undefined {
    const v = this.flags[name];
    if (v === undefined) return undefined;
    return Array.isArray(v) ? v.join(',') : String(v);
  }
  bool(name: string): boolean | undefined {
    const v = this.flags[name];
    if (v === undefined) return undefined;
    if (typeof v === 'boolean') return v;
    const s = String(v);
    if (s === 'true') return true;
    if (s === 'false') return false;
    this.problems.push(`--${name}: "${s}" is not true or false`);
    return undefined;
  }
  list(name: string): string[] | undefined {
    const v = this.flags[name];
    if (v === undefined) return undefined;
    const items = Array.isArray(v) ? [...v] : typeof v === 'string' ? v.split(',') : [];
    return items.map((s) => s.trim()).filter((s) => s !== '');
  }
  port(name: string): number | undefined {
    const s = this.string(name);
    if (s === undefined) return undefined;
    if (!/^[0-9]+$/.test(s) || Number(s) < 1 || Number(s) > 65535) {
      this.problems.push(`--${name}: "${s}" is not a valid port number (1-65535)`);
      return undefined;
    }
    return Number(s);
  }
}

/** kubeadm's "can not mix '--config' with arguments [...]" check. */
export function checkMixedWithConfig(flags: FlagValues): void {
  const mixed = Object.keys(flags)
    .filter((n) => flags[n] !== undefined && !isAllowedWithConfig(n))
    .sort();
  if (mixed.length === 0) return;
  // A command-line mistake, not a bad file: exit 64 as docs/exit-codes.md says.
  // The join string has no field of its own: what it carries lives under discovery.bootstrapToken.
  const joinString = mixed.includes('join-string')
    ? '; the join string\'s endpoint, token and CA pins go in JoinConfiguration discovery.bootstrapToken (apiServerEndpoint, token, caCertHashes)'
    : '';
  throw new UsageError(`can not mix '--config' with arguments [${mixed.join(' ')}]`, {
    fix: `set these in the config file instead (${mixed.map((m) => `--${m}`).join(', ')}), or drop --config${joinString}`,
  });
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** init's flags as the two documents kubeadm builds from them when there is no --config. */
export function initDocsFromFlags(r: FlagReader): { init: InitConfigurationDoc; cluster: ClusterConfigurationDoc } {
  const ttl = r.string('token-ttl');
  if (ttl !== undefined && parseGoDuration(ttl) === undefined) r.problems.push(`--token-ttl: "${ttl}" is not a duration such as 24h0m0s`);
  let featureGates: Record<string, boolean> | undefined;
  const fg = r.string('feature-gates');
  if (fg !== undefined) {
    const parsed = parseFeatureGatesFlag(fg);
    r.problems.push(...parsed.problems.map((p) => `--feature-gates: ${p}`));
    featureGates = parsed.gates;
  }
  const patches = r.string('patches');
  const init: InitConfigurationDoc = defined({
    apiVersion: kubeadmAPIVersion,
    kind: 'InitConfiguration',
    bootstrapTokens: [
      defined({
        token: r.string('token'),
        ttl: ttl !== undefined && parseGoDuration(ttl) !== undefined ? ttl : undefined,
        description: configDefaults.initTokenDescription,
      }),
    ],
    dryRun: r.bool('dry-run'),
    nodeRegistration: defined({ name: r.string('node-name'), criSocket: r.string('cri-socket') }),
    localAPIEndpoint: defined({ advertiseAddress: r.string('apiserver-advertise-address'), bindPort: r.port('apiserver-bind-port') }),
    certificateKey: r.string('certificate-key'),
    skipPhases: r.list('skip-phases'),
    patches: patches === undefined ? undefined : { directory: patches },
  });
  const sans = r.list('apiserver-cert-extra-sans');
  const cluster: ClusterConfigurationDoc = defined({
    apiVersion: kubeadmAPIVersion,
    kind: 'ClusterConfiguration',
    networking: defined({
      serviceSubnet: r.string('service-cidr'),
      podSubnet: r.string('pod-network-cidr'),
      dnsDomain: r.string('service-dns-domain'),
    }),
    kubernetesVersion: r.string('kubernetes-version'),
    controlPlaneEndpoint: r.string('control-plane-endpoint'),
    apiServer: sans === undefined ? undefined : { certSANs: sans },
    certificatesDir: r.string('cert-dir'),
    imageRepository: r.string('image-repository'),
    featureGates,
  });
  return { init, cluster };
}

/** join's flags (and the positional API server endpoint) as kubeadm binds them. */
export function joinDocFromFlags(r: FlagReader, endpoint: string | undefined): JoinConfigurationDoc {
  const joinString = r.string('join-string');
  const fromString = joinString === undefined ? undefined : joinStringDiscovery(r, joinString, endpoint);
  const token = fromString?.token ?? r.string('token');
  const discoveryToken = r.string('discovery-token') ?? token;
  const tlsBootstrapToken = r.string('tls-bootstrap-token') ?? token;
  const file = r.string('discovery-file');
  const patches = r.string('patches');
  const controlPlane = r.bool('control-plane') === true;
  if (fromString !== undefined) endpoint = fromString.endpoint;
  return defined({
    apiVersion: kubeadmAPIVersion,
    kind: 'JoinConfiguration',
    dryRun: r.bool('dry-run'),
    nodeRegistration: defined({ name: r.string('node-name'), criSocket: r.string('cri-socket') }),
    discovery: defined({
      // kubeadm: no endpoint argument → no token discovery; no --discovery-file → no file discovery.
      bootstrapToken:
        endpoint === undefined || endpoint === ''
          ? undefined
          : defined({
              token: discoveryToken,
              apiServerEndpoint: endpoint,
              caCertHashes: fromString === undefined ? r.list('discovery-token-ca-cert-hash') : [...fromString.caCertHashes],
              unsafeSkipCAVerification: r.bool('discovery-token-unsafe-skip-ca-verification'),
            }),
      file: file === undefined || file === '' ? undefined : { kubeConfigPath: file },
      tlsBootstrapToken,
    }),
    controlPlane: controlPlane
      ? defined({
          localAPIEndpoint: defined({ advertiseAddress: r.string('apiserver-advertise-address'), bindPort: r.port('apiserver-bind-port') }),
          certificateKey: r.string('certificate-key'),
        })
      : undefined,
    skipPhases: r.list('skip-phases'),
    patches: patches === undefined ? undefined : { directory: patches },
  });
}

/** What --join-string replaces; giving any of them too is ambiguous, so refused. */
const replacedByJoinString = ['discovery-file', 'discovery-token', 'discovery-token-ca-cert-hash', 'discovery-token-unsafe-skip-ca-verification',
  'tls-bootstrap-token', 'token'];

/** --join-string's endpoint, token and pins (tskubeadm's own flag: tokens/join-string.ts). */
function joinStringDiscovery(r: FlagReader, value: string, endpoint: string | undefined) {
  const mixed = [...(endpoint === undefined || endpoint === '' ? [] : ['the API server endpoint argument']),
    ...replacedByJoinString.filter((f) => r.has(f)).map((f) => `--${f}`)];
  if (mixed.length > 0) {
    throw new UsageError(`--join-string cannot be used with ${mixed.join(', ')}: it already carries the endpoint, the token and the CA pins`, {
      fix: 'give either --join-string alone, or the endpoint with --token and --discovery-token-ca-cert-hash',
    });
  }
  return decodeJoinString(value);
}

export function resetDocFromFlags(r: FlagReader): ResetConfigurationDoc {
  return defined({
    apiVersion: kubeadmAPIVersion,
    kind: 'ResetConfiguration',
    certificatesDir: r.string('cert-dir'),
    cleanupTmpDir: r.bool('cleanup-tmp-dir'),
    criSocket: r.string('cri-socket'),
    dryRun: r.bool('dry-run'),
    force: r.bool('force'),
    skipPhases: r.list('skip-phases'),
  });
}

/** What init and join take from the flags kubeadm allows next to --config (node-name, dry-run, skip-phases,
 *  ignore-preflight-errors), over what the file or the other flags gave. */
export function withMixableFlags<T extends { readonly dryRun: boolean; readonly skipPhases: readonly string[]; readonly nodeRegistration: NodeRegistration }>(
  cfg: T, flags: FlagReader,
): T {
  const nodeName = flags.string('node-name');
  const skipPhases = flags.list('skip-phases');
  return {
    ...cfg,
    dryRun: flags.bool('dry-run') ?? cfg.dryRun,
    skipPhases: skipPhases !== undefined && skipPhases.length > 0 ? skipPhases : cfg.skipPhases,
    nodeRegistration: {
      ...cfg.nodeRegistration,
      ...(nodeName === undefined ? {} : { name: nodeName }),
      ignorePreflightErrors: unionIgnorePreflightErrors(cfg.nodeRegistration.ignorePreflightErrors, flags.list('ignore-preflight-errors')),
    },
  };
}

/** The lower-cased, sorted union of the flag's and the config's ignored checks (kubeadm keeps the union in the config). */
export function unionIgnorePreflightErrors(fromConfig: readonly string[], fromFlag: readonly string[] | undefined): string[] {
  return [...new Set([...fromConfig, ...(fromFlag ?? [])].map((n) => n.toLowerCase()))].sort();
}
