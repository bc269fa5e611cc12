// join's check-etcd on a fake host: the etcd members found from the etcd Pods, their v3 gateway and /health
// answered by the host's fake HTTP, on virtual time. An unhealthy member fails the join after the checks; a
// stale member (this node's name or peer URL) fails it at once, or, with --replace-stale-member, is not asked.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { InitConfig } from '../../../src/config/types.js';
import { EtcdUnhealthyError } from '../../../src/etcd/cluster-health.js';
import { StaleMemberError } from '../../../src/etcd/member-plan.js';
import { captureOutput } from '../../../src/output/output.js';
import { checkEtcd, checkEtcdIntervalMs } from '../../../src/phases/join/check-etcd.js';
import { fakeHost, type FakeHttp } from '../../helpers/fake-host.js';
import { joinContext } from '../../helpers/join-context.js';
import { joinConfig } from '../../preflight/healthy-host.js';
import { etcdPodsApi, nodeConfig } from '../../etcd/etcd-nodes.js';
import { failure } from './control-plane-fixture.js';

const a = 'https://127.0.0.11:2379';
const self = nodeConfig('cp-b', '127.0.0.12');
const memberA = { ID: '11', name: 'cp-a', peerURLs: ['https://127.0.0.11:2380'], clientURLs: [a] };
/** An earlier cp-b (rebuilt without reset): this node's name and peer URL, started. */
const staleB = { ID: '12', name: 'cp-b', peerURLs: ['https://127.0.0.12:2380'], clientURLs: ['https://127.0.0.12:2379'] };
const healthy = { status: 200, body: '{"health":"true","reason":""}' };
const noLeader = { status: 503, body: '{"health":"false","reason":"RAFT NO LEADER"}' };
const pem = '-----BEGIN X-----\nstand-in\n-----END X-----\n';

/** cp-b joining: the etcd identity on disk, `members` listed by every endpoint, `health` per client URL. */
function node(members: readonly object[], health: Record<string, FakeHttp>, o: { cluster?: InitConfig; replaceStaleMember?: boolean } = {}) {
  const list = { status: 200, body: JSON.stringify({ header: {}, members }) };
  const http: Record<string, FakeHttp> = {};
  for (const m of members as { clientURLs: string[] }[]) for (const url of m.clientURLs) http[`POST ${url}/v3/cluster/member/list`] = list;
  for (const [url, h] of Object.entries(health)) http[`${url}/health`] = h;
  const host = fakeHost({
    files: { '/etc/kubernetes/pki/etcd/ca.crt': pem, '/etc/kubernetes/pki/etcd/healthcheck-client.crt': pem, '/etc/kubernetes/pki/etcd/healthcheck-client.key': pem },
    http,
  });
  const out = captureOutput();
  const cfg = joinConfig((c) => ({ ...c, join: { ...c.join, controlPlane: { localAPIEndpoint: self.init.localAPIEndpoint, certificateKey: '' } } }));
  const ctx = joinContext({
    cfg, host, out, cluster: o.cluster ?? self, adminApi: etcdPodsApi([a]), options: { replaceStaleMember: o.replaceStaleMember ?? false },
  });
  return { ctx, out, host };
}

/** A /health answer that counts the checks. */
function counted(answer: (n: number) => { status: number; body: string }): { http: FakeHttp; calls: () => number } {
  let n = 0;
  return { http: () => answer(++n), calls: () => n };
}

describe('join check-etcd', () => {
  it('asks every started voting member for /health and passes when all answer healthy', async () => {
    const h = counted(() => healthy);
    const { ctx, out } = node([memberA], { [a]: h.http });
    await checkEtcd.run!(ctx);
    assert.equal(out.stdout(), '[check-etcd] Checking that the etcd cluster is healthy\n');
    assert.equal(h.calls(), 1);
  });

  it('checks an unhealthy member again every 5 s up to timeouts.etcdAPICall, then names its endpoint', async () => {
    const h = counted(() => noLeader);
    const { ctx, out, host } = node([memberA], { [a]: h.http });
    const start = host.clock.now().getTime();
    const err = await failure(checkEtcd.run!(ctx));
    assert.ok(err instanceof EtcdUnhealthyError, String(err));
    const attempts = self.init.timeouts.etcdAPICallMs / checkEtcdIntervalMs;
    assert.equal(h.calls(), attempts);
    assert.equal(host.clock.now().getTime() - start, (attempts - 1) * checkEtcdIntervalMs, 'virtual time');
    assert.deepEqual(err.unhealthy.map((u) => u.endpoint), [a]);
    assert.match(err.message, new RegExp(`not healthy after ${attempts} checks: ${a} \\(RAFT NO LEADER\\)`));
    assert.match(err.fix ?? '', /etcdctl --endpoints=https:\/\/127\.0\.0\.11:2379/);
    assert.match(out.stderr(), /\[check-etcd\] etcd is not healthy yet: https:\/\/127\.0\.0\.11:2379 \(RAFT NO LEADER\)/);
  });

  it('a member that recovers within the checks lets the join go on', async () => {
    const h = counted((n) => (n < 3 ? noLeader : healthy));
    const { ctx } = node([memberA], { [a]: h.http });
    await checkEtcd.run!(ctx);
    assert.equal(h.calls(), 3);
  });

  it('a stale member with this node\'s name and peer URL stops the join at once, before any health check', async () => {
    const h = counted(() => healthy);
    const stale = counted(() => noLeader);
    const { ctx, host } = node([memberA, staleB], { [a]: h.http, [staleB.clientURLs[0]!]: stale.http });
    const start = host.clock.now().getTime();
    const err = await failure(checkEtcd.run!(ctx));
    assert.ok(err instanceof StaleMemberError, String(err));
    assert.deepEqual(err.stale.map((m) => m.id), ['12']);
    assert.match(err.fix ?? '', /--replace-stale-member/);
    assert.match(err.fix ?? '', /etcdctl member remove c\b/, 'the hex ID of member 12');
    assert.equal(h.calls() + stale.calls(), 0, 'no health check');
    assert.equal(host.clock.now().getTime(), start, 'no waiting');
  });

  it('with --replace-stale-member the stale member is left out of the check (etcd-join removes it)', async () => {
    const h = counted(() => healthy);
    const stale = counted(() => noLeader);
    const { ctx, out } = node([memberA, staleB], { [a]: h.http, [staleB.clientURLs[0]!]: stale.http }, { replaceStaleMember: true });
    await checkEtcd.run!(ctx);
    assert.equal(stale.calls(), 0, 'the stale member\'s endpoint is not checked');
    assert.equal(h.calls(), 1);
    assert.match(out.stdout(), /\[check-etcd\] Not checking the stale etcd member c \("cp-b", https:\/\/127\.0\.0\.12:2380, started, voting\): etcd-join removes it/);
  });

  it('external etcd: kubeadm\'s skip line, nothing asked', async () => {
    const external: InitConfig = {
      ...self,
      cluster: { ...self.cluster, etcd: { external: { endpoints: ['https://10.0.0.20:2379'], caFile: '', certFile: '', keyFile: '' } } },
    };
    const { ctx, out } = node([], {}, { cluster: external });
    await checkEtcd.run!({ ...ctx, adminApi: () => assert.fail('no API call for external etcd') });
    assert.equal(out.stdout(), '[check-etcd] Skipping etcd check in external mode\n');
  });
});
