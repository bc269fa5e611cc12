// The etcd client against Debian's real etcd (3.4) on loopback: the JSON gateway's member list, a learner
// added, a second etcd started from a manifest generated for it, the learner promoted, health, removal, and
// etcd's refusals surfaced with their messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { realHost } from '../../src/host/real-host.js';
import { etcdClient, hexMemberId, isStarted, type EtcdMember } from '../../src/etcd/etcd-client.js';
import { EtcdError } from '../../src/etcd/etcd-error.js';
import { initialCluster } from '../../src/etcd/member-plan.js';
import { retryTransient } from '../../src/etcd/retry.js';
import { writeStaticPodManifest } from '../../src/manifest-files/static-pod-files.js';
import { etcdPeerURL, etcdPod } from '../../src/manifests/etcd.js';
import { noPatches } from '../../src/patches/patch-set.js';
import { etcdctl, etcdSkipReason, pkiTls, startEtcdFromManifest } from '../helpers/etcd-process.js';
import { withTempRoot } from '../helpers/temp-root.js';
import { firstNode, healthcheckPems, joiningNodePki, nodeConfig } from './etcd-nodes.js';

const skip = etcdSkipReason();
/** etcd 3.4 says either, depending on whether the new ID collides first. */
const memberExists = /Peer URLs already exists|member ID already exist/;

test('member list, learner add, promote, health and remove over the JSON gateway of a real etcd', { skip, timeout: 180_000 }, (t) =>
  withTempRoot((rootA) => withTempRoot(async (rootB) => {
    const cfgA = nodeConfig('etcd-a', '127.0.0.11');
    const a = await firstNode(t, rootA, cfgA);
    const host = realHost();
    // A refused endpoint first: the client moves on to the next.
    const client = etcdClient(host, { endpoints: ['https://127.0.0.1:1', a.etcd.clientURL], ...(await healthcheckPems(rootA)), timeoutMs: 2000, clock: host.clock });

    const one = await client.memberList();
    assert.equal(one.length, 1);
    assert.equal(one[0]!.name, 'etcd-a');
    assert.deepEqual(one[0]!.peerURLs, ['https://127.0.0.11:2380']);
    assert.deepEqual(one[0]!.clientURLs, ['https://127.0.0.11:2379']);
    assert.equal(one[0]!.isLearner, false);
    assert.match(one[0]!.id, /^[0-9]+$/, 'the ID stays a decimal string');
    // The same member as etcdctl sees it (hex ID).
    const ctl = etcdctl(a.etcd.clientURL, pkiTls(rootA), ['member', 'list']);
    assert.equal(ctl.status, 0, ctl.out);
    assert.ok(ctl.out.startsWith(`${hexMemberId(one[0]!.id)}, started, etcd-a,`), ctl.out);

    const cfgB = nodeConfig('etcd-b', '127.0.0.12');
    const peerB = etcdPeerURL(cfgB.init.localAPIEndpoint);
    const added = await client.memberAdd([peerB], { learner: true });
    assert.equal(added.member.isLearner, true);
    assert.deepEqual(added.member.peerURLs, [peerB]);
    assert.equal(added.members.length, 2);
    const unstarted = added.members.find((m) => m.id === added.member.id)!;
    assert.equal(isStarted(unstarted), false, 'a member that has not started has no name');

    // etcd's refusals come back with etcd's words: a second add of the same peer URL, an unknown member.
    await assert.rejects(client.memberAdd([peerB], { learner: true }), (e: unknown) => e instanceof EtcdError && memberExists.test(e.etcdMessage));
    await assert.rejects(client.memberRemove('1'), (e: unknown) => e instanceof EtcdError && e.code === 5 && /member not found/.test(e.message));
    // Not yet started: promotion is refused as not in sync.
    await assert.rejects(client.memberPromote(added.member.id), (e: unknown) => e instanceof EtcdError && /in sync with leader/.test(e.etcdMessage));

    // The second node's etcd, from a manifest generated for it with the cluster's members.
    const hostB = await joiningNodePki(rootA, rootB, cfgB);
    const pod = etcdPod({
      cluster: cfgB.cluster, endpoint: cfgB.init.localAPIEndpoint, nodeName: 'etcd-b', hostEnv: {},
      controlPlaneComponentHealthCheckMs: cfgB.init.timeouts.controlPlaneComponentHealthCheckMs,
      initialCluster: initialCluster(added.members, { name: 'etcd-b', peerURL: peerB }),
    });
    await writeStaticPodManifest(hostB, noPatches, 'etcd', pod);
    const b = await startEtcdFromManifest(rootB, { t, waitFor: 'none' });
    t.diagnostic(`second etcd: ${b.argv.join(' ')}`);

    const promoted = await retryTransient('promoting', () => client.memberPromote(added.member.id), {
      clock: host.clock, timeoutMs: 60_000, onRetry: (err, n) => { if (n === 1) t.diagnostic(`promote refused at first: ${err.message}`); },
    });
    assert.ok(promoted.every((m) => !m.isLearner), JSON.stringify(promoted));
    const two = await client.memberList();
    assert.deepEqual(two.map((m: EtcdMember) => [m.name, m.isLearner]).sort(), [['etcd-a', false], ['etcd-b', false]], b.log());

    const both = client.withEndpoints(two.flatMap((m) => m.clientURLs));
    for (const ep of both.endpoints) {
      const health = await retryHealth(both, ep);
      assert.deepEqual(health, { endpoint: ep, healthy: true }, b.log());
      const status = await both.status(ep);
      assert.equal(status.version, '3.4.23');
      assert.ok(two.some((m) => m.id === status.leader), 'both members know the leader');
    }

    // etcd refuses removals while a member joined only seconds ago ("unhealthy cluster"): a transient refusal.
    const after = await retryTransient('removing', () => client.memberRemove(added.member.id), {
      clock: host.clock, timeoutMs: 60_000, onRetry: (err, n) => { if (n === 1) t.diagnostic(`remove refused at first: ${err.message}`); },
    });
    assert.deepEqual(after.map((m) => m.name), ['etcd-a']);
    await b.stop();
    await a.etcd.stop();
  })));

/** A member that just joined answers /health once it has applied the log: asked a few times. */
async function retryHealth(client: ReturnType<typeof etcdClient>, ep: string) {
  let last = await client.endpointHealth(ep);
  for (let i = 0; i < 40 && !last.healthy; i++) {
    await new Promise((r) => setTimeout(r, 250));
    last = await client.endpointHealth(ep);
  }
  return last;
}
