// The recorder: host mutations become journal entries in order, replaced contents become blobs, the
// journal never journals itself (but records the directories its first write created), a second run keeps
// the snapshot, and an unusable journal is left alone.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dryRunHost } from '../../src/host/dry-run-host.js';
import { loadJournal } from '../../src/journal/journal-file.js';
import type { HostJournal, JournalEntry } from '../../src/journal/journal.js';
import { openJournal } from '../../src/journal/recorder.js';
import { captureOutput } from '../../src/output/output.js';
import { tempRootHost, withTempRoot } from '../helpers/temp-root.js';

const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
const kernelFiles = { '/sys/class/net/lo/operstate': 'unknown', '/sys/class/net/eth0/operstate': 'up' };
const watched = ['/etc/kubernetes', '/var/lib/kubelet', '/etc/cni/net.d'];
const commands = { 'systemctl start kubelet': { exitCode: 0 }, 'systemctl is-active kubelet': { exitCode: 0 } };

async function onDisk(root: string): Promise<HostJournal> {
  return JSON.parse(await readFile(path.join(root, 'var/lib/tskubeadm/journal.json'), 'utf8')) as HostJournal;
}

const host = (root: string, now = '2030-01-01T00:00:00Z') =>
  tempRootHost(root, { kernelFiles, commands, now: new Date(now) });

describe('openJournal and flush', () => {
  it('records writes, directories, removals and commands in order, with what each replaced', async () => {
    await withTempRoot(async (root) => {
      // What was there before: a user's note and a kubelet config shipped by an image.
      await mkdir(path.join(root, 'etc/kubernetes'), { recursive: true });
      await writeFile(path.join(root, 'etc/kubernetes/notes.txt'), 'mine');
      await mkdir(path.join(root, 'var/lib/kubelet'), { recursive: true });
      await writeFile(path.join(root, 'var/lib/kubelet/config.yaml'), 'image: default\n');
      await chmod(path.join(root, 'var/lib/kubelet/config.yaml'), 0o640);
      await writeFile(path.join(root, 'etc/kubernetes/stale.conf'), 'stale');

      const h = host(root);
      const rec = await openJournal(h, { command: 'init', phases: ['certs/ca', 'kubelet-start'], watched });
      await rec.flush();
      assert.deepEqual(await readdir(path.join(root, 'var/lib')), ['kubelet'], 'nothing to record: no journal yet');

      // Phase 1: a key pair (writeAll), a created directory.
      await h.fs.writeAll([
        { path: '/etc/kubernetes/pki/ca.key', data: 'KEY', mode: 0o600 },
        { path: '/etc/kubernetes/pki/ca.crt', data: 'CRT', mode: 0o644 },
      ]);
      await h.fs.mkdir('/etc/kubernetes/manifests', { mode: 0o700 });
      // The user adds a file after the snapshot: not in it, and not journaled (not a host mutation).
      await writeFile(path.join(root, 'etc/kubernetes/later.txt'), 'later');
      await rec.flush();
      const first = await onDisk(root);
      assert.deepEqual(first.runs, [{ command: 'init', startedAt: '2030-01-01T00:00:00Z', phases: ['certs/ca', 'kubelet-start'] }]);
      assert.deepEqual(first.snapshot.dirs['/etc/kubernetes']?.entries, ['notes.txt', 'stale.conf']);
      assert.deepEqual(first.snapshot.dirs['/var/lib/kubelet']?.entries, ['config.yaml']);
      assert.deepEqual(first.snapshot.dirs['/etc/cni/net.d'], { exists: false, entries: [], truncated: false, missingFrom: '/etc/cni' });
      assert.deepEqual(first.snapshot.interfaces, ['eth0', 'lo']);
      // Phase 2: replace a file twice, remove one, start a service; a read-only command is not a mutation.
      await h.fs.write('/var/lib/kubelet/config.yaml', 'first\n', { mode: 0o644 });
      await h.fs.write('/var/lib/kubelet/config.yaml', 'second\n', { mode: 0o644 });
      await h.fs.remove('/etc/kubernetes/stale.conf');
      await h.exec.run(['systemctl', 'start', 'kubelet'], { mutates: true });
      await h.exec.run(['systemctl', 'is-active', 'kubelet'], { mutates: false });
      await rec.flush();
      await rec.flush(); // nothing new: no change

      const j = await onDisk(root);
      const original = sha('image: default\n');
      const expected: JournalEntry[] = [
        {
          run: 0, action: 'write', path: '/etc/kubernetes/pki/ca.key', mode: 0o600, sha256: sha('KEY'),
          previous: { existed: false }, createdDirs: ['/etc/kubernetes/pki'],
        },
        { run: 0, action: 'write', path: '/etc/kubernetes/pki/ca.crt', mode: 0o644, sha256: sha('CRT'), previous: { existed: false } },
        { run: 0, action: 'mkdir', path: '/etc/kubernetes/manifests', mode: 0o700, created: ['/etc/kubernetes/manifests'] },
        // The journal's own directory is an entry (reset removes it); its files are not.
        { run: 0, action: 'mkdir', path: '/var/lib/tskubeadm', mode: 0o700, created: ['/var/lib/tskubeadm'] },
        {
          run: 0, action: 'write', path: '/var/lib/kubelet/config.yaml', mode: 0o644, sha256: sha('first\n'),
          previous: { existed: true, kind: 'file', mode: 0o640, blob: original },
        },
        {
          run: 0, action: 'write', path: '/var/lib/kubelet/config.yaml', mode: 0o644, sha256: sha('second\n'),
          // Not the path's first entry: reset restores from the first, so tskubeadm's own content is not kept.
          previous: { existed: true, kind: 'file', mode: 0o644 },
        },
        // The snapshot lists stale.conf (it was there before): its content is kept.
        { run: 0, action: 'remove', path: '/etc/kubernetes/stale.conf', previous: { existed: true, kind: 'file', mode: 0o644, blob: sha('stale') } },
        { run: 0, action: 'exec', argv: ['systemctl', 'start', 'kubelet'] },
      ];
      assert.deepEqual(j.entries, expected);
      assert.deepEqual(await loadJournal(h, captureOutput()), j, 'the reader accepts what the recorder wrote');

      // Blobs: what was replaced or removed, byte for byte, 0600; nothing of the journal itself.
      const blobs = (await readdir(path.join(root, 'var/lib/tskubeadm/previous'))).sort();
      assert.deepEqual(blobs, [original, sha('stale')].sort());
      assert.equal(await readFile(path.join(root, 'var/lib/tskubeadm/previous', original), 'utf8'), 'image: default\n');
      for (const b of blobs) assert.equal((await stat(path.join(root, 'var/lib/tskubeadm/previous', b))).mode & 0o777, 0o600);
      assert.equal((await stat(path.join(root, 'var/lib/tskubeadm/journal.json'))).mode & 0o777, 0o600);
      assert.ok(j.entries.every((e) => e.action === 'exec' || e.path === '/var/lib/tskubeadm' || !e.path.startsWith('/var/lib/tskubeadm')));
    });
  });

  it('records the parents of the journal directory it created (a bare root)', async () => {
    await withTempRoot(async (root) => {
      const h = host(root);
      const rec = await openJournal(h, { command: 'join', phases: [], watched });
      await h.exec.run(['systemctl', 'start', 'kubelet'], { mutates: true });
      await rec.flush();
      const j = await onDisk(root);
      assert.deepEqual(j.entries, [
        { run: 0, action: 'exec', argv: ['systemctl', 'start', 'kubelet'] },
        { run: 0, action: 'mkdir', path: '/var/lib', mode: 0o755, created: ['/var', '/var/lib'] },
        { run: 0, action: 'mkdir', path: '/var/lib/tskubeadm', mode: 0o700, created: ['/var/lib/tskubeadm'] },
      ]);
    });
  });

  it('keeps the snapshot and the entries on a second run, and appends that run', async () => {
    await withTempRoot(async (root) => {
      const h1 = host(root);
      const r1 = await openJournal(h1, { command: 'init', phases: ['certs/ca'], watched });
      await h1.fs.write('/etc/kubernetes/pki/ca.crt', 'one', { mode: 0o644 });
      await r1.flush();
      const before = await onDisk(root);

      // Another process, later: the files of the first run must not become "pre-existing".
      const h2 = host(root, '2030-01-02T00:00:00Z');
      const r2 = await openJournal(h2, { command: 'join', phases: ['kubelet-start'], watched: ['/somewhere/else'] });
      await h2.fs.write('/etc/kubernetes/pki/ca.crt', 'two', { mode: 0o644 });
      await r2.flush();
      const after = await onDisk(root);
      assert.deepEqual(after.snapshot, before.snapshot);
      assert.deepEqual(after.runs, [...before.runs, { command: 'join', startedAt: '2030-01-02T00:00:00Z', phases: ['kubelet-start'] }]);
      assert.deepEqual(after.entries.slice(0, before.entries.length), before.entries);
      assert.deepEqual(after.entries.slice(before.entries.length), [{
        run: 1, action: 'write', path: '/etc/kubernetes/pki/ca.crt', mode: 0o644, sha256: sha('two'),
        // The first run's own content: reset restores from a path's first entry, so no copy is kept.
        previous: { existed: true, kind: 'file', mode: 0o644 },
      }]);
    });
  });

  it('only counts mutations made after it opened', async () => {
    await withTempRoot(async (root) => {
      const h = host(root);
      await h.fs.write('/etc/kubernetes/before.txt', 'x', { mode: 0o644 });
      const rec = await openJournal(h, { command: 'init', phases: [], watched });
      await h.fs.mkdir('/var/lib/kubelet', { mode: 0o700 });
      await rec.flush();
      const j = await onDisk(root);
      assert.ok(!j.entries.some((e) => e.action === 'write'), JSON.stringify(j.entries));
      assert.deepEqual(j.snapshot.dirs['/etc/kubernetes']?.entries, ['before.txt']);
    });
  });

  it('hashes what a write left when the file is gone or too big to keep by the end of the batch', async () => {
    await withTempRoot(async (root) => {
      const h = host(root);
      const rec = await openJournal(h, { command: 'init', phases: [], watched });
      const big = Buffer.alloc(1024 * 1024 + 1, 7);
      await h.fs.write('/etc/kubernetes/big.bin', big, { mode: 0o600 });
      await h.fs.write('/etc/kubernetes/big.bin', 'small', { mode: 0o600 });
      await h.fs.write('/etc/kubernetes/gone', 'g', { mode: 0o600 });
      await h.fs.remove('/etc/kubernetes/gone');
      await rec.flush();
      const writes = (await onDisk(root)).entries.filter((e) => e.action === 'write' || e.action === 'remove');
      assert.deepEqual(writes.map((e) => [e.action, e.path, e.action === 'write' ? e.sha256 : '', e.previous]), [
        // The big content was not kept by the host as the next write's previous state, but the write recorded its hash.
        ['write', '/etc/kubernetes/big.bin', sha(big), { existed: false }],
        ['write', '/etc/kubernetes/big.bin', sha('small'), { existed: true, kind: 'file', mode: 0o600 }],
        ['write', '/etc/kubernetes/gone', sha('g'), { existed: false }],
        ['remove', '/etc/kubernetes/gone', '', { existed: true, kind: 'file', mode: 0o600 }],
      ]);
    });
  });

  it('leaves an unusable journal alone and records nothing, with one warning', async () => {
    await withTempRoot(async (root) => {
      await mkdir(path.join(root, 'var/lib/tskubeadm'), { recursive: true });
      await writeFile(path.join(root, 'var/lib/tskubeadm/journal.json'), '{broken');
      const h = host(root);
      const out = captureOutput();
      const rec = await openJournal(h, { command: 'init', phases: [], watched, out });
      await h.fs.write('/etc/kubernetes/pki/ca.crt', 'x', { mode: 0o644 });
      await rec.flush();
      assert.equal(await readFile(path.join(root, 'var/lib/tskubeadm/journal.json'), 'utf8'), '{broken');
      assert.deepEqual(await readdir(path.join(root, 'var/lib/tskubeadm')), ['journal.json']);
      assert.match(out.stderr(), /journal\.json is not valid JSON .*reset falls back to kubeadm's list/);
    });
  });

  it('refuses a dry-run host', async () => {
    await withTempRoot(async (root) => {
      const dry = dryRunHost(host(root), '/dry');
      await assert.rejects(openJournal(dry, { command: 'init', phases: [], watched }), /dry-run host/);
    });
  });
});
