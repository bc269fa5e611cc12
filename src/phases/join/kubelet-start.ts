// join's kubelet-start phase: hand the kubelet the TLS-bootstrap kubeconfig and the cluster CA, refuse to
// take over a Ready Node of the same name, write the kubelet's files from the cluster's kubelet-config, and
// (re)start it. kubeadm: cmd/phases/join/kubelet.go runKubeletStartJoinPhase.
import type { ApiClient } from '../../api/client.js';
import type { ClusterConfiguration, InitConfig } from '../../config/types.js';
import { gateEnabled } from '../../config/feature-gates.js';
import { TskubeadmError, exitCodes } from '../../errors.js';
import type { KubeObject } from '../../api/objects.js';
import { currentEntries, encodeKubeconfig, parseKubeconfig, type Kubeconfig } from '../../kubeconfig/kubeconfig.js';
import { parseCertificates } from '../../pki/certificate.js';
import { localEndpointURL } from '../../kubeconfig/endpoints.js';
import { kubeletFlags, kubeletFlagsEnv, nodeNameOf } from '../../kubelet/flags-env.js';
import { nodeLocalCRISocket } from '../../kubelet/instance-config.js';
import { writeKubeletConfiguration, writeKubeletFlagsEnv, type KubeletFileTarget } from '../../kubelet/kubelet-files.js';
import { kubeletKubeconfigNames } from '../../kubelet/kubelet-paths.js';
import { controlService, tryStartKubelet, tryStopKubelet } from '../../kubelet/kubelet-service.js';
import type { Phase } from '../../workflow/phase.js';
import { kubeletNodeIP } from '../init/kubelet-start.js';
import type { JoinContext } from './context.js';
import { usableKubeconfig, waitForBootstrap } from './kubelet-wait-bootstrap.js';

/** Whether the ControlPlaneKubeletLocalMode gate is on: a joining control plane's kubelet then talks to its own
 *  API server, and the etcd member is added before the kubelet's TLS bootstrap is waited for. */
export function controlPlaneKubeletLocalMode(cluster: Pick<ClusterConfiguration, 'featureGates'>): boolean {
  return gateEnabled(cluster, 'ControlPlaneKubeletLocalMode');
}

/** The TLS-bootstrap kubeconfig as the kubelet gets it: its cluster named as the cluster is (kubeadm renames it
 *  after reading the ClusterConfiguration) and, for a control plane with ControlPlaneKubeletLocalMode, pointed
 *  at this node's own API server. */
export function bootstrapKubeletKubeconfig(ctx: Pick<JoinContext, 'cfg'>, initCfg: InitConfig, discovered: Kubeconfig): Kubeconfig {
  const current = discovered.contexts.find((c) => c.name === discovered.currentContext);
  const cluster = discovered.clusters.find((c) => c.name === current?.cluster) ?? discovered.clusters[0];
  if (cluster === undefined || current === undefined) return discovered;
  const name = initCfg.cluster.clusterName;
  const cp = ctx.cfg.join.controlPlane;
  const server = cp !== undefined && controlPlaneKubeletLocalMode(initCfg.cluster) ? localEndpointURL(cp.localAPIEndpoint) : cluster.server;
  return {
    ...discovered,
    clusters: [{ ...cluster, name, server }],
    contexts: discovered.contexts.map((c) => (c.name === current.name ? { ...c, cluster: name } : c)),
  };
}

/** The Ready condition of a Node is True. */
function isReady(node: KubeObject): boolean {
  const status = node['status'] as { conditions?: { type?: string; status?: string }[] } | undefined;
  return (status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** This machine's kubelet.conf is usable and its client certificate is the node's own (system:node:<name>): the
 *  TLS bootstrap of an earlier, interrupted join of this node completed here. */
async function holdsNodeCredentials(ctx: JoinContext, nodeName: string): Promise<boolean> {
  const u = await usableKubeconfig(ctx.host, `${ctx.options.kubeconfigDir}/${kubeletKubeconfigNames.kubelet}`);
  if (!u.ok) return false;
  const user = currentEntries(parseKubeconfig(u.text, 'kubelet.conf')).user;
  const cert = user?.clientCertificateData === undefined ? undefined : parseCertificates(user.clientCertificateData)[0];
  return cert !== undefined && cert.subject.split('\n').includes(`CN=system:node:${nodeName}`);
}

/** kubeadm refuses to join under the name of a Node that is Ready: the two kubelets would fight over it. */
export async function refuseReadyNode(api: ApiClient, nodeName: string): Promise<void> {
  const node = await api.get({ kind: 'Node', name: nodeName });
  if (node === undefined || !isReady(node)) return;
  throw new TskubeadmError(
    `a Node with name "${nodeName}" and status "Ready" already exists in the cluster. You must delete the existing Node or change the name of this new joining Node`,
    {
      exitCode: exitCodes.preflight,
      fix: `if that Node is this machine's old self, run 'kubectl delete node ${nodeName}' on a control-plane node; otherwise give this node another name with --node-name (nodeRegistration.name)`,
    },
  );
}

export const kubeletStart: Phase<JoinContext> = {
  name: 'kubelet-start',
  short: 'Write kubelet settings, certificates and (re)start the kubelet',
  long: 'Write the TLS-bootstrap kubeconfig (/etc/kubernetes/bootstrap-kubelet.conf) and the cluster CA, the KubeletConfiguration ' +
    'read from the cluster\'s kubelet-config ConfigMap to /var/lib/kubelet/config.yaml and the node-specific flags to ' +
    '/var/lib/kubelet/kubeadm-flags.env, then (re)start the kubelet. Refuses when a Ready Node already has this node\'s name. ' +
    'Without the ControlPlaneKubeletLocalMode feature gate it also waits for the TLS bootstrap, as kubelet-wait-bootstrap does.',
  example: '# Write the kubelet files and start the kubelet, discovering the cluster with a token.\n' +
    'tskubeadm join phase kubelet-start 192.0.2.10:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash sha256:…',
  flags: [
    'config', 'cri-socket', 'node-name', 'discovery-file', 'discovery-token', 'discovery-token-ca-cert-hash',
    'discovery-token-unsafe-skip-ca-verification', 'join-string', 'tls-bootstrap-token', 'token', 'patches', 'dry-run',
  ],
  run: runKubeletStart,
};

async function runKubeletStart(ctx: JoinContext): Promise<void> {
  const { host, out } = ctx;
  const initCfg = await ctx.cluster();
  const discovered = await ctx.discovery();
  const nodeReg = ctx.cfg.join.nodeRegistration;
  const kubeconfigDir = ctx.options.kubeconfigDir;

  // Before anything is written (kubeadm checks after writing bootstrap-kubelet.conf and ca.crt, and leaves them).
  const nodeName = nodeNameOf(nodeReg, host.system.hostname());
  out.detail(1, `[kubelet-start] Checking for an existing Node in the cluster with name "${nodeName}" and status "Ready"`);
  if (ctx.options.resuming === true && (await holdsNodeCredentials(ctx, nodeName))) {
    out.info(`[kubelet-start] The Node "${nodeName}" was registered by this machine's earlier join: resuming it`);
  } else {
    await refuseReadyNode(await ctx.bootstrapApi(), nodeName);
  }

  const bootstrapPath = `${kubeconfigDir}/${kubeletKubeconfigNames.bootstrap}`;
  const bootstrap = bootstrapKubeletKubeconfig(ctx, initCfg, discovered.bootstrapKubeconfig);
  out.detail(1, `[kubelet-start] writing bootstrap kubelet config file at ${ctx.writtenTo(bootstrapPath)}`);
  await host.fs.write(bootstrapPath, encodeKubeconfig(bootstrap), { mode: 0o600 });

  const caPath = ctx.cfg.join.caCertPath;
  if ((await host.fs.stat(caPath)) === undefined) {
    out.detail(1, `[kubelet-start] writing CA certificate at ${ctx.writtenTo(caPath)}`);
    await host.fs.write(caPath, discovered.caPem.endsWith('\n') ? discovered.caPem : `${discovered.caPem}\n`, { mode: 0o644 });
  }

  if (ctx.dryRun) {
    out.info('[kubelet-start] Would stop the kubelet');
    await controlService(host, 'kubelet', 'stop');
  } else {
    await tryStopKubelet(host, out);
  }

  const target: KubeletFileTarget = { host, out, writtenTo: ctx.writtenTo };
  const cluster = initCfg.cluster;
  const gate = nodeLocalCRISocket(cluster);
  const file = await writeKubeletConfiguration(target, { cluster, given: initCfg.kubelet, criSocket: nodeReg.criSocket, patches: await ctx.patches() });

  // Workers register their taints through the kubelet; a control plane gets them from mark-control-plane.
  const worker = ctx.cfg.join.controlPlane === undefined;
  const nodeIP = worker ? undefined : await kubeletNodeIP(host, out, nodeReg, ctx.cfg.join.controlPlane!.localAPIEndpoint.advertiseAddress);
  const flags = kubeletFlags({
    cluster, nodeRegistration: nodeReg, hostname: host.system.hostname(), nodeLocalCRISocket: gate, registerTaints: worker,
    ...(nodeIP === undefined ? {} : { nodeIP }),
  });
  await writeKubeletFlagsEnv(target, kubeletFlagsEnv(flags, nodeReg.kubeletExtraArgs));

  if (ctx.dryRun) {
    await controlService(host, 'kubelet', 'restart');
    out.info('[kubelet-start] Would start the kubelet');
    return;
  }
  out.info('[kubelet-start] Starting the kubelet');
  await tryStartKubelet(host, out);
  // With the gate on, kubelet-wait-bootstrap waits later (after etcd-join, so a control plane's kubelet
  // can reach its own API server).
  if (!controlPlaneKubeletLocalMode(cluster)) await waitForBootstrap(ctx, file.document);
}
