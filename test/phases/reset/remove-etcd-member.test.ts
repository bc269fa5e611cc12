// reset's remove-etcd-member phase over a fake host whose HTTP answers as etcd's JSON gateway: which member is
// this node's, where the removal is sent, the last member, a member already gone, etcd unreachable (kubeadm's
// warning and a leftover with the etcdctl command), --dry-run, the API down (the manifest's endpoints), external
// etcd and no manifest at all; and the data directory emptied in each local-etcd case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterConfiguration } from '../../../src/config/types.js';
import { etcdPod } from '../../../src/manifests/etcd.js';
import { encodeManifest } from '../../../src/manifests/static-pod.js';
import { captureOutput } from '../../../src/output/output.js';
import { removeEtcdMember } from '../../../src/phases/reset/remove-etcd-member.js';
import { dryRunHost } from '../../../src/host/dry-run-host.js';
import { etcdPodsApi, nodeConfig } from '../../etcd/etcd-nodes.js';
import { fakeHost, type FakeHost, type FakeHttp } from '../../helpers/fake-host.js';
import { resetContext } from '../../helpers/reset-context.js';

const addr = (i: number) => `10.0.0.${i}`;
const peer = (i: number) => `https://${addr(i)}:2380`;
const client = (i: number) => `https://${addr(i)}:2379`;
const cfg = nodeConfig('cp-3', addr(3));
const cluster: ClusterConfiguration = cfg.cluster;

/** This node's etcd manifest, as join wrote it for the third member. */
const manifest = encodeManifest(etcdPod({
  cluster, endpoint: cfg.init.localAPIEndpoint, nodeName: 'cp-3', hostEnv: {},
  controlPlaneComponentHealthCheckMs: cfg.init.timeouts.controlPlaneComponentHealthCheckMs,
  initialCluster: [1, 2, 3].map((i) => ({ name: `cp-${i}`, peerURL: peer(i) })),
}));

interface Member { ID: string; name: string; peerURLs: string[]; clientURLs: string[] }
const member = (i: number, id = `${i}000000000000000000${i}`): Member => ({ ID: id, name: `cp-${i}`, peerURLs: [peer(i)], clientURLs: [client(i)] });

/** An etcd cluster answering at the client URLs of `reachable`; `calls` records "METHOD endpoint op". */
function etcdGateway(members: Member[], reachable: readonly number[]) {
  const calls: string[] = [];
  const http: Record<string, FakeHttp> = {};
  for (const i of reachable) {
    http[`POST ${client(i)}/v3/cluster/member/list`] = () => {
      calls.push(`list ${client(i)}`);
      return { status: 200, body: JSON.stringify({ header: {}, members }) };
    };
    http[`POST ${client(i)}/v3/cluster/member/remove`] = (_url, opts) => {
      const id = (JSON.parse((opts as unknown as { body: string }).body) as { ID: string }).ID;
      calls.push(`remove ${client(i)} ${id}`);
      const at = members.findIndex((m) => m.ID === id);
      if (at < 0) return { status: 404, body: '{"error":"etcdserver: member not found","message":"etcdserver: member not found","code":5}' };
      members.splice(at, 1);
      return { status: 200, body: JSON.stringify({ header: {}, members }) };
    };
  }
  return { http, calls, members };
}

const pki = {
  '/etc/kubernetes/pki/etcd/ca.crt': 'CA', '/etc/kubernetes/pki/etcd/healthcheck-client.crt': 'CERT', '/etc/kubernetes/pki/etcd/healthcheck-client.key': 'KEY',
};

function nodeHost(http: Record<string, FakeHttp>, opts: { manifest?: boolean } = {}): FakeHost {
  return fakeHost({
    http,
    files: {
      ...pki,
      ...(opts.manifest === false ? {} : { '/etc/kubernetes/manifests/etcd.yaml': manifest }),
      '/var/lib/etcd/member/snap/db': 'data',
      '/var/lib/etcd/member/wal/0.wal': 'wal',
    },
  });
}

async function runPhase(host: FakeHost, o: { cluster?: ClusterConfiguration; api?: boolean; dryRun?: boolean; pods?: readonly string[] } = {}) {
  const out = captureOutput(1);
  const ctx = resetContext({
    host: o.dryRun ? dryRunHost(host, '/etc/kubernetes/tmp/reset-dryrun', { cwd: '/' }) : host,
    out, dryRun: o.dryRun ?? false,
    ...(o.cluster === undefined ? {} : { cluster: o.cluster }),
    ...(o.api === false ? {} : { api: etcdPodsApi(o.pods ?? [client(1), client(2), client(3)]) }),
  });
  await removeEtcdMember.run!(ctx);
  return { out, report: ctx.report };
}

/** The report's etcd entries (the data directory's removals are cleanEtcdDataDir's). */
const memberActions = (r: { actions: readonly { kind: string; item: string }[] }) => r.actions.filter((a) => a.kind === 'etcd-member-removed');

const dataLeft = async (host: FakeHost) => (await host.fs.list('/var/lib/etcd').catch(() => undefined)) ?? [];

test('with the cluster configuration: this node\'s member is removed through another member, then the data directory is emptied', async () => {
  const etcd = etcdGateway([member(1), member(2), member(3)], [1, 2, 3]);
  const host = nodeHost(etcd.http);
  const { out, report } = await runPhase(host, { cluster });
  assert.deepEqual(etcd.members.map((m) => m.name), ['cp-1', 'cp-2']);
  const removal = etcd.calls.filter((c) => c.startsWith('remove'));
  assert.equal(removal.length, 1);
  assert.ok(!removal[0]!.includes(client(3)), `the removal is not sent to the member being removed: ${removal[0]}`);
  assert.deepEqual(memberActions(report), [{ kind: 'etcd-member-removed', item: `cp-3 (${BigInt(member(3).ID).toString(16)})` }]);
  assert.deepEqual(report.leftovers, []);
  assert.doesNotMatch(out.stderr(), /No kubeadm config/);
  assert.match(out.stdout(), /^\[reset\] Deleted contents of the etcd data directory: \/var\/lib\/etcd$/m);
  assert.deepEqual(await dataLeft(host), []);
});

test('the last member is not removed: a line says so, the data directory is still emptied', async () => {
  const etcd = etcdGateway([member(3)], [3]);
  const host = nodeHost(etcd.http);
  const { out, report } = await runPhase(host, { cluster, pods: [client(3)] });
  assert.deepEqual(etcd.calls.filter((c) => c.startsWith('remove')), []);
  assert.match(out.stdout(), /^\[reset\] This node's etcd member cp-3 \(.+\) is the last one: there is no etcd cluster to leave/m);
  assert.deepEqual(memberActions(report), []);
  assert.deepEqual(report.leftovers, []);
  assert.deepEqual(await dataLeft(host), []);
});

test('a member already gone (a second reset, a removal by hand) is a detail line, nothing else', async () => {
  const etcd = etcdGateway([member(1), member(2)], [1, 2]);
  const host = nodeHost(etcd.http);
  const { out, report } = await runPhase(host, { cluster });
  assert.deepEqual(etcd.calls.filter((c) => c.startsWith('remove')), []);
  assert.match(out.stderr(), /This node's etcd member \(cp-3\) is not in the etcd cluster any more/);
  assert.deepEqual(memberActions(report), []);
  assert.deepEqual(report.leftovers, []);
});

test('etcd unreachable: kubeadm\'s warning, a leftover with the etcdctl command, and the reset goes on', async () => {
  const host = nodeHost({});
  const started = host.clock.now().getTime();
  const { out, report } = await runPhase(host, { cluster });
  assert.match(out.stderr(), /^\[reset\] Failed to remove etcd member: .*no etcd endpoint answered.*, please manually remove this etcd member using etcdctl$/m);
  assert.ok(host.clock.now().getTime() - started <= 15_000, 'an etcd that answers nobody is given up on within ~10 s, not timeouts.etcdAPICall');
  assert.equal(report.leftovers.length, 1);
  const left = report.leftovers[0]!;
  assert.equal(left.kind, 'etcd-member');
  assert.equal(left.item, 'cp-3');
  assert.match(left.fix ?? '', /^on another control-plane node, find the ID of the member named "cp-3" with: etcdctl --endpoints=https:\/\/10\.0\.0\.1:2379,https:\/\/10\.0\.0\.2:2379 --cacert=\/etc\/kubernetes\/pki\/etcd\/ca\.crt --cert=\S+healthcheck-client\.crt --key=\S+healthcheck-client\.key member list; then: .* member remove <ID>$/);
  assert.ok(!(left.fix ?? '').includes(client(3)), 'the command is not pointed at the member being removed');
  assert.deepEqual(await dataLeft(host), [], 'kubeadm empties the data directory anyway');
});

test('a removal etcd refuses for good names the member ID in the leftover', async () => {
  const etcd = etcdGateway([member(1), member(2), member(3)], [1, 2]);
  etcd.http[`POST ${client(1)}/v3/cluster/member/remove`] = { status: 500, body: '{"error":"etcdserver: re-configuration failed due to not enough started members","code":9}' };
  etcd.http[`POST ${client(2)}/v3/cluster/member/remove`] = etcd.http[`POST ${client(1)}/v3/cluster/member/remove`]!;
  const host = nodeHost(etcd.http);
  const { out, report } = await runPhase(host, { cluster });
  assert.match(out.stderr(), /Failed to remove etcd member: .*not enough started members/);
  const hex = BigInt(member(3).ID).toString(16);
  assert.equal(report.leftovers[0]!.item, `cp-3 (${hex})`);
  assert.match(report.leftovers[0]!.fix ?? '', new RegExp(`member remove ${hex}$`));
});

test('--dry-run reads the member list, says what it would remove, and changes nothing', async () => {
  const etcd = etcdGateway([member(1), member(2), member(3)], [1, 2, 3]);
  const host = nodeHost(etcd.http);
  const { out, report } = await runPhase(host, { cluster, dryRun: true });
  assert.ok(etcd.calls.some((c) => c.startsWith('list')));
  assert.deepEqual(etcd.calls.filter((c) => c.startsWith('remove')), []);
  assert.equal(etcd.members.length, 3);
  assert.match(out.stdout(), /^\[dryrun\] Would remove the etcd member on this node from the etcd cluster$/m);
  assert.deepEqual(memberActions(report).map((a) => a.kind), ['etcd-member-removed']);
  assert.deepEqual((await dataLeft(host)).sort(), ['member'], 'the data directory is untouched');
});

test('no cluster configuration: kubeadm\'s warning, the data directory from the manifest, the endpoints from --initial-cluster', async () => {
  const etcd = etcdGateway([member(1), member(2), member(3)], [2]);
  const host = nodeHost(etcd.http);
  const { out, report } = await runPhase(host, { api: false });
  assert.match(out.stderr(), /^\[reset\] No kubeadm config, using etcd pod spec to get data directory$/m);
  assert.deepEqual(etcd.members.map((m) => m.name), ['cp-1', 'cp-2']);
  assert.deepEqual(etcd.calls.filter((c) => c.startsWith('remove')), [`remove ${client(2)} ${member(3).ID}`]);
  assert.equal(memberActions(report).length, 1);
  assert.deepEqual(await dataLeft(host), []);
});

test('external etcd in the cluster configuration: kubeadm\'s lines, no etcd call, the data directory kept', async () => {
  const etcd = etcdGateway([member(1), member(2), member(3)], [1, 2, 3]);
  const host = nodeHost(etcd.http);
  const external: ClusterConfiguration = { ...cluster, etcd: { external: { endpoints: ['https://etcd.example:2379'], caFile: '', certFile: '', keyFile: '' } } };
  const { out } = await runPhase(host, { cluster: external });
  assert.match(out.stdout(), /^\[reset\] No etcd config found\. Assuming external etcd\n\[reset\] Please, manually reset etcd to prevent further issues$/m);
  assert.deepEqual(etcd.calls, []);
  assert.deepEqual(await dataLeft(host), ['member']);
});

test('no etcd manifest: nothing is asked of etcd; with a stacked-etcd cluster the member that may remain is reported', async () => {
  const etcd = etcdGateway([member(1), member(2), member(3)], [1, 2, 3]);
  const host = nodeHost(etcd.http, { manifest: false });
  const { out, report } = await runPhase(host, { cluster });
  assert.deepEqual(etcd.calls, []);
  assert.equal(out.stdout(), '');
  assert.match(out.stderr(), /^\[reset\] No etcd manifest at \/etc\/kubernetes\/manifests\/etcd\.yaml: if this node was an etcd member, it is still in the etcd cluster$/m);
  assert.deepEqual(memberActions(report), []);
  assert.deepEqual(report.leftovers.map((l) => l.kind), ['etcd-member']);
  assert.match(report.leftovers[0]!.fix ?? '', /member list; then: .* member remove <ID>$/);
  assert.deepEqual(await dataLeft(host), ['member'], 'no journal and no sign of a node here: the data directory is not touched');

  // A worker (no cluster configuration read, no manifest): only a -v 1 line.
  const worker = await runPhase(nodeHost(etcd.http, { manifest: false }));
  assert.equal(worker.out.stderr(), '[reset] No etcd manifest at /etc/kubernetes/manifests/etcd.yaml: no local etcd member to remove\n');
  assert.deepEqual(worker.report.leftovers, []);
});

test('the API answers but lists no etcd Pod: the manifest\'s endpoints are used at once, without waiting', async () => {
  const etcd = etcdGateway([member(1), member(2), member(3)], [1]);
  const host = nodeHost(etcd.http);
  const started = host.clock.now().getTime();
  const { report } = await runPhase(host, { cluster, pods: [] });
  assert.equal(host.clock.now().getTime(), started, 'no poll for Pods that will not appear');
  assert.deepEqual(etcd.calls.filter((c) => c.startsWith('remove')), [`remove ${client(1)} ${member(3).ID}`]);
  assert.equal(memberActions(report).length, 1);
});
