// join's kubelet-wait-bootstrap phase: wait until the kubelet is healthy and has turned the bootstrap token
// into its own client certificate (kubelet.conf), record the CRI socket on the Node when the kubelet does
// not keep it itself, and remove the bootstrap credentials from disk. kubeadm: cmd/phases/join/kubelet.go
// runKubeletWaitBootstrapPhase (hidden there; shown here). kubelet-start runs the same wait when the
// ControlPlaneKubeletLocalMode gate is off.
import type { ApiClient } from '../../api/client.js';
import { formatGoDuration } from '../../config/duration.js';
import { gateEnabled } from '../../config/feature-gates.js';
import { TimeoutError } from '../../errors.js';
import type { Host } from '../../host/host.js';
import { currentEntries, encodeKubeconfig, parseKubeconfig, type Kubeconfig } from '../../kubeconfig/kubeconfig.js';
import { nodeLocalCRISocket } from '../../kubelet/instance-config.js';
import { kubeletFileNames, kubeletFilePath, kubeletKubeconfigNames } from '../../kubelet/kubelet-paths.js';
import { parseCertificates } from '../../pki/certificate.js';
import { parsePrivateKey } from '../../pki/keys.js';
import { kubeletHealthz } from '../../wait/control-plane-endpoints.js';
import { pollUntil, type AttemptResult } from '../../wait/poll.js';
import type { Phase } from '../../workflow/phase.js';
import { patchRegisteredNode } from '../init/mark-control-plane.js';
import { criSocketAnnotation } from '../init/upload-config.js';
import { kubeletHealthOf, waitForKubelet } from '../init/wait-control-plane.js';
import type { JoinContext } from './context.js';

/** kubeadm's TLSBootstrapRetryInterval. */
export const tlsBootstrapIntervalMs = 1_000;

const troubleshooting = "the kubelet is not running, or is unhealthy because of a misconfiguration of the node (required cgroups disabled, " +
  "a wrong container runtime endpoint…): see 'systemctl status kubelet' and 'journalctl -xeu kubelet'";

type UsableKubeconfig = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

/**
 * kubelet.conf as a client could use it (kubeadm's ClientSetFromFile succeeding): the file parses, names a
 * server, and its client certificate and key (embedded, or files such as kubelet-client-current.pem) exist and
 * load. Returns the kubeconfig with the files' contents embedded, so a client needs no paths of this host.
 */
export async function usableKubeconfig(host: Host, path: string): Promise<UsableKubeconfig> {
  const text = await host.fs.readText(path);
  if (text === undefined) return { ok: false, reason: `${host.fs.realPath(path)} does not exist yet` };
  let kc: Kubeconfig;
  try {
    kc = parseKubeconfig(text, host.fs.realPath(path));
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
  const { cluster, user } = currentEntries(kc);
  if (cluster === undefined || cluster.server === '') return { ok: false, reason: `${host.fs.realPath(path)} names no cluster server` };
  if (user === undefined) return { ok: false, reason: `${host.fs.realPath(path)} names no user` };
  const load = async (data: string | undefined, file: string | undefined, what: string): Promise<string | { reason: string }> => {
    if (data !== undefined) return data;
    if (file === undefined) return { reason: `${host.fs.realPath(path)} has no client ${what}` };
    const pem = await host.fs.readText(file);
    return pem === undefined ? { reason: `the client ${what} ${host.fs.realPath(file)} does not exist yet` } : pem;
  };
  const certPem = await load(user.clientCertificateData, user.clientCertificate, 'certificate');
  if (typeof certPem !== 'string') return { ok: false, reason: certPem.reason };
  const keyPem = await load(user.clientKeyData, user.clientKey, 'key');
  if (typeof keyPem !== 'string') return { ok: false, reason: keyPem.reason };
  try {
    if (parseCertificates(certPem).length === 0) return { ok: false, reason: 'the client certificate holds no certificate' };
    parsePrivateKey(keyPem);
  } catch (err) {
    return { ok: false, reason: `the client certificate or key does not load: ${(err as Error).message}` };
  }
  let caPem = cluster.certificateAuthorityData;
  if (caPem === undefined && cluster.certificateAuthority !== undefined) caPem = await host.fs.readText(cluster.certificateAuthority);
  const embedded: Kubeconfig = {
    ...kc,
    clusters: kc.clusters.map((c) => (c === cluster ? { name: c.name, server: c.server, ...(caPem === undefined ? {} : { certificateAuthorityData: caPem }) } : c)),
    users: kc.users.map((u) => (u === user ? { name: u.name, clientCertificateData: certPem, clientKeyData: keyPem } : u)),
  };
  return { ok: true, text: encodeKubeconfig(embedded) };
}

/** The kubelet health wait, then the TLS bootstrap wait, the CRI socket annotation and the bootstrap file's removal.
 *  `kubeletDoc`: the KubeletConfiguration as written (patches applied), for the healthz address and port. */
export async function waitForBootstrap(ctx: JoinContext, kubeletDoc?: Readonly<Record<string, unknown>>): Promise<void> {
  const { host, out } = ctx;
  const initCfg = await ctx.cluster();
  const kubeconfigDir = ctx.options.kubeconfigDir;
  const kubeletConfPath = `${kubeconfigDir}/${kubeletKubeconfigNames.kubelet}`;
  // The kubelet's own credentials, once it has them (only the CRI socket annotation below needs a client).
  let kubeletConf: string | undefined;
  if (ctx.dryRun) {
    out.info('[kubelet-wait] Would wait for the kubelet to be bootstrapped');
  } else {
    const doc = kubeletDoc ?? (await writtenKubeletConfig(host)) ?? kubeletHealthOf(initCfg).kubeletDoc;
    const healthz = kubeletHealthz(doc);
    const failing = await waitForKubelet({ cfg: initCfg, host, out }, healthz);
    if (failing !== undefined) {
      throw new TimeoutError(`the kubelet did not become healthy at ${healthz.url} within ${formatGoDuration(ctx.cfg.join.timeouts.kubeletHealthCheckMs)}: ${failing.reason}`, { fix: troubleshooting });
    }
    out.info('[kubelet-start] Waiting for the kubelet to perform the TLS Bootstrap');
    const timeoutMs = ctx.cfg.join.timeouts.tlsBootstrapMs;
    const outcome = await pollUntil(async (): Promise<AttemptResult<string>> => {
      const u = await usableKubeconfig(host, kubeletConfPath);
      return u.ok ? { done: true, value: u.text } : { done: false, reason: u.reason };
    }, { clock: host.clock, timeoutMs, intervalMs: tlsBootstrapIntervalMs });
    if (!outcome.ok) {
      throw new TimeoutError(
        `the kubelet did not perform the TLS Bootstrap within ${formatGoDuration(timeoutMs)}: ${outcome.reason ?? 'no kubelet.conf'}`,
        { fix: `${troubleshooting}; check that the bootstrap token is still valid and that the cluster approves node CSRs (timeouts.tlsBootstrap bounds the wait)` },
      );
    }
    kubeletConf = outcome.value;
  }
  const nodeReg = ctx.cfg.join.nodeRegistration;
  if (!nodeLocalCRISocket(initCfg.cluster)) {
    out.detail(1, '[kubelet-start] preserving the crisocket information for the node');
    const api = kubeletConf === undefined ? await ctx.bootstrapApi() : await kubeletClient(ctx, kubeletConf, kubeletConfPath);
    await patchRegisteredNode({ host, cfg: initCfg }, api, nodeReg.name, (node) =>
      node.metadata.annotations?.[criSocketAnnotation] === nodeReg.criSocket ? {} : { metadata: { annotations: { [criSocketAnnotation]: nodeReg.criSocket } } });
  }
  // The bootstrap token's credentials are not left on disk once the kubelet has its own.
  if (!ctx.dryRun) await host.fs.remove(`${kubeconfigDir}/${kubeletKubeconfigNames.bootstrap}`);
}

/** A client with the kubelet's own identity: a Node may be patched only by its own kubelet (Node authorizer). */
async function kubeletClient(ctx: JoinContext, text: string, path: string): Promise<ApiClient> {
  const { realClient } = await import('../../api/real-client.js');
  return realClient(text, { timeoutMs: ctx.cfg.join.timeouts.kubernetesAPICallMs, clock: ctx.host.clock, source: ctx.host.fs.realPath(path) });
}

/** /var/lib/kubelet/config.yaml as kubelet-start wrote it (patches applied), when it parses. */
async function writtenKubeletConfig(host: Host): Promise<Readonly<Record<string, unknown>> | undefined> {
  const text = await host.fs.readText(kubeletFilePath(kubeletFileNames.config));
  if (text === undefined) return undefined;
  const { parse } = await import('yaml');
  try {
    const doc: unknown = parse(text);
    return doc !== null && typeof doc === 'object' ? (doc as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export const kubeletWaitBootstrap: Phase<JoinContext> = {
  name: 'kubelet-wait-bootstrap',
  short: 'Wait for the kubelet to bootstrap itself (when the ControlPlaneKubeletLocalMode feature gate is on)',
  long: 'Wait until the kubelet answers on its health port and has exchanged the bootstrap token for its own client certificate ' +
    '(/etc/kubernetes/kubelet.conf), bounded by timeouts.kubeletHealthCheck and timeouts.tlsBootstrap; then remove ' +
    '/etc/kubernetes/bootstrap-kubelet.conf. With the ControlPlaneKubeletLocalMode gate off, kubelet-start does this itself.',
  example: '# Wait for the kubelet that kubelet-start started.\ntskubeadm join phase kubelet-wait-bootstrap --config join.yaml',
  flags: ['config', 'cri-socket', 'dry-run'],
  run: async (ctx) => {
    if (!gateEnabled((await ctx.cluster()).cluster, 'ControlPlaneKubeletLocalMode')) {
      ctx.out.detail(1, '[kubelet-wait] ControlPlaneKubeletLocalMode is off: kubelet-start already waited for the TLS bootstrap');
      return;
    }
    await waitForBootstrap(ctx);
  },
};
