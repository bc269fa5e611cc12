// A run killed between two journal flushes: the journal was written (snapshot and run) before its first change,
// the run never ended, and what it left without an entry is recorded by the next run as the killed run's own, so
// reset removes it (and the directories it made, up to the outermost one that was missing) instead of keeping it
// or restoring it as the user's.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { HostJournal } from '../../src/journal/journal.js';
import { openJournal } from '../../src/journal/recorder.js';
import { tempRootHost, withTempRoot } from '../helpers/temp-root.js';

const sha = (b: string) => createHash('sha256').update(b).digest('hex');
const watched = ['/etc/kubernetes', '/var/lib/kubelet'];
const host = (root: string) => tempRootHost(root, { kernelFiles: {}, now: new Date('2030-01-01T00:00:00Z') });
const onDisk = async (root: string) => JSON.parse(await readFile(path.join(root, 'var/lib/tskubeadm/journal.json'), 'utf8')) as HostJournal;

describe('a killed run', () => {
  it('a run that changed nothing takes back the journal it wrote ahead, and the directories that made', async () => {
    await withTempRoot(async (root) => {
      const h = host(root);
      const rec = await openJournal(h, { command: 'join', phases: ['kubelet-start'], watched, persist: true });
      assert.equal((await onDisk(root)).runs.length, 1);
      await rec.close();
      assert.deepEqual(await readdir(root), []);
    });
  });

  it('is on disk before its first change, and its unrecorded files become its entries on the next run', async () => {
    await withTempRoot(async (root) => {
      await mkdir(path.join(root, 'var/lib/kubelet'), { recursive: true });
      await writeFile(path.join(root, 'var/lib/kubelet/user.txt'), 'mine');
      const killed = host(root);
      await openJournal(killed, { command: 'init', phases: ['certs/ca'], watched, persist: true });
      const persisted = await onDisk(root);
      assert.deepEqual(persisted.runs, [{ command: 'init', startedAt: '2030-01-01T00:00:00Z', phases: ['certs/ca'] }]);
      assert.deepEqual(persisted.snapshot.dirs['/etc/kubernetes'], { exists: false, entries: [], truncated: false, missingFrom: '/etc' });
      // What the run did before it was killed: never flushed.
      await killed.fs.write('/etc/kubernetes/pki/ca.key', 'KEY', { mode: 0o600 });
      await killed.fs.write('/var/lib/kubelet/config.yaml', 'cfg', { mode: 0o644 });

      const next = host(root);
      const rec = await openJournal(next, { command: 'init', phases: ['certs/ca'], watched, persist: true });
      // The re-run replaces the killed run's key: that is not the user's file to restore.
      await next.fs.write('/etc/kubernetes/pki/ca.key', 'KEY2', { mode: 0o600 });
      await rec.close();
      const j = await onDisk(root);
      assert.equal(j.runs.length, 2);
      assert.equal(j.runs[0]?.endedAt, undefined, 'the killed run never ended');
      assert.equal(j.runs[1]?.endedAt, '2030-01-01T00:00:00Z');
      assert.deepEqual(j.entries, [
        // Written before the run changed anything: the journal's own directory.
        { run: 0, action: 'mkdir', path: '/var/lib/tskubeadm', mode: 0o700, created: ['/var/lib/tskubeadm'] },
        { run: 0, action: 'mkdir', path: '/etc/kubernetes', mode: 0o755, created: ['/etc', '/etc/kubernetes'] },
        { run: 0, action: 'mkdir', path: '/etc/kubernetes/pki', mode: 0o755, created: ['/etc/kubernetes/pki'] },
        { run: 0, action: 'write', path: '/etc/kubernetes/pki/ca.key', mode: 0o600, sha256: sha('KEY'), previous: { existed: false } },
        // user.txt was in the snapshot: not an entry.
        { run: 0, action: 'write', path: '/var/lib/kubelet/config.yaml', mode: 0o644, sha256: sha('cfg'), previous: { existed: false } },
        { run: 1, action: 'write', path: '/etc/kubernetes/pki/ca.key', mode: 0o600, sha256: sha('KEY2'), previous: { existed: true, kind: 'file', mode: 0o600 } },
      ]);
    });
  });

  it('a file rewritten after a crash whose entry was lost is recorded as created when the snapshot says it was absent', async () => {
    await withTempRoot(async (root) => {
      const first = host(root);
      const r1 = await openJournal(first, { command: 'init', phases: ['certs/ca'], watched, persist: true });
      await first.fs.write('/etc/kubernetes/pki/ca.crt', 'CA', { mode: 0o644 });
      await r1.close();
      // A later run was killed after writing, before flushing; then a run that does not look for it (it ended)…
      await writeFile(path.join(root, 'etc/kubernetes/admin.conf'), 'lost');
      const again = host(root);
      const r2 = await openJournal(again, { command: 'init', phases: ['kubeconfig/admin'], watched });
      await again.fs.write('/etc/kubernetes/admin.conf', 'new', { mode: 0o600 });
      await r2.close();
      const entry = (await onDisk(root)).entries.find((e) => e.action === 'write' && e.path === '/etc/kubernetes/admin.conf');
      assert.deepEqual(entry && 'previous' in entry ? entry.previous : undefined, { existed: false });
    });
  });
});
