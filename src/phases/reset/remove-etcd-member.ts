// reset's remove-etcd-member phase: a control-plane node with a local (stacked) etcd leaves the etcd cluster,
// then its etcd data directory is emptied. It never stops the reset: a member that cannot be removed is a
// warning, kubeadm's, and a leftover in the report with the etcdctl command that removes it.
// kubeadm: cmd/phases/reset/removeetcdmember.go, phases/etcd/local.go RemoveStackedEtcdMemberFromCluster.
// Unlike kubeadm, a node whose cluster configuration cannot be read still leaves etcd: its etcd manifest names
// the member and the other members' addresses.
import { cleanEtcdDataDir } from '../../cleanup/host-files.js';
import type { ClusterConfiguration } from '../../config/types.js';
import { kubeSystem } from '../../api/objects.js';
import { announcedClientURLs, etcdPodSelector, healthcheckIdentity } from '../../etcd/cluster-etcd.js';
import { etcdClient, etcdRequestTimeoutMs, hexMemberId, type EtcdMember } from '../../etcd/etcd-client.js';
import { manualRemovalCommand, removeLocalMember, type MemberRemoval } from '../../etcd/member-remove.js';
import { etcdDataVolume } from '../../manifests/etcd.js';
import type { Phase } from '../../workflow/phase.js';
import type { ResetContext } from './context.js';
import { readEtcdManifest, type LocalEtcdManifest } from './etcd-manifest.js';

/** How long an etcd that answers nobody is asked for its member list: reset must not hang on a dead cluster (a
 *  dead single-node control plane is the common case). */
const memberListTimeoutMs = 10_000;

const externalLines = ['[reset] No etcd config found. Assuming external etcd', '[reset] Please, manually reset etcd to prevent further issues'];

/** The client URLs to ask: the etcd Pods' annotations when the API answers, then the manifest's. One listing,
 *  not join's poll: at reset a cluster without etcd mirror Pods will not grow them. */
async function endpointsFor(ctx: ResetContext, manifest: LocalEtcdManifest, apiAnswered: boolean): Promise<string[]> {
  const fromManifest = [...manifest.peerClientURLs, ...manifest.clientURLs];
  if (!apiAnswered) return fromManifest;
  try {
    const pods = await (await ctx.api()).list('Pod', kubeSystem, { labelSelector: etcdPodSelector });
    const fromPods = announcedClientURLs(pods);
    if (fromPods.length === 0) ctx.out.detail(1, `[reset] No etcd Pod in ${kubeSystem} announces its client URLs; using the etcd manifest's`);
    return [...new Set([...fromPods, ...fromManifest])];
  } catch (err) {
    ctx.out.detail(1, `[reset] Could not list the etcd Pods (${(err as Error).message}); using the etcd manifest's endpoints`);
    return fromManifest;
  }
}

const describe = (m: EtcdMember, fallbackName: string) => `${m.name || fallbackName || 'unnamed'} (${hexMemberId(m.id)})`;

/** Takes this node's member out of the etcd cluster, reporting what happened; never throws. */
async function leaveEtcdCluster(ctx: ResetContext, manifest: LocalEtcdManifest, cluster: ClusterConfiguration | undefined): Promise<void> {
  const { out, report } = ctx;
  // kubeadm's order: --cert-dir, then the ResetConfiguration's (defaulted, so the cluster's is never reached).
  const certificatesDir = ctx.cfg.reset.certificatesDir;
  const etcdTimeoutMs = ctx.cfg.reset.timeouts.etcdAPICallMs;
  const self = { name: manifest.name, peerURLs: manifest.peerURLs, clientURLs: manifest.clientURLs };
  let endpoints: string[] = [...manifest.peerClientURLs];
  let listed: { members: readonly EtcdMember[]; own: EtcdMember | undefined } | undefined;
  let result: MemberRemoval;
  try {
    const identity = await healthcheckIdentity(ctx.host, certificatesDir);
    endpoints = await endpointsFor(ctx, manifest, cluster !== undefined);
    out.detail(1, `[reset] Asking etcd at ${endpoints.join(', ')} for the member list`);
    const client = etcdClient(ctx.host, { ...identity, endpoints, timeoutMs: etcdRequestTimeoutMs, clock: ctx.host.clock });
    result = await removeLocalMember({
      client, self, dryRun: ctx.dryRun, etcdTimeoutMs, listTimeoutMs: Math.min(memberListTimeoutMs, etcdTimeoutMs),
      onListed: (members, own) => { listed = { members, own }; },
      onRetry: (err, attempt) => out.detail(1, `[reset] etcd attempt ${attempt}: ${err.message}; retrying`),
    });
  } catch (err) {
    const reason = (err as Error).message;
    out.warn(`[reset] Failed to remove etcd member: ${reason}, please manually remove this etcd member using etcdctl`);
    const own = listed?.own;
    const mine = new Set([...manifest.clientURLs, ...(own?.clientURLs ?? [])]);
    const others = listed === undefined ? endpoints : listed.members.filter((m) => m.id !== own?.id).flatMap((m) => m.clientURLs);
    report.left({
      kind: 'etcd-member',
      item: own === undefined ? manifest.name || manifest.peerURLs.join(',') : describe(own, manifest.name),
      reason: `this node's etcd member could not be removed from the etcd cluster: ${reason}`,
      fix: manualRemovalCommand({
        endpoints: others.filter((u) => !mine.has(u)), certificatesDir, name: manifest.name,
        ...(own === undefined ? {} : { memberId: own.id }),
      }),
    });
    return;
  }
  switch (result.outcome) {
    case 'absent':
      out.detail(1, `[reset] This node's etcd member (${manifest.name || manifest.peerURLs.join(',')}) is not in the etcd cluster any more: nothing to remove`);
      return;
    case 'last-member':
      out.info(`[reset] This node's etcd member ${describe(result.member, manifest.name)} is the last one: there is no etcd cluster to leave, and its data goes with the data directory`);
      return;
    case 'would-remove':
      out.info('[dryrun] Would remove the etcd member on this node from the etcd cluster');
      out.detail(1, `[dryrun] The etcd member: ${describe(result.member, manifest.name)}; ${result.members.length - 1} member(s) would remain`);
      report.did('etcd-member-removed', describe(result.member, manifest.name));
      return;
    case 'removed':
      out.detail(1, `[reset] Removed the etcd member ${describe(result.member, manifest.name)}; members now: ${result.members.map((m) => describe(m, '')).join(', ')}`);
      report.did('etcd-member-removed', describe(result.member, manifest.name));
      return;
  }
}

export const removeEtcdMember: Phase<ResetContext> = {
  name: 'remove-etcd-member',
  short: 'Remove a local etcd member.',
  long: 'Remove this control-plane node\'s member from the stacked etcd cluster, through the other members, and empty the etcd data ' +
    'directory. Runs only when the node has an etcd static Pod manifest; the data directory comes from the cluster\'s configuration ' +
    '(kubeadm-config), or from the manifest when the cluster cannot be reached. The last member of a cluster is not removed. A member ' +
    'that cannot be removed does not stop the reset: the report names it with the etcdctl command that removes it.',
  example: '# Leave the etcd cluster, showing what would be done\ntskubeadm reset phase remove-etcd-member --dry-run',
  flags: ['kubeconfig', 'cert-dir', 'dry-run'],
  run: async (ctx) => {
    const read = await readEtcdManifest(ctx.host, ctx.options.kubeconfigDir);
    if (read.kind === 'absent') {
      const local = (await ctx.cluster())?.etcd.local;
      if (local === undefined) {
        ctx.out.detail(1, `[reset] No etcd manifest at ${read.path}: no local etcd member to remove`);
        return;
      }
      // The cluster runs stacked etcd, and the manifest that would name this node's member is gone (cleanup-node
      // ran first, or it was removed by hand): the member cannot be found from here, but must not be forgotten.
      ctx.out.warn(`[reset] No etcd manifest at ${read.path}: if this node was an etcd member, it is still in the etcd cluster`);
      ctx.report.left({
        kind: 'etcd-member', item: ctx.host.system.hostname().toLowerCase(),
        reason: `the etcd manifest that names this node's member is gone (${read.path}), so the member could not be removed`,
        fix: manualRemovalCommand({ endpoints: [], certificatesDir: ctx.cfg.reset.certificatesDir, name: ctx.host.system.hostname().toLowerCase() }),
      });
      await cleanEtcdDataDir(ctx, local.dataDir);
      return;
    }
    const cluster = await ctx.cluster();
    if (cluster !== undefined && cluster.etcd.local === undefined) {
      for (const line of externalLines) ctx.out.info(line);
      return;
    }
    let dataDir = cluster?.etcd.local?.dataDir;
    if (dataDir === undefined) {
      ctx.out.warn('[reset] No kubeadm config, using etcd pod spec to get data directory');
      dataDir = read.kind === 'found' ? read.manifest.dataDir : undefined;
      if (dataDir === undefined) {
        ctx.out.detail(1, `[reset] ${read.kind === 'invalid' ? read.reason : `${read.manifest.path} has no ${etcdDataVolume} hostPath volume`}`);
        for (const line of externalLines) ctx.out.info(line);
        return;
      }
    }
    if (read.kind === 'found') {
      await leaveEtcdCluster(ctx, read.manifest, cluster);
    } else {
      ctx.out.warn(`[reset] Failed to remove etcd member: ${read.reason}, please manually remove this etcd member using etcdctl`);
      ctx.report.left({
        kind: 'etcd-member', item: read.path,
        reason: `${read.reason}: this node's etcd member cannot be identified`,
        fix: 'on another control-plane node, find this node\'s member with "etcdctl member list" and remove it with "etcdctl member remove <ID>"',
      });
    }
    await cleanEtcdDataDir(ctx, dataDir);
  },
};
