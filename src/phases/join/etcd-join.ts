// join's etcd-join phase (ControlPlaneKubeletLocalMode on, the default) and the work it shares with
// control-plane-join/etcd (the gate off): add this node to the stacked etcd as a learner, write its etcd
// manifest joining the existing cluster, promote it, and wait until every member is healthy.
// kubeadm: cmd/phases/join/controlplanejoin.go (runEtcdPhase, NewEtcdJoinPhase — hidden there, shown here),
// phases/etcd/local.go (CreateStackedEtcdStaticPodManifestFile).
import path from 'node:path';
import { clusterEtcd } from '../../etcd/cluster-etcd.js';
import { ensureEtcdDataDir } from '../../etcd/data-dir.js';
import { memberClientURLs } from '../../etcd/etcd-client.js';
import type { JoiningMember } from '../../etcd/member-plan.js';
import type { InitConfig } from '../../config/types.js';
import { joinHealthChecks, waitClusterHealthy } from '../../etcd/cluster-health.js';
import { announceMember, promoteMember } from '../../etcd/member-join.js';
import { retryTransient } from '../../etcd/retry.js';
import { writeStaticPodManifest } from '../../manifest-files/static-pod-files.js';
import { etcdClientURL, etcdPeerURL, etcdPod } from '../../manifests/etcd.js';
import { formatGoDuration } from '../../config/duration.js';
import type { Phase } from '../../workflow/phase.js';
import type { JoinContext } from './context.js';
import { controlPlaneKubeletLocalMode } from './kubelet-start.js';

/** This node as an etcd member: its name, its peer URL, and whether its data directory already holds a member. */
export async function joiningMember(ctx: JoinContext, initCfg: InitConfig): Promise<JoiningMember> {
  const dataDir = initCfg.cluster.etcd.local?.dataDir;
  const hasLocalData = dataDir !== undefined && (await ctx.host.fs.stat(path.posix.join(dataDir, 'member')))?.kind === 'directory';
  return { name: initCfg.init.nodeRegistration.name, peerURL: etcdPeerURL(initCfg.init.localAPIEndpoint), hasLocalData };
}

/**
 * The stacked-etcd join of a control-plane node. A worker join does nothing here, external etcd prints
 * kubeadm's line. Under --dry-run the member list is read, nothing is added or promoted, and the manifest
 * goes where the dry-run host puts writes.
 */
export async function joinStackedEtcd(ctx: JoinContext): Promise<void> {
  const cp = ctx.cfg.join.controlPlane;
  if (cp === undefined) return;
  const initCfg = await ctx.cluster();
  const { cluster, init } = initCfg;
  if (cluster.etcd.local === undefined) {
    ctx.out.info('[control-plane-join] Using external etcd - no local stacked instance added');
    return;
  }
  const dataDir = cluster.etcd.local.dataDir;
  await ensureEtcdDataDir(ctx, dataDir, { prefix: '[control-plane-join]', rerun: 'the join' });
  const endpoint = init.localAPIEndpoint;
  const nodeName = init.nodeRegistration.name;
  const etcdTimeoutMs = init.timeouts.etcdAPICallMs;
  const { client, members } = await clusterEtcd({
    host: ctx.host, api: await ctx.adminApi(), certificatesDir: cluster.certificatesDir,
    apiTimeoutMs: init.timeouts.kubernetesAPICallMs, etcdTimeoutMs,
  });
  const announced = await announceMember({
    client, members, out: ctx.out, self: await joiningMember(ctx, initCfg),
    replaceStale: ctx.options.replaceStaleMember, dryRun: ctx.dryRun, etcdTimeoutMs,
  });

  ctx.out.info('[etcd] Creating static Pod manifest for "etcd"');
  const pod = etcdPod({
    cluster, endpoint, nodeName, hostEnv: ctx.host.env,
    controlPlaneComponentHealthCheckMs: init.timeouts.controlPlaneComponentHealthCheckMs,
    initialCluster: announced.initialCluster,
  });
  await writeStaticPodManifest(ctx.host, await ctx.patches(), 'etcd', pod);

  if (ctx.dryRun || announced.memberId === undefined) {
    ctx.out.info('[etcd] Would wait for the new etcd member to join the cluster');
    return;
  }
  if (announced.isLearner) await promoteMember({ client, out: ctx.out, etcdTimeoutMs }, announced.memberId);
  const { attempts, intervalMs } = joinHealthChecks;
  ctx.out.info(`[etcd] Waiting for the new etcd member to join the cluster. This can take up to ${formatGoDuration(attempts * intervalMs)}`);
  // The members as they are now (a stale one removed above is no longer asked), this node included.
  const ownURL = etcdClientURL(endpoint);
  const listed = await retryTransient('reading the etcd member list', () => client.memberList(), { clock: client.clock, timeoutMs: etcdTimeoutMs });
  const now = memberClientURLs(listed, client.endpoints);
  const all = client.withEndpoints(now.includes(ownURL) ? now : [...now, ownURL]);
  await waitClusterHealthy(all, {
    attempts, intervalMs,
    onRetry: (unhealthy, n) => ctx.out.detail(1, `[etcd] check ${n}/${attempts}: not healthy yet: ${unhealthy.map((h) => `${h.endpoint} (${h.reason ?? ''})`).join(', ')}`),
  });
}

/** Shared by etcd-join and control-plane-join/etcd. */
export const etcdJoinFlags: readonly string[] = ['config', 'control-plane', 'node-name', 'patches', 'apiserver-advertise-address', 'replace-stale-member', 'dry-run'];

export const etcdJoin: Phase<JoinContext> = {
  name: 'etcd-join',
  short: 'Join etcd for control plane nodes',
  long: 'For join --control-plane with stacked etcd, when the ControlPlaneKubeletLocalMode feature gate is on (the default): add this ' +
    'node to the etcd cluster as a learner (https://<advertise address>:2380), write its etcd static Pod manifest joining the existing ' +
    'cluster, promote it to a voting member once it has caught up, and wait until every member is healthy. A member left with this ' +
    "node's name or peer URL by an earlier install stops the join, unless --replace-stale-member removes it first. Skipped for workers " +
    'and external etcd; with the gate off, control-plane-join etcd does this.',
  example: '# Add this node to the stacked etcd cluster\ntskubeadm join phase etcd-join --config join.yaml',
  flags: etcdJoinFlags,
  runIf: (ctx) => ctx.cfg.join.controlPlane !== undefined,
  run: async (ctx) => {
    if (!controlPlaneKubeletLocalMode((await ctx.cluster()).cluster)) {
      ctx.out.detail(1, '[etcd-join] ControlPlaneKubeletLocalMode is off: control-plane-join etcd adds the etcd member');
      return;
    }
    await joinStackedEtcd(ctx);
  },
};
