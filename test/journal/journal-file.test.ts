// The journal file and its blobs: round trip, modes, unusable files, damaged or foreign blob names, removal.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  loadJournal, readPrevious, removeJournal, storePrevious, writeJournal,
} from '../../src/journal/journal-file.js';
import type { HostJournal } from '../../src/journal/journal.js';
import { captureOutput } from '../../src/output/output.js';
import { tempRootHost, withTempRoot } from '../helpers/temp-root.js';

const journal: HostJournal = {
  apiVersion: 'journal.tskubeadm.io/v1alpha1',
  kind: 'HostJournal',
  runs: [{ command: 'init', startedAt: '2030-01-01T00:00:00Z', phases: ['certs/ca'] }],
  snapshot: {
    takenAt: '2030-01-01T00:00:00Z',
    interfaces: ['lo'],
    dirs: { '/etc/kubernetes': { exists: true, entries: ['notes'], truncated: false } },
  },
  entries: [
    { run: 0, action: 'mkdir', path: '/var/lib/tskubeadm', mode: 0o700, created: ['/var/lib/tskubeadm'] },
    {
      run: 0, action: 'write', path: '/etc/kubernetes/pki/ca.key', mode: 0o600, sha256: 'ab'.repeat(32),
      previous: { existed: true, kind: 'file', mode: 0o644, blob: 'cd'.repeat(32) }, createdDirs: ['/etc/kubernetes/pki'],
    },
    { run: 0, action: 'remove', path: '/etc/kubernetes/old', previous: { existed: false } },
    { run: 0, action: 'exec', argv: ['systemctl', 'start', 'kubelet'] },
  ],
};

const modeOf = async (p: string) => (await stat(p)).mode & 0o777;
const hex = (b: string) => createHash('sha256').update(b).digest('hex');

describe('the journal file', () => {
  it('round-trips, 0600 in a 0700 directory, and says nothing when absent', async () => {
    await withTempRoot(async (root) => {
      const host = tempRootHost(root);
      const out = captureOutput();
      assert.equal(await loadJournal(host, out), undefined);
      await writeJournal(host, journal);
      assert.deepEqual(await loadJournal(host, out), journal);
      assert.equal(await modeOf(path.join(root, 'var/lib/tskubeadm/journal.json')), 0o600);
      assert.equal(await modeOf(path.join(root, 'var/lib/tskubeadm')), 0o700);
      assert.equal(await modeOf(path.join(root, 'var/lib')), 0o755);
      assert.equal(out.stderr() + out.stdout(), '');
    });
  });

  for (const [what, text, reason] of [
    ['not JSON', '{"apiVersion": ', /is not valid JSON/],
    ['another kind', JSON.stringify({ ...journal, kind: 'Other' }), /is not a journal tskubeadm can use: expected "HostJournal" \(at kind\)/],
    ['a bad entry', JSON.stringify({ ...journal, entries: [{ run: 0, action: 'write', path: 'relative' }] }), /expected an absolute path \(at entries\.0\.path\)/],
    ['a blob name that is not a SHA-256', JSON.stringify({
      ...journal,
      entries: [{ run: 0, action: 'remove', path: '/x', previous: { existed: true, kind: 'file', mode: 420, blob: '../../etc/shadow' } }],
    }), /expected a SHA-256 \(at entries\.0\.previous\.blob\)/],
    ['a snapshot directory without its listing', JSON.stringify({
      ...journal, snapshot: { ...journal.snapshot, dirs: { '/etc/kubernetes': { exists: true, truncated: false } } },
    }), /expected a list \(at snapshot\.dirs\.\/etc\/kubernetes\.entries\)/],
    ['an entry of a run it does not hold', JSON.stringify({ ...journal, entries: [{ run: 3, action: 'exec', argv: [] }] }), /names a run/],
  ] as const) {
    it(`warns once and gives undefined for ${what}`, async () => {
      await withTempRoot(async (root) => {
        await mkdir(path.join(root, 'var/lib/tskubeadm'), { recursive: true });
        await writeFile(path.join(root, 'var/lib/tskubeadm/journal.json'), text);
        const out = captureOutput();
        assert.equal(await loadJournal(tempRootHost(root), out), undefined);
        const warnings = out.stderr().trim().split('\n');
        assert.equal(warnings.length, 1, out.stderr());
        assert.match(warnings[0]!, reason);
        assert.match(warnings[0]!, new RegExp(`${root}/var/lib/tskubeadm/journal\\.json .*reset falls back to kubeadm's list`));
      });
    });
  }
});

describe('previous contents', () => {
  it('are stored once by their SHA-256, 0600, and read back', async () => {
    await withTempRoot(async (root) => {
      const host = tempRootHost(root);
      const key = Buffer.from('-----BEGIN PRIVATE KEY-----\nold\n');
      const name = await storePrevious(host, key);
      assert.equal(name, hex(key.toString()));
      const file = path.join(root, 'var/lib/tskubeadm/previous', name);
      assert.deepEqual(await readFile(file), key);
      assert.equal(await modeOf(file), 0o600);
      assert.equal(await modeOf(path.dirname(file)), 0o700);
      const writes = host.mutations.filter((m) => m.action === 'write').length;
      assert.equal(await storePrevious(host, key), name);
      assert.equal(host.mutations.filter((m) => m.action === 'write').length, writes, 'not written twice');
      assert.deepEqual(await readPrevious(host, name), key);
    });
  });

  it('refuse a name that is not a SHA-256 and a blob that does not match its name', async () => {
    await withTempRoot(async (root) => {
      const host = tempRootHost(root);
      await writeFile(path.join(root, 'passwd'), 'root:x:0:0');
      assert.equal(await readPrevious(host, '../../../../passwd'), undefined);
      assert.equal(await readPrevious(host, 'AB'.repeat(32)), undefined);
      const name = await storePrevious(host, Buffer.from('one'));
      await writeFile(path.join(root, 'var/lib/tskubeadm/previous', name), 'tampered');
      assert.equal(await readPrevious(host, name), undefined);
      assert.equal(await readPrevious(host, hex('absent')), undefined);
      // Storing it again repairs the damaged blob.
      await storePrevious(host, Buffer.from('one'));
      assert.deepEqual(await readPrevious(host, name), Buffer.from('one'));
    });
  });
});

describe('removeJournal', () => {
  it('removes the journal, its blobs and its directory', async () => {
    await withTempRoot(async (root) => {
      const host = tempRootHost(root);
      await writeJournal(host, journal);
      await storePrevious(host, Buffer.from('x'));
      await removeJournal(host);
      assert.deepEqual(await readdir(path.join(root, 'var/lib')), []);
      await removeJournal(host); // nothing left: no error
    });
  });

  it('keeps the directory when something else is in it', async () => {
    await withTempRoot(async (root) => {
      const host = tempRootHost(root);
      await writeJournal(host, journal);
      await storePrevious(host, Buffer.from('x'));
      await writeFile(path.join(root, 'var/lib/tskubeadm/README'), 'mine');
      await removeJournal(host);
      assert.deepEqual(await readdir(path.join(root, 'var/lib/tskubeadm')), ['README']);
    });
  });
});
