// The journal's snapshot: names under the watched directories, symlinks listed but never followed,
// truncation at the entry limit, interfaces; and the questions reset asks of it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { HostSnapshot } from '../../src/journal/journal.js';
import { holdsPreexisting, preexisted, takeSnapshot } from '../../src/journal/snapshot.js';
import { tempRootHost, withTempRoot } from '../helpers/temp-root.js';

const kernelFiles = { '/sys/class/net/lo/operstate': 'unknown', '/sys/class/net/eth0/operstate': 'up' };

async function put(root: string, rel: string, text = 'x'): Promise<void> {
  await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
  await writeFile(path.join(root, rel), text);
}

describe('takeSnapshot', () => {
  it('lists every level of nested directories, depth first, and the interfaces', async () => {
    await withTempRoot(async (root) => {
      await put(root, 'etc/kubernetes/pki/etcd/ca.crt');
      await put(root, 'etc/kubernetes/notes.txt');
      await mkdir(path.join(root, 'etc/kubernetes/empty'));
      const host = tempRootHost(root, { kernelFiles, now: new Date('2030-01-02T03:04:05.678Z') });
      const s = await takeSnapshot(host, ['/etc/kubernetes', '/var/lib/kubelet']);
      assert.deepEqual(s.dirs['/etc/kubernetes'], {
        exists: true,
        entries: ['empty', 'notes.txt', 'pki', 'pki/etcd', 'pki/etcd/ca.crt'],
        truncated: false,
      });
      // Neither /var/lib/kubelet nor /var is there: a directory a killed run made above it is then known as its own.
      assert.deepEqual(s.dirs['/var/lib/kubelet'], { exists: false, entries: [], truncated: false, missingFrom: '/var' });
      assert.deepEqual(s.interfaces, ['eth0', 'lo']);
      assert.equal(s.takenAt, '2030-01-02T03:04:05Z');
      assert.deepEqual(host.mutations, [], 'a snapshot changes nothing');
    });
  });

  it('lists a symlink without following it, inside or outside the root', async () => {
    await withTempRoot(async (root) => {
      await put(root, 'elsewhere/secret.key');
      await put(root, 'etc/kubernetes/pki/ca.crt');
      await symlink('/elsewhere', path.join(root, 'etc/kubernetes/pki/linked'));
      await symlink(path.dirname(root), path.join(root, 'etc/kubernetes/outside'));
      const s = await takeSnapshot(tempRootHost(root, { kernelFiles }), ['/etc/kubernetes']);
      assert.deepEqual(s.dirs['/etc/kubernetes']?.entries, ['outside', 'pki', 'pki/ca.crt', 'pki/linked']);
    });
  });

  it('does not list through a watched directory that is itself a link, and says it cannot tell', async () => {
    await withTempRoot(async (root) => {
      await put(root, 'real-cni/10-bridge.conf');
      await mkdir(path.join(root, 'etc/cni'), { recursive: true });
      await symlink('/real-cni', path.join(root, 'etc/cni/net.d'));
      const s = await takeSnapshot(tempRootHost(root, { kernelFiles }), ['/etc/cni/net.d']);
      assert.deepEqual(s.dirs['/etc/cni/net.d'], { exists: true, entries: [], truncated: true });
      assert.equal(preexisted(s, '/etc/cni/net.d/10-bridge.conf'), 'unknown');
    });
  });

  it('stops at the entry limit and marks the directory truncated', async () => {
    await withTempRoot(async (root) => {
      for (const n of ['a', 'b', 'c', 'd']) await put(root, `var/lib/kubelet/${n}/f`);
      const s = await takeSnapshot(tempRootHost(root, { kernelFiles }), ['/var/lib/kubelet'], { maxEntries: 5 });
      assert.deepEqual(s.dirs['/var/lib/kubelet'], { exists: true, entries: ['a', 'a/f', 'b', 'b/f', 'c'], truncated: true });
      const full = await takeSnapshot(tempRootHost(root, { kernelFiles }), ['/var/lib/kubelet'], { maxEntries: 8 });
      assert.equal(full.dirs['/var/lib/kubelet']?.truncated, false, 'exactly at the limit is complete');
      assert.equal(full.dirs['/var/lib/kubelet']?.entries.length, 8);
    });
  });

  it('has no interfaces when /sys/class/net cannot be listed', async () => {
    await withTempRoot(async (root) => {
      const s = await takeSnapshot(tempRootHost(root, { kernelFiles: {} }), []);
      assert.deepEqual(s.interfaces, []);
      assert.deepEqual(s.dirs, {});
    });
  });
});

describe('preexisted and holdsPreexisting', () => {
  const snapshot: HostSnapshot = {
    takenAt: '2030-01-01T00:00:00Z',
    interfaces: [],
    dirs: {
      '/etc/kubernetes': { exists: true, entries: ['pki', 'pki/my-ca.crt', 'tmp'], truncated: false },
      '/var/lib/kubelet': { exists: false, entries: [], truncated: false },
      '/var/lib/etcd': { exists: true, entries: ['member'], truncated: true },
      '/etc/cni/net.d': { exists: true, entries: [], truncated: false },
    },
  };

  it('answers from the listing of the directory holding the path', () => {
    assert.equal(preexisted(snapshot, '/etc/kubernetes'), true);
    assert.equal(preexisted(snapshot, '/etc/kubernetes/pki/my-ca.crt'), true);
    assert.equal(preexisted(snapshot, '/etc/kubernetes/pki/ca.crt'), false);
    assert.equal(preexisted(snapshot, '/etc/kubernetes/pki/my-ca.crt/x'), false);
    assert.equal(preexisted(snapshot, '/var/lib/kubelet'), false);
    assert.equal(preexisted(snapshot, '/var/lib/kubelet/config.yaml'), false);
    assert.equal(preexisted(snapshot, '/etc/cni/net.d/10-flannel.conflist'), false);
    // A prefix that is not a path component is another directory.
    assert.equal(preexisted(snapshot, '/etc/kubernetes-old/x'), 'unknown');
    assert.equal(preexisted(snapshot, '/root/.kube/config'), 'unknown');
    assert.equal(preexisted(snapshot, '/var/lib/etcd/member'), true);
    assert.equal(preexisted(snapshot, '/var/lib/etcd/member/snap'), 'unknown', 'truncated and not listed');
  });

  it('tells whether a directory holds something that was there before', () => {
    assert.equal(holdsPreexisting(snapshot, '/etc/kubernetes'), true);
    assert.equal(holdsPreexisting(snapshot, '/etc/kubernetes/pki'), true);
    assert.equal(holdsPreexisting(snapshot, '/etc/kubernetes/tmp'), false);
    assert.equal(holdsPreexisting(snapshot, '/etc/kubernetes/manifests'), false);
    assert.equal(holdsPreexisting(snapshot, '/etc/cni/net.d'), false);
    assert.equal(holdsPreexisting(snapshot, '/var/lib/kubelet'), false);
    assert.equal(holdsPreexisting(snapshot, '/var/lib/kubelet/pki'), false);
    // /var/lib holds /var/lib/etcd, which existed.
    assert.equal(holdsPreexisting(snapshot, '/var/lib'), true);
    assert.equal(holdsPreexisting(snapshot, '/etc'), true);
    assert.equal(holdsPreexisting(snapshot, '/var/lib/etcd/member'), true, 'a truncated listing cannot tell: keep');
    assert.equal(holdsPreexisting(snapshot, '/opt/cni'), false);
  });
});
