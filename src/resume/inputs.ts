// What each resumable phase depends on (Phase.resume.inputs): the part of the configuration and of the host that
// shapes the files it writes. Equal inputs and intact files: an earlier run's work is kept; changed inputs: the
// phase runs again. Secrets and timestamps are never part of an input (they change on every run).
import { certProfiles, type CertProfile } from '../../pki/certificates.js';
import type { KubeconfigProfile } from '../../pki/kubeconfigs.js';
import type { ClusterConfiguration, InitConfig } from '../config/types.js';
import type { Host } from '../host/host.js';
import { certificateSpec } from '../pki/profile-spec.js';
import type { PhaseResume } from '../workflow/phase.js';
import { sha256Hex } from '../sha256.js';
import { canonicalHash } from './canonical.js';

/** What every run context that can resume gives the inputs. */
interface RunView {
  readonly host: Host;
}

/** The hash a phase is recorded with: of its declared inputs, or of the whole configuration without secrets. */
export async function inputHashOf<C>(resume: PhaseResume<C>, ctx: C): Promise<string> {
  const inputs: unknown = resume.inputs === undefined ? withoutSecrets((ctx as { readonly cfg?: unknown }).cfg) : await resume.inputs(ctx);
  return canonicalHash(inputs);
}

/** The configuration minus secrets a run generates or is given (tokens, the certificate key: reused from the earlier
 *  run or given anew) and settings of the run itself (dryRun, skipPhases, ignorePreflightErrors, timeouts), which a
 *  re-run after a failure typically changes. The one timeout that shapes a file is added by manifestInputs. */
export function withoutSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutSecrets);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (!secretKeys.has(k)) out[k] = withoutSecrets(x);
  return out;
}
const secretKeys = new Set(['token', 'tlsBootstrapToken', 'certificateKey', 'dryRun', 'skipPhases', 'ignorePreflightErrors', 'timeouts']);

/** A certificate's inputs: the certificate as it would be made (names, SANs, usages) without its dates, its
 *  validity, the key algorithm and where it goes. */
export function certificateInputs(profile: CertProfile, cfg: InitConfig): unknown {
  const c = cfg.cluster;
  const id = { nodeName: cfg.init.nodeRegistration.name, advertiseAddress: cfg.init.localAPIEndpoint.advertiseAddress, cluster: c };
  const { spec } = certificateSpec(profile, id, new Date(0));
  const isCA = profile.ca === undefined;
  return {
    certificate: profile.name,
    certificatesDir: c.certificatesDir,
    needed: !profile.localEtcdOnly || c.etcd.local !== undefined,
    algorithm: c.encryptionAlgorithm,
    validityMs: isCA ? c.caCertificateValidityPeriodMs : c.certificateValidityPeriodMs,
    commonName: spec.commonName,
    organization: spec.organization,
    usages: spec.usages,
    dnsNames: spec.dnsNames,
    ips: spec.ips,
  };
}

/** A kubeconfig file's inputs: the endpoints it may point at, its user, the cluster's name and CA directory. */
export function kubeconfigInputs(profile: KubeconfigProfile, cfg: InitConfig, kubeconfigDir: string): unknown {
  const c = cfg.cluster;
  return {
    file: profile.file,
    kubeconfigDir,
    server: profile.server === 'local' ? cfg.init.localAPIEndpoint : { controlPlaneEndpoint: c.controlPlaneEndpoint, local: cfg.init.localAPIEndpoint },
    user: typeof profile.user === 'string' ? profile.user : `node ${cfg.init.nodeRegistration.name}`,
    groups: profile.groups,
    clusterName: c.clusterName,
    certificatesDir: c.certificatesDir,
    algorithm: c.encryptionAlgorithm,
    validityMs: c.certificateValidityPeriodMs,
  };
}

/** A static Pod manifest's inputs: the configuration it is rendered from, the proxy variables passed to the
 *  components, and the contents of the patch files (a changed patch re-writes the manifests). */
export async function manifestInputs(ctx: RunView, cfg: InitConfig, component: string): Promise<unknown> {
  const c: ClusterConfiguration = cfg.cluster;
  const env = Object.fromEntries(Object.entries(ctx.host.env).filter(([k]) => /^(https?|no)_proxy$/i.test(k)));
  return {
    component,
    cluster: withoutSecrets(c),
    nodeName: cfg.init.nodeRegistration.name,
    localAPIEndpoint: cfg.init.localAPIEndpoint,
    healthCheckMs: cfg.init.timeouts.controlPlaneComponentHealthCheckMs,
    env,
    patches: await patchDigest(ctx.host, cfg.init.patches?.directory),
  };
}

/** Name → SHA-256 of every file in the patch directory (no parsing: any byte change counts). */
async function patchDigest(host: Host, dir: string | undefined): Promise<Record<string, string> | undefined> {
  if (dir === undefined || dir === '') return undefined;
  const names = (await host.fs.list(dir)) ?? [];
  const out: Record<string, string> = {};
  for (const n of names) {
    const content = await host.fs.read(`${dir}/${n}`).catch(() => undefined);
    if (content !== undefined) out[n] = sha256Hex(content);
  }
  return out;
}

/** The profiles the certs phase makes CAs of: kept, never replaced, when inputs change (they are the cluster). */
export const caProfiles: readonly string[] = certProfiles.filter((p) => p.ca === undefined).map((p) => p.name);
