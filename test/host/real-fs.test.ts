import { createHash } from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { realHost } from '../../src/host/real-host.js';
import { withTempRoot } from '../helpers/temp-root.js';

const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');

test('real fs: write creates parents 0755, records previous state and createdDirs', () =>
  withTempRoot(async (root) => {
    const old = process.umask(0o077);
    try {
      const h = realHost();
      const f = path.join(root, 'etc/kubernetes/pki/ca.key');
      await h.fs.write(f, 'k1', { mode: 0o600 });
      assert.equal((await stat(path.join(root, 'etc'))).mode & 0o7777, 0o755);
      assert.equal((await stat(path.join(root, 'etc/kubernetes/pki'))).mode & 0o7777, 0o755);
      await h.fs.write(f, 'k2', { mode: 0o600 });
      assert.equal(await h.fs.readText(f), 'k2');
      assert.deepEqual(h.mutations, [
        { action: 'write', path: f, mode: 0o600, bytes: 2, sha256: sha256Hex('k1'), previous: { existed: false },
          createdDirs: ['etc', 'etc/kubernetes', 'etc/kubernetes/pki'].map((d) => path.join(root, d)) },
        { action: 'write', path: f, mode: 0o600, bytes: 2, sha256: sha256Hex('k2'),
          previous: { existed: true, kind: 'file', mode: 0o600, content: Buffer.from('k1') } },
      ]);
    } finally {
      process.umask(old);
    }
  }));

test('real fs: previous content is kept only up to 1 MiB', () =>
  withTempRoot(async (root) => {
    const h = realHost();
    const f = path.join(root, 'big');
    await writeFile(f, Buffer.alloc(1024 * 1024 + 1, 'x'), { mode: 0o644 });
    await h.fs.remove(f);
    assert.deepEqual(h.mutations, [{ action: 'remove', path: f, previous: { existed: true, kind: 'file', mode: 0o644 } }]);
  }));

test('real fs: read, stat, list and absent paths', () =>
  withTempRoot(async (root) => {
    const h = realHost();
    await writeFile(path.join(root, 'b'), 'B');
    await mkdir(path.join(root, 'a'));
    assert.deepEqual(await h.fs.list(root), ['a', 'b']);
    assert.equal(await h.fs.readText(path.join(root, 'b')), 'B');
    assert.equal((await h.fs.stat(path.join(root, 'a')))?.kind, 'directory');
    assert.equal(await h.fs.read(path.join(root, 'nope')), undefined);
    assert.equal(await h.fs.read(path.join(root, 'b/under-a-file')), undefined);
    assert.equal(await h.fs.stat(path.join(root, 'nope')), undefined);
    assert.equal(await h.fs.list(path.join(root, 'nope')), undefined);
    await assert.rejects(h.fs.read(path.join(root, 'a')), { code: 'EISDIR' });
    await assert.rejects(h.fs.write(path.join(root, 'a'), 'x', { mode: 0o600 }), { code: 'EISDIR' });
    await h.fs.remove(path.join(root, 'nope'));
    assert.equal(h.mutations.length, 0);
  }));

test('real fs: mkdir applies the mode exactly and records only what it created', () =>
  withTempRoot(async (root) => {
    const old = process.umask(0o077);
    try {
      const h = realHost();
      await h.fs.mkdir(path.join(root, 'var/lib/etcd'), { mode: 0o700 });
      await h.fs.mkdir(path.join(root, 'var/lib/etcd'), { mode: 0o700 });
      assert.equal((await stat(path.join(root, 'var/lib/etcd'))).mode & 0o7777, 0o700);
      assert.deepEqual(h.mutations, [{ action: 'mkdir', path: path.join(root, 'var/lib/etcd'), mode: 0o700,
        created: ['var', 'var/lib', 'var/lib/etcd'].map((d) => path.join(root, d)) }]);
      await writeFile(path.join(root, 'file'), '');
      await assert.rejects(h.fs.mkdir(path.join(root, 'file'), { mode: 0o755 }), { code: 'EEXIST' });
    } finally {
      process.umask(old);
    }
  }));

test('real fs: remove never follows a symlink out', () =>
  withTempRoot(async (root) => {
    const h = realHost();
    const outside = path.join(root, 'outside');
    await mkdir(outside);
    await writeFile(path.join(outside, 'keep'), 'k');
    // A link as the removed path itself, and a link inside a removed tree.
    await symlink(outside, path.join(root, 'link'));
    await mkdir(path.join(root, 'tree/sub'), { recursive: true });
    await symlink(outside, path.join(root, 'tree/sub/link'));
    await writeFile(path.join(root, 'tree/sub/f'), 'f');
    await h.fs.remove(path.join(root, 'link'));
    await h.fs.remove(path.join(root, 'tree'));
    assert.deepEqual(await readdir(root), ['outside']);
    assert.equal(await readFile(path.join(outside, 'keep'), 'utf8'), 'k');
    assert.deepEqual(h.mutations.map((m) => m.action === 'remove' && m.previous.existed && m.previous.kind),
      ['symlink', 'directory']);
  }));

test('real fs: relative paths are taken from cwd; realPath is the absolute path', () =>
  withTempRoot(async (root) => {
    const h = realHost({ cwd: root });
    await h.fs.write('kubeadm.yaml', 'x', { mode: 0o644 });
    assert.equal(await readFile(path.join(root, 'kubeadm.yaml'), 'utf8'), 'x');
    assert.equal(h.fs.realPath('a/../b'), path.join(root, 'b'));
  }));

test('real fs: writeAll stages every file before renaming any, in order, and records each write', () =>
  withTempRoot(async (root) => {
    const h = realHost();
    const key = path.join(root, 'pki/apiserver.key');
    const crt = path.join(root, 'pki/apiserver.crt');
    await h.fs.writeAll([{ path: key, data: 'key', mode: 0o600 }, { path: crt, data: 'crt', mode: 0o644 }]);
    assert.equal(await readFile(key, 'utf8'), 'key');
    assert.equal((await stat(key)).mode & 0o7777, 0o600);
    assert.equal((await stat(crt)).mode & 0o7777, 0o644);
    assert.deepEqual(h.mutations.map((m) => m.action === 'write' && [m.path, m.mode]), [[key, 0o600], [crt, 0o644]]);
    assert.deepEqual(await readdir(path.join(root, 'pki')), ['apiserver.crt', 'apiserver.key'], 'no temporary file is left');
  }));

test('real fs: writeAll that cannot write one file writes none of them and leaves no temporary file', () =>
  withTempRoot(async (root) => {
    const h = realHost();
    await mkdir(path.join(root, 'pki/front-proxy-client.crt'), { recursive: true });
    const key = path.join(root, 'pki/front-proxy-client.key');
    await assert.rejects(
      h.fs.writeAll([{ path: key, data: 'key', mode: 0o600 }, { path: path.join(root, 'pki/front-proxy-client.crt'), data: 'crt', mode: 0o644 }]),
      { code: 'EISDIR' },
    );
    assert.deepEqual(await readdir(path.join(root, 'pki')), ['front-proxy-client.crt']);
    assert.deepEqual(h.mutations, []);
  }));
