// init's wait-control-plane phase: the kubelet's /healthz, then the three control-plane components'
// health endpoints taken from the manifests as written, polled concurrently. Unlike kubeadm, the API
// server is checked over TLS against the cluster CA (a server with another CA's certificate, or one
// not valid for its address, never counts as healthy), and a timeout is diagnosed instead of answered
// with a generic list. kubeadm: cmd/phases/init/waitcontrolplane.go, util/apiclient/wait.go.
import { formatGoDuration } from '../../config/duration.js';
import { kubeletConfiguration } from '../../config/encode-component-configs.js';
import { diagnose } from '../../diagnose/diagnose.js';
import { CertificateError, TimeoutError } from '../../errors.js';
import { manifestCommand, manifestPath, manifestsDir, readStaticPodManifest } from '../../manifest-files/static-pod-files.js';
import { controlPlaneComponents, type ControlPlaneComponentName } from '../../manifests/static-pod.js';
import { certPath } from '../../pki-files/pki-files.js';
import { controlPlaneEndpoints, kubeletHealthz, type ComponentEndpoint, type KubeletHealthz } from '../../wait/control-plane-endpoints.js';
import { waitHealthy, type HealthEndpoint } from '../../wait/health.js';
import type { Phase } from '../../workflow/phase.js';
import type { InitContext } from './context.js';

const tag = '[wait-control-plane]';

/** What the waits need from a run: join --control-plane gives the cluster's configuration with this node's
 *  localAPIEndpoint, registration and timeouts as `cfg`. */
export type WaitRun = Pick<InitContext, 'cfg' | 'host' | 'out'>;

/** The kubelet's health URL, from the KubeletConfiguration this node runs with (defaulted). */
export function kubeletHealthOf(cfg: InitContext['cfg']): { kubelet: KubeletHealthz; kubeletDoc: Readonly<Record<string, unknown>> } {
  const kubeletDoc = kubeletConfiguration(cfg.cluster, cfg.kubelet === undefined ? {} : { given: cfg.kubelet }).document;
  return { kubelet: kubeletHealthz(kubeletDoc), kubeletDoc };
}

export const waitControlPlane: Phase<InitContext> = {
  name: 'wait-control-plane',
  short: 'Wait for the control plane to start',
  long: 'Wait until the kubelet answers on its health port, then until kube-apiserver, kube-controller-manager and kube-scheduler ' +
    'answer on the addresses and ports of their manifests in /etc/kubernetes/manifests. The API server must present a certificate ' +
    'signed by the cluster CA and valid for its address. The waits are bounded by timeouts.kubeletHealthCheck and ' +
    'timeouts.controlPlaneComponentHealthCheck; when one runs out, the kubelet, the containers and their logs are examined, the ' +
    'likely causes are printed with their fixes, and the evidence is kept under /var/lib/tskubeadm/diagnostics.',
  example: '# Wait for the control plane that the earlier init phases set up, with the same config file.\n' +
    'tskubeadm init phase wait-control-plane --config kubeadm-config.yaml',
  // kubeadm's phase takes no flags of its own; without --config its timeouts and addresses could not be set.
  flags: ['config', 'dry-run'],
  run: async (ctx) => {
    const { kubelet, kubeletDoc } = kubeletHealthOf(ctx.cfg);
    ctx.out.info(`${tag} Waiting for the kubelet to boot up the control plane as static Pods from directory "${ctx.writtenTo(manifestsDir)}"`);
    if (ctx.dryRun) {
      // kubeadm's dry-run waiter: the kubelet line only, nothing for the components.
      ctx.out.info(`[dryrun] Would make sure the kubelet returns 'ok' at ${kubelet.url}`);
      return;
    }
    // Read before waiting: a missing manifest or CA should not cost a kubelet timeout first.
    const components = await componentEndpoints(ctx);
    const kubeletFailure = await waitForKubelet(ctx, kubelet);
    const failing = kubeletFailure === undefined ? await waitForComponents(ctx, components) : [kubeletFailure];
    if (failing.length > 0) await giveUp(ctx, kubelet, kubeletDoc, components, failing);
  },
};

export interface Failing {
  readonly name: string;
  readonly reason: string;
}

/** kubeadm's WaitForKubelet lines; what failed when it timed out. Also join's kubelet-wait-bootstrap. */
export async function waitForKubelet(ctx: WaitRun, kubelet: KubeletHealthz): Promise<Failing | undefined> {
  if (kubelet.port === 0) {
    ctx.out.info('[kubelet-check] Skipping the kubelet health check because the healthz port is set to 0');
    return undefined;
  }
  const timeoutMs = ctx.cfg.init.timeouts.kubeletHealthCheckMs;
  ctx.out.info(`[kubelet-check] Waiting for a healthy kubelet at ${kubelet.url}. This can take up to ${formatGoDuration(timeoutMs)}`);
  const w = await waitHealthy({ name: 'kubelet', url: kubelet.url, tls: 'none' }, { net: ctx.host.net, clock: ctx.host.clock, timeoutMs });
  const after = formatGoDuration(w.outcome.elapsedMs);
  ctx.out.info(w.outcome.ok ? `[kubelet-check] The kubelet is healthy after ${after}` : `[kubelet-check] The kubelet is not healthy after ${after}`);
  return w.outcome.ok ? undefined : { name: 'kubelet', reason: w.outcome.reason ?? 'no answer' };
}

/** kubeadm's WaitForControlPlaneComponents lines; the components that did not become healthy. */
export async function waitForComponents(ctx: WaitRun, endpoints: readonly ComponentEndpoint[]): Promise<Failing[]> {
  const timeoutMs = ctx.cfg.init.timeouts.controlPlaneComponentHealthCheckMs;
  ctx.out.info(`[control-plane-check] Waiting for healthy control plane components. This can take up to ${formatGoDuration(timeoutMs)}`);
  for (const ep of endpoints) ctx.out.info(`[control-plane-check] Checking ${ep.name} at ${ep.url}`);
  const results = await Promise.all(endpoints.map(async (ep): Promise<Failing | undefined> => {
    const w = await waitHealthy(ep, { net: ctx.host.net, clock: ctx.host.clock, timeoutMs });
    const after = formatGoDuration(w.outcome.elapsedMs);
    ctx.out.info(`[control-plane-check] ${ep.name} is ${w.outcome.ok ? 'healthy' : 'not healthy'} after ${after}`);
    return w.outcome.ok ? undefined : { name: ep.name, reason: w.outcome.reason ?? 'no answer' };
  }));
  return results.filter((f): f is Failing => f !== undefined);
}

/** The health URLs of the written manifests; the API server's is checked against the cluster CA. `writer` is the
 *  command that writes the manifests, for the fix when one is missing. */
export async function componentEndpoints(ctx: WaitRun, writer = 'tskubeadm init phase control-plane all'): Promise<ComponentEndpoint[]> {
  const commands = {} as Record<ControlPlaneComponentName, string[]>;
  for (const c of controlPlaneComponents) {
    const pod = await readStaticPodManifest(ctx.host, c);
    if (pod === undefined) {
      const path = manifestPath(c);
      throw new CertificateError(path, `the static Pod manifest ${ctx.host.fs.realPath(path)} does not exist`, {
        fix: `write the manifests first: "${writer}"`,
      });
    }
    commands[c] = manifestCommand(pod);
  }
  const caFile = certPath(ctx.cfg.cluster.certificatesDir, 'ca');
  const clusterCA = await ctx.host.fs.readText(caFile);
  if (clusterCA === undefined) {
    throw new CertificateError(caFile, `the cluster CA ${ctx.host.fs.realPath(caFile)} does not exist, so the API server's certificate cannot be checked`, {
      fix: 'generate it with "tskubeadm init phase certs ca", or put the cluster CA certificate there',
    });
  }
  const local = ctx.cfg.init.localAPIEndpoint;
  return controlPlaneEndpoints(commands, { advertiseAddress: local.advertiseAddress, bindPort: local.bindPort, clusterCA });
}

/** Diagnoses, then fails with a TimeoutError naming what did not come up. */
export async function giveUp(
  ctx: WaitRun, kubelet: KubeletHealthz, kubeletDoc: Readonly<Record<string, unknown>>,
  components: readonly ComponentEndpoint[], failing: readonly Failing[],
): Promise<never> {
  const kubeletFailed = failing.some((f) => f.name === 'kubelet');
  const endpoints: HealthEndpoint[] = [...(kubelet.port === 0 ? [] : [{ name: 'kubelet', url: kubelet.url, tls: 'none' as const }]), ...components];
  const ports = [
    ...components.map((c) => ({ port: c.port, owner: c.name })),
    ...(ctx.cfg.cluster.etcd.local === undefined ? [] : [{ port: 2379, owner: 'etcd' }, { port: 2380, owner: 'etcd' }]),
  ];
  const d = await diagnose(ctx.host, ctx.out, {
    criSocket: ctx.cfg.init.nodeRegistration.criSocket,
    unhealthy: failing.map((f) => f.name),
    endpoints, ports, kubeletConfig: kubeletDoc,
  });
  const timeoutMs = kubeletFailed ? ctx.cfg.init.timeouts.kubeletHealthCheckMs : ctx.cfg.init.timeouts.controlPlaneComponentHealthCheckMs;
  const what = kubeletFailed
    ? `the kubelet (${kubelet.url}: ${failing[0]?.reason ?? 'no answer'})`
    : failing.map((f) => `${f.name} (${f.reason})`).join(', ');
  const top = d.likely[0];
  const evidence = d.supportFileShown === undefined ? '' : `; the evidence is in ${d.supportFileShown}`;
  throw new TimeoutError(`${what} did not become healthy within ${formatGoDuration(timeoutMs)}`, {
    fix: top === undefined
      ? `check the kubelet and the control-plane containers as shown above${evidence}`
      : `${top.cause.fix}${d.likely.length > 1 ? ' (the other likely causes are listed above)' : ''}${evidence}`,
  });
}
