// reset never follows a symlink: links planted in kubeadm's directories are unlinked, never followed, and a
// path behind a symlinked directory is left alone. Tried on a rootfs host (links resolve inside the root) and
// on a host whose paths the kernel resolves, as on a real machine (links may point out of the root).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile, mkdir, rename, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { cleanEtcdDataDir, kubeadmFileCleanup, revertHostFiles } from '../../src/cleanup/host-files.js';
import { reach } from '../../src/cleanup/safe-path.js';
import type { Host, Mutation } from '../../src/host/host.js';
import { nodeFs } from '../../src/host/node-fs.js';
import type { HostJournal } from '../../src/journal/journal.js';
import { captureOutput } from '../../src/output/output.js';
import { resetContext } from '../helpers/reset-context.js';
import { tempRootHost, withTempRoot } from '../helpers/temp-root.js';
import { treeListing } from '../helpers/tree-listing.js';
import { journaledRun, link, put } from './journal-fixture.js';

/** Host paths are root + path and the kernel follows every link, as realHost does on a machine. */
function kernelPathHost(root: string): Host {
  const mutations: Mutation[] = [];
  const fs = nodeFs(mutations, {
    toReal: (p) => path.join(root, p),
    toHost: (real) => `/${path.relative(root, real).split(path.sep).join('/')}`,
    cwd: '/',
    root,
  });
  return { ...tempRootHost(root), fs, mutations };
}

async function withOutside<T>(fn: (outside: string) => Promise<T>): Promise<T> {
  const outside = await mkdtemp(path.join(os.tmpdir(), 'tskubeadm-outside-'));
  try {
    await writeFile(path.join(outside, 'keep.txt'), 'not the cluster\'s\n');
    await writeFile(path.join(outside, 'ca.crt'), 'someone else\'s CA\n');
    return await fn(outside);
  } finally {
    await rm(outside, { recursive: true, force: true });
  }
}

async function reset(host: Host, journal: HostJournal | undefined) {
  const ctx = resetContext({ host, ...(journal ? { journal } : {}), out: captureOutput() });
  await cleanEtcdDataDir(ctx, '/var/lib/etcd');
  await revertHostFiles(ctx, kubeadmFileCleanup(ctx, { unmounted: true }));
  return ctx;
}

const initLike = async (h: Host) => {
  await h.fs.write('/etc/kubernetes/pki/ca.crt', 'CA\n', { mode: 0o644 });
  await h.fs.write('/etc/kubernetes/admin.conf', 'admin\n', { mode: 0o600 });
  await h.fs.write('/var/lib/kubelet/kubeadm-flags.env', 'X=1\n', { mode: 0o644 });
};

for (const [name, hostOf] of [['kernel-resolved paths', kernelPathHost], ['rootfs host', tempRootHost]] as const) {
  test(`${name}: links planted in kubeadm's directories are unlinked, their targets untouched`, () =>
    withOutside((outside) =>
      withTempRoot(async (root) => {
        await put(root, '/home/user/data/keep.txt', 'mine\n');
        const journal = await journaledRun(root, initLike);
        await link(root, '/etc/kubernetes/pki/outside-abs', outside);
        await link(root, '/etc/kubernetes/pki/outside-rel', path.relative(path.join(root, 'etc/kubernetes/pki'), outside));
        await link(root, '/etc/kubernetes/manifests/to-home', '/home/user/data');
        await link(root, '/var/lib/kubelet/outside-file', path.join(outside, 'keep.txt'));
        await link(root, '/etc/kubernetes/scheduler.conf', path.join(outside, 'keep.txt'));
        const ctx = await reset(hostOf(root), journal);
        assert.equal(await readFile(path.join(outside, 'keep.txt'), 'utf8'), 'not the cluster\'s\n');
        assert.equal(await readFile(path.join(outside, 'ca.crt'), 'utf8'), 'someone else\'s CA\n');
        assert.equal(await readFile(path.join(root, 'home/user/data/keep.txt'), 'utf8'), 'mine\n');
        const left = await treeListing(root);
        for (const p of ['/etc/kubernetes/pki/outside-abs', '/etc/kubernetes/pki/outside-rel', '/etc/kubernetes/manifests/to-home',
          '/var/lib/kubelet/outside-file', '/etc/kubernetes/scheduler.conf']) {
          assert.ok(!left.has(p), `${p} unlinked`);
          assert.ok(ctx.report.actions.some((a) => a.kind === 'removed' && a.item === p));
        }
      })));

  test(`${name}: a symlinked certificates directory is not followed, with or without a journal`, () =>
    withOutside((outside) =>
      withTempRoot(async (root) => {
        const journal = await journaledRun(root, initLike);
        // Someone swaps the directory for a link to a directory that holds a file of the same name.
        await rename(path.join(root, 'etc/kubernetes/pki'), path.join(root, 'pki-moved'));
        await symlink(outside, path.join(root, 'etc/kubernetes/pki'));
        for (const j of [journal, undefined]) {
          const ctx = await reset(hostOf(root), j);
          assert.equal(await readFile(path.join(outside, 'ca.crt'), 'utf8'), 'someone else\'s CA\n');
          assert.equal(await readFile(path.join(outside, 'keep.txt'), 'utf8'), 'not the cluster\'s\n');
          if (j !== undefined) assert.ok(ctx.report.leftovers.some((l) => l.item === '/etc/kubernetes/pki' && /symlink/.test(l.reason)));
        }
      })));

  test(`${name}: an ancestor that is a symlink stops reset (etcd data directory behind a link)`, () =>
    withOutside((outside) =>
      withTempRoot(async (root) => {
        await mkdir(path.join(root, 'var/lib'), { recursive: true });
        await symlink(outside, path.join(root, 'var/lib/etcd'));
        await put(root, '/etc/kubernetes/admin.conf', 'admin\n');
        const ctx = resetContext({ host: hostOf(root), out: captureOutput() });
        await cleanEtcdDataDir(ctx, '/var/lib/etcd');
        assert.equal(await readFile(path.join(outside, 'keep.txt'), 'utf8'), 'not the cluster\'s\n');
        assert.ok(ctx.report.leftovers.some((l) => l.item === '/var/lib/etcd'));
        assert.doesNotMatch((ctx.out as ReturnType<typeof captureOutput>).stdout(), /Deleted contents/);
      })));
}

test('reach: lstats every component and names the first symlink on the way', () =>
  withTempRoot(async (root) => {
    await put(root, '/a/b/c', 'x\n');
    await link(root, '/a/l', 'b');
    const host = tempRootHost(root);
    assert.deepEqual(await reach(host, '/a/l/c'), { ok: false, symlink: '/a/l' });
    const r = await reach(host, '/a/l');
    assert.ok(r.ok && r.info?.kind === 'symlink', 'the last component is lstat\'ed, not followed');
    const c = await reach(host, '/a/b/c');
    assert.ok(c.ok && c.info?.kind === 'file');
    assert.deepEqual(await reach(host, '/a/b/c/d'), { ok: true, info: undefined });
  }));
