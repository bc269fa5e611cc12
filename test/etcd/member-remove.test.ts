// Leaving the stacked etcd at reset: which member is this node's, where the removal goes, a lost answer
// retried, the etcdctl command for a manual removal; and a real two-member etcd on loopback where the second
// node removes itself using only what its manifest says, and the first is then the last member.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { etcdClient, type EtcdClient, type EtcdMember } from '../../src/etcd/etcd-client.js';
import { EtcdError } from '../../src/etcd/etcd-error.js';
import { findLocalMember, manualRemovalCommand, removalEndpoints, removeLocalMember } from '../../src/etcd/member-remove.js';
import { initialCluster } from '../../src/etcd/member-plan.js';
import { retryTransient } from '../../src/etcd/retry.js';
import { realHost } from '../../src/host/real-host.js';
import { writeStaticPodManifest } from '../../src/manifest-files/static-pod-files.js';
import { etcdPeerURL, etcdPod } from '../../src/manifests/etcd.js';
import { noPatches } from '../../src/patches/patch-set.js';
import { readEtcdManifest } from '../../src/phases/reset/etcd-manifest.js';
import { etcdSkipReason, startEtcdFromManifest } from '../helpers/etcd-process.js';
import { fakeHost } from '../helpers/fake-host.js';
import { withTempRoot } from '../helpers/temp-root.js';
import { firstNode, healthcheckPems, joiningNodePki, nodeConfig } from './etcd-nodes.js';

const m = (id: string, name: string, host: string, isLearner = false): EtcdMember =>
  ({ id, name, peerURLs: [`https://${host}:2380`], clientURLs: name === '' ? [] : [`https://${host}:2379`], isLearner });
const a = m('1', 'cp-a', '10.0.0.1');
const b = m('2', 'cp-b', '10.0.0.2');
const c = m('3', 'cp-c', '10.0.0.3');
const selfC = { name: 'cp-c', peerURLs: ['https://10.0.0.3:2380'], clientURLs: ['https://10.0.0.3:2379'] };

test('findLocalMember: the peer URL decides, the name when no member holds it', () => {
  assert.equal(findLocalMember([a, b, c], selfC), c);
  const renamed = { ...c, name: 'old-name' };
  assert.equal(findLocalMember([a, renamed], selfC), renamed, 'same peer URL, another name: still this node\'s');
  const moved = m('4', 'cp-c', '10.9.9.9');
  assert.equal(findLocalMember([a, moved], selfC), moved, 'a node re-addressed since: found by its name');
  assert.equal(findLocalMember([a, b], selfC), undefined);
  assert.equal(findLocalMember([m('5', '', '10.0.0.8', true)], { name: '', peerURLs: ['https://10.0.0.9:2380'] }), undefined, 'an empty name matches nothing');
});

test('removalEndpoints: the other started voting members first, this node\'s last, no duplicates', () => {
  const learner = m('6', 'cp-d', '10.0.0.4', true);
  assert.deepEqual(removalEndpoints([c, a, learner, b], c, selfC, ['https://10.0.0.3:2379', 'https://10.0.0.1:2379/']),
    ['https://10.0.0.1:2379', 'https://10.0.0.2:2379', 'https://10.0.0.3:2379']);
});

/** A scripted client: `remove` answers are consumed in order (an Error is thrown, 'ok' removes). */
function scripted(members: EtcdMember[], removeAnswers: (Error | 'ok')[]) {
  const host = fakeHost();
  const calls: string[] = [];
  const client: EtcdClient = {
    endpoints: ['https://10.0.0.3:2379'], clock: host.clock,
    memberList: async () => [...members],
    memberAdd: () => Promise.reject(new Error('unused')),
    memberPromote: () => Promise.reject(new Error('unused')),
    async memberRemove(id) {
      calls.push(`remove ${id}`);
      const answer = removeAnswers.shift() ?? 'ok';
      if (answer !== 'ok') throw answer;
      members = members.filter((x) => x.id !== id);
      return [...members];
    },
    status: () => Promise.reject(new Error('unused')),
    endpointHealth: async (endpoint) => ({ endpoint, healthy: true }),
    withEndpoints: (eps) => {
      calls.push(`endpoints ${eps.join(',')}`);
      return client;
    },
  };
  return { client, calls };
}

const notFound = new EtcdError('https://10.0.0.1:2379', 5, 'etcdserver: member not found');

test('removeLocalMember: removed through the others; last member and absent member left alone; dry run only reads', async () => {
  const s = scripted([a, b, c], [new EtcdError('https://10.0.0.1:2379', 14, 'etcdserver: unhealthy cluster')]);
  const removed = await removeLocalMember({ client: s.client, self: selfC, dryRun: false, etcdTimeoutMs: 60_000 });
  assert.equal(removed.outcome, 'removed');
  assert.deepEqual(removed.outcome === 'removed' && removed.members, [a, b]);
  assert.deepEqual(s.calls, ['endpoints https://10.0.0.1:2379,https://10.0.0.2:2379,https://10.0.0.3:2379', 'remove 3', 'remove 3'], 'a transient refusal is retried');

  const last = scripted([c], []);
  assert.deepEqual(await removeLocalMember({ client: last.client, self: selfC, dryRun: false, etcdTimeoutMs: 60_000 }), { outcome: 'last-member', member: c });
  assert.deepEqual(last.calls, []);

  const gone = scripted([a, b], []);
  assert.deepEqual(await removeLocalMember({ client: gone.client, self: selfC, dryRun: false, etcdTimeoutMs: 60_000 }), { outcome: 'absent', members: [a, b] });

  const dry = scripted([a, b, c], []);
  assert.deepEqual((await removeLocalMember({ client: dry.client, self: selfC, dryRun: true, etcdTimeoutMs: 60_000 })).outcome, 'would-remove');
  assert.deepEqual(dry.calls, []);
});

test('removeLocalMember: "member not found" after a lost answer means the earlier try removed it; on the first try, someone else did', async () => {
  const lost = scripted([a, b, c], [new EtcdError('https://10.0.0.1:2379', 4, 'etcdserver: request timed out'), notFound]);
  assert.equal((await removeLocalMember({ client: lost.client, self: selfC, dryRun: false, etcdTimeoutMs: 60_000 })).outcome, 'removed');
  const raced = scripted([a, b, c], [notFound]);
  assert.equal((await removeLocalMember({ client: raced.client, self: selfC, dryRun: false, etcdTimeoutMs: 60_000 })).outcome, 'absent');
  const refused = scripted([a, b, c], [new EtcdError('https://10.0.0.1:2379', 9, 'etcdserver: re-configuration failed due to not enough started members')]);
  await assert.rejects(removeLocalMember({ client: refused.client, self: selfC, dryRun: false, etcdTimeoutMs: 60_000 }), /not enough started members/);
});

test('manualRemovalCommand: the etcdctl line to run on another node, with the ID in hex or a way to find it', () => {
  const base = 'etcdctl --endpoints=https://10.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key';
  assert.equal(manualRemovalCommand({ endpoints: ['https://10.0.0.1:2379'], certificatesDir: '/etc/kubernetes/pki', memberId: '255', name: 'cp-c' }),
    `on another control-plane node: ${base} member remove ff`);
  assert.equal(manualRemovalCommand({ endpoints: ['https://10.0.0.1:2379'], certificatesDir: '/etc/kubernetes/pki', name: 'cp-c' }),
    `on another control-plane node, find the ID of the member named "cp-c" with: ${base} member list; then: ${base} member remove <ID>`);
});

const skip = etcdSkipReason();

test('a real two-member etcd: the second node leaves using only its manifest, its etcd stops; the first is then the last member', { skip, timeout: 180_000 }, (t) =>
  withTempRoot((rootA) => withTempRoot(async (rootB) => {
    const cfgA = nodeConfig('etcd-a', '127.0.0.21');
    const first = await firstNode(t, rootA, cfgA);
    const host = realHost();
    const pemsA = await healthcheckPems(rootA);
    const toA = etcdClient(host, { endpoints: [first.etcd.clientURL], ...pemsA, timeoutMs: 2000, clock: host.clock });
    const cfgB = nodeConfig('etcd-b', '127.0.0.22');
    const peerB = etcdPeerURL(cfgB.init.localAPIEndpoint);
    const added = await toA.memberAdd([peerB], { learner: true });
    const hostB = await joiningNodePki(rootA, rootB, cfgB);
    await writeStaticPodManifest(hostB, noPatches, 'etcd', etcdPod({
      cluster: cfgB.cluster, endpoint: cfgB.init.localAPIEndpoint, nodeName: 'etcd-b', hostEnv: {},
      controlPlaneComponentHealthCheckMs: cfgB.init.timeouts.controlPlaneComponentHealthCheckMs,
      initialCluster: initialCluster(added.members, { name: 'etcd-b', peerURL: peerB }),
    }));
    const etcdB = await startEtcdFromManifest(rootB, { t, waitFor: 'none' });
    await retryTransient('promoting', () => toA.memberPromote(added.member.id), { clock: host.clock, timeoutMs: 60_000 });

    // Node B, as reset sees it: its manifest (no API), its own healthcheck-client certificate.
    const read = await readEtcdManifest(hostB, '/etc/kubernetes');
    assert.equal(read.kind, 'found');
    if (read.kind !== 'found') return;
    assert.deepEqual(read.manifest.peerClientURLs, ['https://127.0.0.21:2379'], 'the other member, from --initial-cluster');
    assert.equal(read.manifest.dataDir, '/var/lib/etcd');
    const fromB = etcdClient(host, {
      endpoints: [...read.manifest.peerClientURLs, ...read.manifest.clientURLs], ...(await healthcheckPems(rootB)), timeoutMs: 2000, clock: host.clock,
    });
    const self = { name: read.manifest.name, peerURLs: read.manifest.peerURLs, clientURLs: read.manifest.clientURLs };
    const result = await removeLocalMember({ client: fromB, self, dryRun: false, etcdTimeoutMs: 60_000, onRetry: (err, n) => { if (n === 1) t.diagnostic(`remove refused at first: ${err.message}`); } });
    assert.equal(result.outcome, 'removed', etcdB.log());
    assert.deepEqual((await toA.memberList()).map((x) => x.name), ['etcd-a']);
    // A removed member's etcd stops on its own.
    const code = await Promise.race([etcdB.exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 15_000))]);
    assert.notEqual(code, 'running', `etcd-b still runs after its removal:\n${etcdB.log().slice(-2000)}`);

    const again = await removeLocalMember({ client: fromB, self, dryRun: false, etcdTimeoutMs: 5_000 });
    assert.equal(again.outcome, 'absent', 'a second reset finds nothing to remove');
    const selfA = { name: 'etcd-a', peerURLs: [etcdPeerURL(cfgA.init.localAPIEndpoint)], clientURLs: [first.etcd.clientURL] };
    assert.equal((await removeLocalMember({ client: toA, self: selfA, dryRun: false, etcdTimeoutMs: 5_000 })).outcome, 'last-member');
    assert.equal((await toA.memberList()).length, 1);
    await first.etcd.stop();
  })));
