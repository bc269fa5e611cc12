import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { atomicWrite } from '../../src/host/atomic-write.js';
import { withTempRoot } from '../helpers/temp-root.js';

async function withUmask<T>(mask: number, fn: () => Promise<T>): Promise<T> {
  const old = process.umask(mask);
  try {
    return await fn();
  } finally {
    process.umask(old);
  }
}

for (const umask of [0o077, 0o000, 0o022]) {
  test(`atomicWrite applies the mode exactly under umask ${umask.toString(8).padStart(3, '0')}`, () =>
    withTempRoot(async (root) => {
      await withUmask(umask, async () => {
        for (const mode of [0o644, 0o600, 0o755, 0o666]) {
          const f = path.join(root, `f-${mode.toString(8)}`);
          await atomicWrite(f, Buffer.from('data'), mode);
          assert.equal((await stat(f)).mode & 0o7777, mode);
          // Replacing an existing file with other permissions applies the new mode too.
          await atomicWrite(f, Buffer.from('again'), 0o640);
          assert.equal((await stat(f)).mode & 0o7777, 0o640);
        }
      });
    }));
}

test('atomicWrite writes the content and leaves no temp file', () =>
  withTempRoot(async (root) => {
    const f = path.join(root, 'admin.conf');
    await writeFile(f, 'old contents that are longer');
    await atomicWrite(f, Buffer.from('new'), 0o600);
    assert.equal(await readFile(f, 'utf8'), 'new');
    assert.deepEqual(await readdir(root), ['admin.conf']);
  }));

test('atomicWrite replaces a symlink at the target instead of writing through it', () =>
  withTempRoot(async (root) => {
    const outside = path.join(root, 'outside');
    await writeFile(outside, 'precious');
    const link = path.join(root, 'link');
    await symlink(outside, link);
    await atomicWrite(link, Buffer.from('mine'), 0o600);
    assert.equal(await readFile(outside, 'utf8'), 'precious');
    assert.equal(await readFile(link, 'utf8'), 'mine');
  }));

test('a concurrent reader never sees a partial file', () =>
  withTempRoot(async (root) => {
    const f = path.join(root, 'big');
    const size = 2 * 1024 * 1024;
    const versions = ['a', 'b', 'c'].map((ch) => Buffer.alloc(size, ch));
    await atomicWrite(f, versions[0]!, 0o644);
    let writing = true;
    const writer = (async () => {
      for (let i = 0; i < 30; i++) await atomicWrite(f, versions[i % 3]!, 0o644);
      writing = false;
    })();
    let reads = 0;
    while (writing) {
      const got = await readFile(f);
      reads++;
      assert.equal(got.length, size, 'a read saw a file of the wrong size');
      assert.ok(versions.some((v) => v.equals(got)), 'a read saw mixed content');
    }
    await writer;
    assert.ok(reads > 0);
    assert.deepEqual(await readdir(root), ['big']);
  }));
