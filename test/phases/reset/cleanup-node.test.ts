import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journalApiVersion, journalKind, type HostJournal } from '../../../src/journal/journal.js';
import { cleanupNode } from '../../../src/phases/reset/cleanup-node.js';
import { fakeHost } from '../../helpers/fake-host.js';
import { resetContext } from '../../helpers/reset-context.js';

const tools = {
  path: ['iptables-save', 'iptables-restore'],
  commands: {
    'iptables-save --version': { stdout: 'iptables-save v1.8.9 (nf_tables)\n' },
    'iptables-save': { stdout: '*nat\n:PREROUTING ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n-A PREROUTING -j KUBE-SERVICES\nCOMMIT\n' },
  },
};

const journal: HostJournal = {
  apiVersion: journalApiVersion,
  kind: journalKind,
  runs: [{ command: 'init', startedAt: '2026-11-25T00:00:00Z', phases: ['certs'] }],
  snapshot: { takenAt: '2026-11-25T00:00:00Z', dirs: {}, interfaces: [] },
  entries: [],
};

const iptablesCalls = (h: ReturnType<typeof fakeHost>) => h.execCalls.filter((c) => c.argv[0]?.startsWith('iptables')).map((c) => c.argv.join(' '));

test('cleanup-node leaves the KUBE-* rules alone on a host where no node was set up (no journal, no kubeadm file)', async () => {
  const host = fakeHost(tools);
  await cleanupNode.run!(resetContext({ host }));
  assert.deepEqual(iptablesCalls(host), []);
});

test('cleanup-node removes the KUBE-* rules where a node was set up: a host journal, or one of kubeadm\'s files', async () => {
  const journaled = fakeHost(tools);
  await cleanupNode.run!(resetContext({ host: journaled, journal }));
  assert.ok(iptablesCalls(journaled).some((c) => c.startsWith('iptables-restore')), iptablesCalls(journaled).join('\n'));

  const kubeadmNode = fakeHost({ ...tools, files: { '/etc/kubernetes/kubelet.conf': 'apiVersion: v1\nkind: Config\n' } });
  await cleanupNode.run!(resetContext({ host: kubeadmNode }));
  assert.ok(iptablesCalls(kubeadmNode).some((c) => c.startsWith('iptables-restore')), iptablesCalls(kubeadmNode).join('\n'));
  assert.equal(await kubeadmNode.fs.stat('/etc/kubernetes/kubelet.conf'), undefined, 'kubeadm\'s file went too');
});
