// A control-plane node joining the stacked etcd: remove stale members when asked, add this node as a learner
// (or re-use the member an earlier run added), and later promote it to a voting member once it has caught up.
// kubeadm: phases/etcd/local.go (CreateStackedEtcdStaticPodManifestFile), util/etcd/etcd.go (AddMemberAsLearner,
// MemberPromote). Under --dry-run only the member list is read: nothing is added, removed or promoted.
import type { Output } from '../output/output.js';
import type { EtcdMember as ManifestMember } from '../manifests/etcd.js';
import { EtcdError } from './etcd-error.js';
import { hexMemberId, isStarted, type EtcdClient, type EtcdMember } from './etcd-client.js';
import { describeMember, initialCluster, planMember, StaleMemberError, type JoiningMember } from './member-plan.js';
import { retryTransient } from './retry.js';

export interface MemberJoinOptions {
  readonly client: EtcdClient;
  readonly out: Output;
  readonly self: JoiningMember;
  /** --replace-stale-member */
  readonly replaceStale: boolean;
  readonly dryRun: boolean;
  /** timeouts.etcdAPICall: bounds each retried call. */
  readonly etcdTimeoutMs: number;
  /** The member list the caller has just read (clusterEtcd); read here when absent. */
  readonly members?: readonly EtcdMember[];
}

export interface Announced {
  /** This node's member ID (decimal); undefined under --dry-run when it would be added. */
  readonly memberId: string | undefined;
  /** Whether this node's member still has to be promoted. */
  readonly isLearner: boolean;
  /** The manifest's --initial-cluster. */
  readonly initialCluster: ManifestMember[];
}

/** etcd's answers to adding a peer URL it has (the second when the new member's ID, derived from the URL and
 *  the time, collides first). */
export const memberExists = /Peer URLs already exists|member ID already exist/i;

const retryLine = (out: Output) => (err: Error, attempt: number) => out.detail(1, `[etcd] attempt ${attempt}: ${err.message}; retrying`);

/** Adds this node to etcd (as a learner), after dealing with stale members. */
export async function announceMember(o: MemberJoinOptions): Promise<Announced> {
  const { client, out, self } = o;
  const retry = { clock: client.clock, timeoutMs: o.etcdTimeoutMs, onRetry: retryLine(out) };
  let members = o.members !== undefined ? [...o.members] : await retryTransient('reading the etcd member list', () => client.memberList(), retry);
  const plan = planMember(members, self);
  if (plan.stale.length > 0) {
    if (!o.replaceStale) throw new StaleMemberError(plan.stale, self);
    for (const m of plan.stale) {
      if (o.dryRun) {
        out.info(`[dryrun] Would remove the stale etcd member ${describeMember(m)}`);
        members = members.filter((x) => x.id !== m.id);
        continue;
      }
      members = await retryTransient(`removing the stale etcd member ${hexMemberId(m.id)}`, () => client.memberRemove(m.id), retry);
      out.info(`[etcd] Removed the stale etcd member ${describeMember(m)}`);
    }
  }
  if (plan.reuse !== undefined) {
    out.info(`[etcd] Re-using etcd member ${describeMember(plan.reuse)}, added for this node by an earlier run`);
    return { memberId: plan.reuse.id, isLearner: plan.reuse.isLearner, initialCluster: initialCluster(members, self) };
  }
  if (o.dryRun) {
    out.info(`[etcd] Would add etcd member: ${self.peerURL}`);
    const planned: EtcdMember = { id: '0', name: self.name, peerURLs: [self.peerURL], clientURLs: [], isLearner: true };
    return { memberId: undefined, isLearner: true, initialCluster: initialCluster([...members, planned], self) };
  }
  const added = await addLearner(o, retry);
  out.info('[etcd] Announced new etcd member joining to the existing etcd cluster');
  out.detail(1, `[etcd] member ${hexMemberId(added.member.id)} added as a learner; members now: ${added.members.map(describeMember).join('; ')}`);
  return { memberId: added.member.id, isLearner: added.member.isLearner, initialCluster: initialCluster(added.members, self) };
}

/** member add as a learner; when etcd answers that the peer URL exists (another run of this join raced us,
 *  or a retry after an answer was lost), the member list decides: a never-started member with our URL is ours. */
async function addLearner(o: MemberJoinOptions, retry: Parameters<typeof retryTransient>[2]): Promise<{ member: EtcdMember; members: EtcdMember[] }> {
  const { client, self } = o;
  try {
    return await retryTransient(`adding ${self.peerURL} to etcd`, () => client.memberAdd([self.peerURL], { learner: true }), retry);
  } catch (err) {
    if (!(err instanceof EtcdError) || !memberExists.test(err.etcdMessage)) throw err;
    const members = await retryTransient('reading the etcd member list', () => client.memberList(), retry);
    const plan = planMember(members, self);
    if (plan.reuse === undefined || plan.stale.length > 0) throw new StaleMemberError(plan.stale.length > 0 ? plan.stale : members.filter((m) => m.peerURLs.includes(self.peerURL)), self);
    return { member: plan.reuse, members };
  }
}

/**
 * Promotes the member to a voting one, asking again while etcd answers that the learner is not yet in sync
 * with the leader (it is catching up on the log). A member that is already voting is left as it is.
 */
export async function promoteMember(o: Pick<MemberJoinOptions, 'client' | 'out' | 'etcdTimeoutMs'>, memberId: string): Promise<void> {
  const { client, out } = o;
  const retry = { clock: client.clock, timeoutMs: o.etcdTimeoutMs, onRetry: retryLine(out) };
  const members = await retryTransient('reading the etcd member list', () => client.memberList(), retry);
  const member = members.find((m) => m.id === memberId);
  if (member === undefined) {
    throw new EtcdError(client.endpoints[0] ?? 'etcd', 5, `member ${hexMemberId(memberId)} is not in the member list any more`, {
      what: 'promoting this node\'s etcd member',
      fix: 'someone removed it while this node joined; run "tskubeadm reset" on this node and join again',
    });
  }
  if (!member.isLearner) {
    out.detail(1, `[etcd] member ${hexMemberId(memberId)} is already a voting member`);
    return;
  }
  try {
    await retryTransient(`promoting the etcd learner ${hexMemberId(memberId)}${isStarted(member) ? '' : ' (its etcd has not started yet)'}`,
      () => client.memberPromote(memberId), retry);
  } catch (err) {
    // A lost answer to an earlier try that did promote it: etcd now says it is no learner.
    if (err instanceof EtcdError && /can only promote a learner member$/.test(err.etcdMessage)) return;
    throw err;
  }
  out.detail(1, `[etcd] member ${hexMemberId(memberId)} promoted to a voting member`);
}
