// The journal of a whole `init` (node A, against the test API server) and of a worker `join` (node B, its
// kubelet emulated): every file each wrote is in its journal, with the commands that changed the host.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { HostJournal } from '../../src/journal/journal.js';
import { runCli } from '../cli/run-cli.js';
import { emulateKubelet } from '../helpers/emulated-kubelet.js';
import { emulateNode, initEmulatedNode } from '../helpers/emulated-node.js';
import { withTempRoot } from '../helpers/temp-root.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function journalOf(root: string): Promise<HostJournal> {
  return JSON.parse(await readFile(path.join(root, 'var/lib/tskubeadm/journal.json'), 'utf8')) as HostJournal;
}

/** The last write of each path not removed since, and whether the file on disk still holds what it wrote. */
async function lastWrites(root: string, j: HostJournal): Promise<Map<string, boolean>> {
  const last = new Map<string, string>();
  for (const e of j.entries) {
    if (e.action === 'write') last.set(e.path, e.sha256);
    if (e.action === 'remove') last.delete(e.path);
  }
  const out = new Map<string, boolean>();
  for (const [p, h] of last) out.set(p, sha(await readFile(path.join(root, p))) === h);
  return out;
}

describe('the journal of init and join', () => {
  let rootA = '';
  let node: ReturnType<typeof emulateNode> | undefined;
  let joinArgs: string[] = [];

  before(async () => {
    rootA = await mkdtemp(path.join(tmpdir(), 'tskubeadm-journal-a-'));
    ({ node, joinArgs } = await initEmulatedNode(rootA));
  });

  after(async () => {
    await node?.stop();
    if (rootA !== '') await rm(rootA, { recursive: true, force: true });
  });

  it('init: one run, every file it wrote, the kubelet started, the etcd data directory watched', async () => {
    const j = await journalOf(rootA);
    assert.equal(j.runs.length, 1);
    assert.equal(j.runs[0]?.command, 'init');
    assert.ok(j.runs[0]?.phases.includes('show-join-command'), j.runs[0]?.phases.join(' '));
    assert.ok('/var/lib/etcd' in j.snapshot.dirs, Object.keys(j.snapshot.dirs).join(' '));
    const writes = await lastWrites(rootA, j);
    for (const p of [
      '/etc/kubernetes/pki/ca.key', '/etc/kubernetes/pki/sa.pub', '/etc/kubernetes/admin.conf', '/etc/kubernetes/super-admin.conf',
      '/etc/kubernetes/manifests/kube-apiserver.yaml', '/etc/kubernetes/manifests/etcd.yaml', '/var/lib/kubelet/config.yaml',
      '/var/lib/kubelet/kubeadm-flags.env',
    ]) {
      assert.equal(writes.get(p), true, `${p} journaled with the content on disk`);
    }
    assert.ok(j.entries.some((e) => e.action === 'mkdir' && e.path === '/etc/kubernetes/manifests'));
    assert.ok(j.entries.some((e) => e.action === 'exec' && e.argv.join(' ').includes('kubelet')), 'the kubelet start is journaled');
    assert.ok(j.entries.every((e) => e.action === 'exec' || !e.path.startsWith('/var/lib/tskubeadm/')), 'never the journal itself');
  });

  it('join: the worker\'s journal lists the kubelet files and the cluster CA it wrote', async () => {
    await withTempRoot(async (rootB) => {
      const kubelet = emulateKubelet(rootB, 'worker-j');
      try {
        const r = await runCli([...joinArgs, '--ignore-preflight-errors', 'all'], { host: kubelet.host });
        assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}\n${String(kubelet.error())}`);
      } finally {
        await kubelet.stop();
      }
      const j = await journalOf(rootB);
      assert.deepEqual(j.runs.map((r) => r.command), ['join']);
      assert.ok(j.runs[0]?.phases.includes('kubelet-start'), j.runs[0]?.phases.join(' '));
      assert.deepEqual(j.snapshot.dirs['/etc/kubernetes'], { exists: false, entries: [], truncated: false, missingFrom: '/etc' });
      assert.ok('/var/lib/etcd' in j.snapshot.dirs);
      const writes = await lastWrites(rootB, j);
      for (const p of ['/etc/kubernetes/pki/ca.crt', '/var/lib/kubelet/config.yaml', '/var/lib/kubelet/kubeadm-flags.env']) {
        assert.equal(writes.get(p), true, `${p} journaled with the content on disk (${[...writes.keys()].join(' ')})`);
      }
      assert.ok(j.entries.some((e) => e.action === 'exec'), 'the kubelet start is journaled');
      // The bootstrap kubeconfig is written, then removed once the kubelet has its own: both are entries.
      const bootstrap = j.entries.flatMap((e) => (e.action !== 'exec' && e.path === '/etc/kubernetes/bootstrap-kubelet.conf' ? [e.action] : []));
      assert.deepEqual(bootstrap, ['write', 'remove']);
    });
  });
});
