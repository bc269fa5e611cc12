// Before a control-plane node adds itself to etcd: which existing members are this node's own earlier attempt
// (re-used, so a join run again after a crash converges) and which are stale (a removed or rebuilt node that
// still holds this node's name or peer URL: etcd would refuse the new member, or two members would share a
// name). Pure: decided from the member list and whether this node's etcd data directory holds a member.
// The rule is explained in docs/decisions/0009-etcd-client.md.
import { TskubeadmError, exitCodes } from '../errors.js';
import type { EtcdMember as ManifestMember } from '../manifests/etcd.js';
import { hexMemberId, isStarted, type EtcdMember } from './etcd-client.js';

export interface JoiningMember {
  /** nodeRegistration.name: the member name. */
  readonly name: string;
  /** https://<advertiseAddress>:2380 */
  readonly peerURL: string;
  /** Whether <dataDir>/member exists: etcd ran here before and has a member's identity on disk. */
  readonly hasLocalData: boolean;
}

export interface MemberPlan {
  /** The member this node is already (added by an earlier run): no new member is added. */
  readonly reuse: EtcdMember | undefined;
  /** Members holding this node's name or peer URL that are not this node's. */
  readonly stale: readonly EtcdMember[];
}

const hasPeerURL = (m: EtcdMember, url: string) => m.peerURLs.includes(url);

/**
 * A member with this node's peer URL that never started is re-used: it has no data and no name, so whoever
 * added it, this node can be it. A started member with this node's name AND peer URL is re-used only when this
 * node's data directory holds a member (etcd ran here: a crash after the etcd Pod started). Any other member
 * with this node's name or peer URL is stale.
 */
export function planMember(members: readonly EtcdMember[], self: JoiningMember): MemberPlan {
  let reuse: EtcdMember | undefined;
  const stale: EtcdMember[] = [];
  for (const m of members) {
    const sameURL = hasPeerURL(m, self.peerURL);
    if (!sameURL && m.name !== self.name) continue;
    const ours = reuse === undefined && sameURL && (!isStarted(m) || (m.name === self.name && self.hasLocalData));
    if (ours) reuse = m;
    else stale.push(m);
  }
  return { reuse, stale };
}

/** One line about a member: `8e9e05c52164694d ("cp-2", https://10.0.0.2:2380, started, voting)`. */
export function describeMember(m: EtcdMember): string {
  const state = isStarted(m) ? 'started' : 'never started';
  return `${hexMemberId(m.id)} (${m.name === '' ? 'no name' : `"${m.name}"`}, ${m.peerURLs.join(' ') || 'no peer URL'}, ${state}, ${m.isLearner ? 'learner' : 'voting'})`;
}

export class StaleMemberError extends TskubeadmError {
  readonly stale: readonly EtcdMember[];
  constructor(stale: readonly EtcdMember[], self: Pick<JoiningMember, 'name' | 'peerURL'>) {
    const first = stale[0];
    super(`etcd already has a member with this node's name "${self.name}" or peer URL ${self.peerURL} that is not this node's: ` +
      `${stale.map(describeMember).join('; ')}`, {
      exitCode: exitCodes.generic,
      fix: 'if that member is an earlier incarnation of this node (removed or rebuilt without "tskubeadm reset"), run the join again with ' +
        `--replace-stale-member to remove it first, or remove it yourself: etcdctl member remove ${first === undefined ? '<hex id>' : hexMemberId(first.id)}; ` +
        'if another node uses this name or address, give this node another one',
    });
    this.stale = stale;
  }
}
StaleMemberError.prototype.name = 'StaleMemberError';

/**
 * The manifest's --initial-cluster as kubeadm builds it: every member etcd lists, in its order (etcd checks
 * that the joining member's list has exactly the cluster's peer URLs), this node under its own name, a member
 * that has not started yet under its hex ID (it has no name, and names must be unique).
 */
export function initialCluster(members: readonly EtcdMember[], self: Pick<JoiningMember, 'name' | 'peerURL'>): ManifestMember[] {
  return members.map((m) => {
    const peerURL = m.peerURLs[0] ?? '';
    if (hasPeerURL(m, self.peerURL)) return { name: self.name, peerURL: self.peerURL };
    return { name: m.name === '' ? hexMemberId(m.id) : m.name, peerURL };
  });
}
