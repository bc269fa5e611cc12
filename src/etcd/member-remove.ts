// A control-plane node leaving the stacked etcd at reset: find this node's member in the member list (by its
// peer URL, else by its name), and remove it through the other members. Nothing is removed when this node's
// member is the only one (there is no cluster to leave: kubeadm skips it too), or when the member is already
// gone (a second reset, a removal by hand). Under --dry-run only the member list is read.
// kubeadm: phases/etcd/local.go RemoveStackedEtcdMemberFromCluster, util/etcd/etcd.go RemoveMember.
import { EtcdError, grpcCodes } from './etcd-error.js';
import { hexMemberId, isStarted, type EtcdClient, type EtcdMember } from './etcd-client.js';
import { retryTransient } from './retry.js';

/** This node's member as its etcd manifest describes it. */
export interface LocalMember {
  /** --name; may be empty. */
  readonly name: string;
  /** --initial-advertise-peer-urls */
  readonly peerURLs: readonly string[];
  /** --advertise-client-urls: asked last, as the removal of a member is better sent to another one. */
  readonly clientURLs: readonly string[];
}

export type MemberRemoval =
  | { readonly outcome: 'removed'; readonly member: EtcdMember; readonly members: readonly EtcdMember[] }
  | { readonly outcome: 'would-remove'; readonly member: EtcdMember; readonly members: readonly EtcdMember[] }
  /** Only this node's member is left: removing it would leave no cluster (etcd refuses it anyway). */
  | { readonly outcome: 'last-member'; readonly member: EtcdMember }
  | { readonly outcome: 'absent'; readonly members: readonly EtcdMember[] };

export interface MemberRemoveOptions {
  readonly client: EtcdClient;
  readonly self: LocalMember;
  readonly dryRun: boolean;
  /** timeouts.etcdAPICall: bounds the retried removal (etcd refuses it for a few seconds after a member joined). */
  readonly etcdTimeoutMs: number;
  /** Bounds the retried member-list read; an etcd that answers nobody should not hold a reset up for long. */
  readonly listTimeoutMs?: number;
  readonly onRetry?: (err: Error, attempt: number) => void;
  /** Told of the member list and this node's member once read (the caller's report needs the ID if the removal fails). */
  readonly onListed?: (members: readonly EtcdMember[], own: EtcdMember | undefined) => void;
}

/** The member that is this node's: one holding its peer URL, else one with its name (a member that has not
 *  started yet has no name, and a node re-addressed since has another peer URL). */
export function findLocalMember(members: readonly EtcdMember[], self: Pick<LocalMember, 'name' | 'peerURLs'>): EtcdMember | undefined {
  return members.find((m) => m.peerURLs.some((u) => self.peerURLs.includes(u)))
    ?? (self.name === '' ? undefined : members.find((m) => m.name === self.name));
}

/** The endpoints to send the removal to: the other started voting members first, then the client's own list,
 *  this node's member last. */
export function removalEndpoints(members: readonly EtcdMember[], own: EtcdMember, self: LocalMember, current: readonly string[]): string[] {
  const mine = new Set([...own.clientURLs, ...self.clientURLs]);
  const others = members.filter((m) => m.id !== own.id && isStarted(m) && !m.isLearner).flatMap((m) => m.clientURLs);
  const ordered = [...others, ...current.filter((u) => !mine.has(u)), ...current.filter((u) => mine.has(u)), ...self.clientURLs];
  return [...new Set(ordered.map((u) => u.replace(/\/+$/, '')))];
}

const notFound = (err: unknown): boolean =>
  err instanceof EtcdError && (err.code === grpcCodes.notFound || /member not found/i.test(err.etcdMessage));

/** Removes this node's member from the etcd cluster (see the file comment for when it does not). Throws what
 *  etcd or the network answered when the list cannot be read or the removal fails for good. */
export async function removeLocalMember(o: MemberRemoveOptions): Promise<MemberRemoval> {
  const { client, self } = o;
  const retry = { clock: client.clock, ...(o.onRetry === undefined ? {} : { onRetry: o.onRetry }) };
  const members = await retryTransient('reading the etcd member list', () => client.memberList(), { ...retry, timeoutMs: o.listTimeoutMs ?? o.etcdTimeoutMs });
  const own = findLocalMember(members, self);
  o.onListed?.(members, own);
  if (own === undefined) return { outcome: 'absent', members };
  if (members.every((m) => m.id === own.id)) return { outcome: 'last-member', member: own };
  if (o.dryRun) return { outcome: 'would-remove', member: own, members };

  const via = client.withEndpoints(removalEndpoints(members, own, self, client.endpoints));
  let attempts = 0;
  try {
    const after = await retryTransient(`removing the etcd member ${hexMemberId(own.id)}`, () => {
      attempts++;
      return via.memberRemove(own.id);
    }, { ...retry, timeoutMs: o.etcdTimeoutMs });
    return { outcome: 'removed', member: own, members: after };
  } catch (err) {
    if (!notFound(err)) throw err;
    // Gone between the list and the removal. After an earlier try whose answer was lost, that try removed it.
    const now = await via.memberList().catch(() => members.filter((m) => m.id !== own.id));
    return attempts > 1 ? { outcome: 'removed', member: own, members: now } : { outcome: 'absent', members: now };
  }
}

export interface ManualRemoval {
  /** Client URLs of the other members (where the command can be run from). */
  readonly endpoints: readonly string[];
  readonly certificatesDir: string;
  /** The member's ID (decimal) when known. */
  readonly memberId?: string;
  readonly name: string;
}

/** The etcdctl command that removes the member by hand, from another control-plane node (this node's
 *  certificates are gone after reset; the others keep theirs at the same paths). */
export function manualRemovalCommand(m: ManualRemoval): string {
  const base = `etcdctl --endpoints=${m.endpoints.join(',') || 'https://<another member>:2379'} ` +
    `--cacert=${m.certificatesDir}/etcd/ca.crt --cert=${m.certificatesDir}/etcd/healthcheck-client.crt --key=${m.certificatesDir}/etcd/healthcheck-client.key`;
  if (m.memberId !== undefined) return `on another control-plane node: ${base} member remove ${hexMemberId(m.memberId)}`;
  return `on another control-plane node, find the ID of the member named "${m.name}" with: ${base} member list; then: ${base} member remove <ID>`;
}
