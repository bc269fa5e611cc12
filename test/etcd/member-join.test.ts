// Unit tests without etcd: the gateway client over a fake host (error bodies, failover, decimal IDs), the
// retry of transient refusals on a virtual clock, and the member join's stale-member rules and dry-run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { etcdClient, type EtcdClient, type EtcdMember } from '../../src/etcd/etcd-client.js';
import { EtcdError, EtcdUnreachableError } from '../../src/etcd/etcd-error.js';
import { announceMember, promoteMember } from '../../src/etcd/member-join.js';
import { initialCluster, planMember, StaleMemberError } from '../../src/etcd/member-plan.js';
import { TimeoutError } from '../../src/errors.js';
import { captureOutput } from '../../src/output/output.js';
import { fakeHost } from '../helpers/fake-host.js';

const pems = { caPem: 'ca', certPem: 'cert', keyPem: 'key' };
const big = '13875055887746783061'; // above 2^53: a JS number would change it
const list = { header: {}, members: [{ ID: big, name: 'cp-a', peerURLs: ['https://10.0.0.1:2380'], clientURLs: ['https://10.0.0.1:2379'] }] };

test('the gateway client keeps uint64 IDs as strings, fails over past refused endpoints and surfaces etcd refusals', async () => {
  const host = fakeHost({
    http: {
      'POST https://10.0.0.1:2379/v3/cluster/member/list': { status: 200, body: JSON.stringify(list) },
      'POST https://10.0.0.1:2379/v3/cluster/member/remove': { status: 404, body: '{"error":"etcdserver: member not found","message":"etcdserver: member not found","code":5}' },
      'POST https://10.0.0.1:2379/v3/cluster/member/promote': (_url, opts) => {
        assert.equal((opts as { body?: string }).body, JSON.stringify({ ID: big }), 'the ID is sent as the decimal string');
        return { status: 412, body: '{"error":"etcdserver: can only promote a learner member which is in sync with leader","code":9}' };
      },
    },
  });
  const client = etcdClient(host, { endpoints: ['https://10.0.0.9:2379', 'https://10.0.0.1:2379'], ...pems, timeoutMs: 2000, clock: host.clock });
  const members = await client.memberList();
  assert.deepEqual(members, [{ id: big, name: 'cp-a', peerURLs: ['https://10.0.0.1:2380'], clientURLs: ['https://10.0.0.1:2379'], isLearner: false }]);
  await assert.rejects(client.memberRemove('1'), (e: unknown) => e instanceof EtcdError && e.code === 5 && e.message === 'etcd at https://10.0.0.1:2379 answered: etcdserver: member not found');
  await assert.rejects(client.memberPromote(big), (e: unknown) => e instanceof EtcdError && /in sync with leader/.test(e.etcdMessage));
  const none = etcdClient(host, { endpoints: ['https://10.0.0.8:2379', 'https://10.0.0.9:2379'], ...pems, timeoutMs: 2000, clock: host.clock });
  await assert.rejects(none.memberList(), (e: unknown) => e instanceof EtcdUnreachableError && e.failures.length === 2 && /10\.0\.0\.8.*ECONNREFUSED/.test(e.failures[0]!));
  assert.deepEqual(await client.endpointHealth('https://10.0.0.9:2379').then((h) => h.healthy), false);
});

const self = { name: 'cp-b', peerURL: 'https://10.0.0.2:2380', hasLocalData: false };
const m = (id: string, name: string, peer: string, isLearner = false): EtcdMember =>
  ({ id, name, peerURLs: [peer], clientURLs: name === '' ? [] : [peer.replace('2380', '2379')], isLearner });
const a = m('1', 'cp-a', 'https://10.0.0.1:2380');

test('planMember: an unstarted member with our peer URL is ours; a started one is ours only with local data; others are stale', () => {
  assert.deepEqual(planMember([a], self), { reuse: undefined, stale: [] });
  const unstarted = m('2', '', self.peerURL, true);
  assert.deepEqual(planMember([a, unstarted], self), { reuse: unstarted, stale: [] });
  const startedUs = m('3', 'cp-b', self.peerURL, true);
  assert.deepEqual(planMember([a, startedUs], self), { reuse: undefined, stale: [startedUs] }, 'a rebuilt node has no data: stale');
  assert.deepEqual(planMember([a, startedUs], { ...self, hasLocalData: true }), { reuse: startedUs, stale: [] });
  const sameName = m('4', 'cp-b', 'https://10.0.0.99:2380');
  const sameURL = m('5', 'old-node', self.peerURL);
  assert.deepEqual(planMember([a, sameName, sameURL], { ...self, hasLocalData: true }).stale, [sameName, sameURL]);
  // kubeadm's initial cluster: etcd's order, ours under our name, an unstarted other under its hex ID.
  assert.deepEqual(initialCluster([a, m('255', '', 'https://10.0.0.3:2380', true), unstarted], self),
    [{ name: 'cp-a', peerURL: 'https://10.0.0.1:2380' }, { name: 'ff', peerURL: 'https://10.0.0.3:2380' }, { name: 'cp-b', peerURL: self.peerURL }]);
});

/** An in-memory etcd membership; `refusals` answers the next calls of an operation with these errors. */
function fakeEtcd(initial: EtcdMember[], refusals: Partial<Record<'add' | 'promote' | 'remove', string[]>> = {}) {
  const host = fakeHost();
  let members = [...initial];
  const calls: string[] = [];
  const refuse = (op: 'add' | 'promote' | 'remove') => {
    const msg = refusals[op]?.shift();
    if (msg !== undefined) throw new EtcdError('https://10.0.0.1:2379', 9, msg);
  };
  const client: EtcdClient = {
    endpoints: ['https://10.0.0.1:2379'], clock: host.clock,
    memberList: async () => members,
    async memberAdd(peerURLs, { learner }) {
      calls.push(`add ${peerURLs.join(',')} learner=${learner}`);
      refuse('add');
      const member = { id: '77', name: '', peerURLs, clientURLs: [], isLearner: learner };
      members = [...members, member];
      return { member, members };
    },
    async memberPromote(id) {
      calls.push(`promote ${id}`);
      refuse('promote');
      members = members.map((x) => (x.id === id ? { ...x, isLearner: false } : x));
      return members;
    },
    async memberRemove(id) {
      calls.push(`remove ${id}`);
      refuse('remove');
      members = members.filter((x) => x.id !== id);
      return members;
    },
    status: () => Promise.reject(new Error('unused')),
    endpointHealth: async (endpoint) => ({ endpoint, healthy: true }),
    withEndpoints: () => client,
  };
  return { host, client, calls, members: () => members };
}

test('announceMember adds a learner and builds the initial cluster; promote retries while the learner catches up', async () => {
  const etcd = fakeEtcd([a], { promote: ['etcdserver: can only promote a learner member which is in sync with leader', 'etcdserver: unhealthy cluster'] });
  const out = captureOutput();
  const announced = await announceMember({ client: etcd.client, out, self, replaceStale: false, dryRun: false, etcdTimeoutMs: 120_000 });
  assert.deepEqual(announced, { memberId: '77', isLearner: true, initialCluster: [{ name: 'cp-a', peerURL: 'https://10.0.0.1:2380' }, { name: 'cp-b', peerURL: self.peerURL }] });
  assert.equal(out.stdout(), '[etcd] Announced new etcd member joining to the existing etcd cluster\n');
  const before = etcd.host.clock.now().getTime();
  await promoteMember({ client: etcd.client, out, etcdTimeoutMs: 120_000 }, '77');
  assert.deepEqual(etcd.calls, ['add https://10.0.0.2:2380 learner=true', 'promote 77', 'promote 77', 'promote 77']);
  assert.equal(etcd.host.clock.now().getTime() - before, 1000, 'two pauses of 500 ms on the host clock');
});

test('a promotion refused past timeouts.etcdAPICall ends in a TimeoutError naming etcd\'s answer', async () => {
  const refusals = Array.from({ length: 100 }, () => 'etcdserver: can only promote a learner member which is in sync with leader');
  const etcd = fakeEtcd([a, m('77', 'cp-b', self.peerURL, true)], { promote: refusals });
  await assert.rejects(promoteMember({ client: etcd.client, out: captureOutput(), etcdTimeoutMs: 5_000 }, '77'),
    (e: unknown) => e instanceof TimeoutError && /promoting the etcd learner 4d: etcd still refused after 5s .*in sync with leader/.test(e.message));
});

test('a stale member stops the join with its ID and the fix; --replace-stale-member removes it first; dry-run sends nothing', async () => {
  const stale = m('3054', 'cp-b', self.peerURL);
  const etcd = fakeEtcd([a, stale]);
  await assert.rejects(announceMember({ client: etcd.client, out: captureOutput(), self, replaceStale: false, dryRun: false, etcdTimeoutMs: 1000 }),
    (e: unknown) => e instanceof StaleMemberError && /bee \("cp-b", https:\/\/10\.0\.0\.2:2380, started, voting\)/.test(e.message) &&
      /--replace-stale-member/.test(e.fix ?? '') && /etcdctl member remove bee/.test(e.fix ?? ''));
  assert.deepEqual(etcd.calls, [], 'nothing sent');

  const dry = captureOutput();
  const planned = await announceMember({ client: etcd.client, out: dry, self, replaceStale: true, dryRun: true, etcdTimeoutMs: 1000 });
  assert.deepEqual(etcd.calls, [], 'dry-run sends no remove and no add');
  assert.equal(dry.stdout(), '[dryrun] Would remove the stale etcd member bee ("cp-b", https://10.0.0.2:2380, started, voting)\n' +
    '[etcd] Would add etcd member: https://10.0.0.2:2380\n');
  assert.equal(planned.memberId, undefined);
  assert.deepEqual(planned.initialCluster.map((x) => x.name), ['cp-a', 'cp-b']);

  const out = captureOutput();
  await announceMember({ client: etcd.client, out, self, replaceStale: true, dryRun: false, etcdTimeoutMs: 1000 });
  assert.deepEqual(etcd.calls, ['remove 3054', 'add https://10.0.0.2:2380 learner=true']);
  assert.match(out.stdout(), /^\[etcd\] Removed the stale etcd member bee /);
});

test('a re-run after a crash re-uses the unstarted learner its first run added', async () => {
  const etcd = fakeEtcd([a, m('77', '', self.peerURL, true)]);
  const out = captureOutput();
  const announced = await announceMember({ client: etcd.client, out, self, replaceStale: false, dryRun: false, etcdTimeoutMs: 1000 });
  assert.deepEqual(etcd.calls, []);
  assert.equal(announced.memberId, '77');
  assert.match(out.stdout(), /Re-using etcd member 4d \(no name, https:\/\/10\.0\.0\.2:2380, never started, learner\)/);
});
