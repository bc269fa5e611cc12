// reset's file reversal on temp roots: a hand-built journal of an init-like run, the user's files before it,
// the cluster's after it; reset must leave the root as it was before (whole-tree comparison).
import assert from 'node:assert/strict';
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { kubeadmFileCleanup, revertHostFiles, cleanEtcdDataDir } from '../../src/cleanup/host-files.js';
import { defaultResetConfig } from '../../src/config/default-configs.js';
import type { ResetConfig } from '../../src/config/types.js';
import { dryRunHost } from '../../src/host/dry-run-host.js';
import type { Host } from '../../src/host/host.js';
import type { HostJournal } from '../../src/journal/journal.js';
import { captureOutput } from '../../src/output/output.js';
import type { ResetContext } from '../../src/phases/reset/context.js';
import { resetContext } from '../helpers/reset-context.js';
import { tempRootHost, withTempRoot } from '../helpers/temp-root.js';
import { treeListing } from '../helpers/tree-listing.js';
import { journaledRun, put, snapshotOf, defaultWatched } from './journal-fixture.js';

/** What a user had before init. */
async function userFiles(root: string): Promise<void> {
  await put(root, '/etc/hosts', '127.0.0.1 localhost\n');
  await put(root, '/etc/kubernetes/notes.txt', 'my notes\n');
  await put(root, '/etc/kubernetes/pki/README.user', 'my sentinel\n', 0o600);
  await put(root, '/var/lib/kubelet/config.yaml', '# the kubelet config the image shipped\n', 0o640);
  await put(root, '/var/lib/kubelet/sentinel', 'mine\n');
  await put(root, '/etc/cni/net.d/99-loopback.conf', '{"type":"loopback"}\n');
  await put(root, '/etc/default/kubelet', 'KUBELET_EXTRA_ARGS=--v=2\n', 0o640);
}

/** What an init writes through the host (journaled). */
async function initLike(host: Host): Promise<void> {
  const w = (p: string, text: string, mode = 0o600) => host.fs.write(p, text, { mode });
  await w('/etc/kubernetes/pki/ca.crt', 'CA\n', 0o644);
  await w('/etc/kubernetes/pki/ca.key', 'KEY\n');
  await w('/etc/kubernetes/pki/etcd/ca.crt', 'ETCD CA\n', 0o644);
  await w('/etc/kubernetes/admin.conf', 'admin\n');
  await w('/etc/kubernetes/super-admin.conf', 'super\n');
  await w('/etc/kubernetes/manifests/kube-apiserver.yaml', 'apiserver\n');
  await w('/etc/kubernetes/manifests/etcd.yaml', 'etcd\n');
  await host.fs.mkdir('/var/lib/etcd', { mode: 0o700 });
  await w('/var/lib/kubelet/config.yaml', 'kind: KubeletConfiguration\n', 0o644);
  await w('/var/lib/kubelet/kubeadm-flags.env', 'KUBELET_KUBEADM_ARGS=""\n', 0o644);
  await w('/etc/default/kubelet', 'KUBELET_EXTRA_ARGS=--node-ip=10.0.0.1\n', 0o644);
  await w('/etc/systemd/system/kubelet.service.d/10-kubeadm.conf', '[Service]\n', 0o644);
}

/** What the kubelet, etcd and a CNI plugin make after init (not journaled). */
async function clusterFiles(root: string): Promise<void> {
  await put(root, '/etc/kubernetes/kubelet.conf', 'kubelet\n', 0o600);
  await put(root, '/var/lib/kubelet/pki/kubelet-client-current.pem', 'cert\n', 0o600);
  await put(root, '/var/lib/kubelet/pods/uid-1/volumes/x', 'data\n');
  await put(root, '/var/lib/etcd/member/snap/db', 'db\n', 0o600);
  await put(root, '/etc/cni/net.d/10-flannel.conflist', '{"name":"cbr0"}\n');
  await put(root, '/var/lib/cni/networks/cbr0/10.244.0.2', 'id\n');
}

async function scenario(root: string): Promise<{ before: Map<string, string>; journal: HostJournal }> {
  await userFiles(root);
  const before = await treeListing(root);
  const journal = await journaledRun(root, initLike);
  await clusterFiles(root);
  return { before, journal };
}

function ctxFor(host: Host, journal: HostJournal | undefined, o: { dryRun?: boolean; cfg?: Partial<ResetConfig['reset']> } = {}): ResetContext {
  const base = defaultResetConfig();
  return resetContext({
    host, ...(journal ? { journal } : {}), dryRun: o.dryRun ?? false, out: captureOutput(2),
    cfg: { ...base, reset: { ...base.reset, ...o.cfg } },
  });
}

async function fullReset(ctx: ResetContext, unmounted = true): Promise<void> {
  await cleanEtcdDataDir(ctx, '/var/lib/etcd');
  await revertHostFiles(ctx, kubeadmFileCleanup(ctx, { unmounted }));
}

const stdout = (ctx: ResetContext) => (ctx.out as ReturnType<typeof captureOutput>).stdout();
const stderr = (ctx: ResetContext) => (ctx.out as ReturnType<typeof captureOutput>).stderr();

test('init then reset: the root is as before init, user files kept, the replaced file restored byte-exact with its mode', () =>
  withTempRoot(async (root) => {
    const { before, journal } = await scenario(root);
    const ctx = ctxFor(tempRootHost(root), journal);
    await fullReset(ctx);
    assert.deepEqual(await treeListing(root), before);
    assert.equal((await stat(path.join(root, 'var/lib/kubelet/config.yaml'))).mode & 0o777, 0o640);
    assert.equal(await readFile(path.join(root, 'etc/default/kubelet'), 'utf8'), 'KUBELET_EXTRA_ARGS=--v=2\n');

    const out = stdout(ctx);
    assert.match(out, /^\[reset\] Deleted contents of the etcd data directory: \/var\/lib\/etcd$/m);
    assert.match(out, /^\[reset\] Deleting contents of directories: \[\/etc\/kubernetes\/manifests \/var\/lib\/kubelet \/etc\/kubernetes\/pki\]$/m);
    assert.match(out, /^\[reset\] Deleting files: \[\/etc\/kubernetes\/admin\.conf \/etc\/kubernetes\/super-admin\.conf \/etc\/kubernetes\/kubelet\.conf \/etc\/kubernetes\/bootstrap-kubelet\.conf \/etc\/kubernetes\/controller-manager\.conf \/etc\/kubernetes\/scheduler\.conf\]$/m);
    assert.match(out, /^\[reset\] Restored \/var\/lib\/kubelet\/config\.yaml as it was before tskubeadm$/m);
    assert.doesNotMatch(stderr(ctx), /non-default/);

    const restored = ctx.report.actions.filter((a) => a.kind === 'restored').map((a) => a.item).sort();
    assert.deepEqual(restored, ['/etc/default/kubelet', '/var/lib/kubelet/config.yaml']);
    const removed = new Set(ctx.report.actions.filter((a) => a.kind === 'removed').map((a) => a.item));
    for (const p of ['/var/lib/kubelet/pki', '/etc/cni/net.d/10-flannel.conflist', '/var/lib/cni', '/etc/systemd', '/var/lib/etcd',
      '/etc/kubernetes/kubelet.conf', '/var/lib/tskubeadm/journal.json']) assert.ok(removed.has(p), `${p} removed`);
    assert.ok(!removed.has('/etc/kubernetes/pki/README.user') && !removed.has('/etc/cni/net.d/99-loopback.conf'));
    assert.deepEqual(ctx.report.leftovers, []);
  }));

test('a second reset finds no journal and no sign of a node: it changes nothing', () =>
  withTempRoot(async (root) => {
    const { before, journal } = await scenario(root);
    await fullReset(ctxFor(tempRootHost(root), journal));
    const again = ctxFor(tempRootHost(root), undefined);
    await fullReset(again);
    assert.deepEqual(await treeListing(root), before);
    assert.deepEqual(again.report.actions, []);
    assert.match(stdout(again), /^\[reset\] Deleting files: \[/m, "kubeadm's lines stay");
  }));

test('--dry-run changes nothing on disk, and its report lists what the real run does', () =>
  withTempRoot(async (realRoot) =>
    withTempRoot(async (dryRoot) => {
      const real = await scenario(realRoot);
      const { journal } = await scenario(dryRoot);
      const beforeDry = await treeListing(dryRoot);
      const dry = ctxFor(dryRunHost(tempRootHost(dryRoot), '/tmp/tskubeadm-dryrun', { cwd: '/' }), journal, { dryRun: true });
      await fullReset(dry);
      const withoutOverlay = (m: Map<string, string>) => new Map([...m].filter(([p]) => !p.startsWith('/tmp')));
      assert.deepEqual(withoutOverlay(await treeListing(dryRoot)), beforeDry);
      assert.match(stdout(dry), /^\[dryrun\] Would delete contents of directories: \[/m);
      assert.match(stdout(dry), /^\[dryrun\] Would delete files: \[/m);
      assert.match(stdout(dry), /^\[dryrun\] Would delete contents of the etcd data directory: \/var\/lib\/etcd$/m);
      assert.match(stdout(dry), /^\[dryrun\] Would restore \/etc\/default\/kubelet as it was before tskubeadm$/m);

      const wet = ctxFor(tempRootHost(realRoot), real.journal);
      await fullReset(wet);
      assert.deepEqual(dry.report.actions, wet.report.actions);
      assert.deepEqual(dry.report.leftovers, wet.report.leftovers);
    })));

test('a directory tskubeadm created is removed when empty, reported when it holds something else', () =>
  withTempRoot(async (root) => {
    const { journal } = await scenario(root);
    await put(root, '/etc/systemd/system/kubelet.service.d/20-mine.conf', '[Service]\n');
    const ctx = ctxFor(tempRootHost(root), journal);
    await fullReset(ctx);
    assert.equal(await readFile(path.join(root, 'etc/systemd/system/kubelet.service.d/20-mine.conf'), 'utf8'), '[Service]\n');
    assert.ok(ctx.report.actions.some((a) => a.item === '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf'));
    const left = ctx.report.leftovers.map((l) => l.item);
    assert.deepEqual(left, ['/etc/systemd/system/kubelet.service.d'], 'only the innermost directory is reported');
    assert.match(ctx.report.leftovers[0]!.reason, /holds files tskubeadm did not create/);
  }));

test('a file tskubeadm created and someone changed: kept outside kubeadm\'s lists, removed inside them', () =>
  withTempRoot(async (root) => {
    const { journal } = await scenario(root);
    await put(root, '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf', '[Service]\nEnvironment=EDITED=1\n');
    await put(root, '/etc/kubernetes/admin.conf', 'edited admin\n', 0o600);
    const ctx = ctxFor(tempRootHost(root), journal);
    await fullReset(ctx);
    assert.ok(ctx.report.actions.some((a) => a.kind === 'removed' && a.item === '/etc/kubernetes/admin.conf'));
    const l = ctx.report.leftovers.find((x) => x.item === '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf');
    assert.match(l?.reason ?? '', /changed since tskubeadm wrote it/);
    assert.equal(await readFile(path.join(root, 'etc/systemd/system/kubelet.service.d/10-kubeadm.conf'), 'utf8'), '[Service]\nEnvironment=EDITED=1\n');
  }));

test('a truncated snapshot: only what the journal created is removed there, and the directory is reported', () =>
  withTempRoot(async (root) => {
    await userFiles(root);
    await put(root, '/etc/kubernetes/pki/a-user-file', 'x\n');
    const snap = await snapshotOf(root, defaultWatched);
    // The listing of /etc/kubernetes stopped before the pki entries.
    const ek = snap.dirs['/etc/kubernetes']!;
    const snapshot = { ...snap, dirs: { ...snap.dirs, '/etc/kubernetes': { ...ek, entries: ek.entries.filter((e) => !e.startsWith('pki')), truncated: true } } };
    const journal = await journaledRun(root, initLike, { snapshot });
    await put(root, '/etc/kubernetes/pki/made-by-someone', 'y\n');
    const ctx = ctxFor(tempRootHost(root), journal);
    await fullReset(ctx);
    const left = await treeListing(root);
    assert.ok(left.has('/etc/kubernetes/pki/a-user-file') && left.has('/etc/kubernetes/pki/README.user'));
    assert.ok(left.has('/etc/kubernetes/pki/made-by-someone'), 'not known to be the cluster\'s: kept');
    assert.ok(!left.has('/etc/kubernetes/pki/ca.key') && !left.has('/etc/kubernetes/pki/etcd'), 'journal-created: removed');
    assert.ok(ctx.report.leftovers.some((l) => l.item === '/etc/kubernetes/pki' && /not known/.test(l.reason)));
  }));

test('no journal on a node: kubeadm\'s lists (contents of its directories, its six files), CNI untouched', () =>
  withTempRoot(async (root) => {
    await userFiles(root);
    await initLike(tempRootHost(root));
    await clusterFiles(root);
    const ctx = ctxFor(tempRootHost(root), undefined);
    await revertHostFiles(ctx, kubeadmFileCleanup(ctx, { unmounted: true }));
    const left = [...(await treeListing(root)).keys()].filter((p) => p.startsWith('/etc/kubernetes') || p.startsWith('/var/lib/kubelet') || p.startsWith('/etc/cni'));
    assert.deepEqual(left.sort(), ['/etc/cni', '/etc/cni/net.d', '/etc/cni/net.d/10-flannel.conflist', '/etc/cni/net.d/99-loopback.conf',
      '/etc/kubernetes', '/etc/kubernetes/manifests', '/etc/kubernetes/notes.txt', '/etc/kubernetes/pki', '/var/lib/kubelet']);
  }));

test('no journal and no sign of a node: nothing is deleted', () =>
  withTempRoot(async (root) => {
    await userFiles(root);
    await put(root, '/etc/kubernetes/manifests/README', 'not a manifest\n');
    const before = await treeListing(root);
    const ctx = ctxFor(tempRootHost(root), undefined);
    await fullReset(ctx);
    assert.deepEqual(await treeListing(root), before);
    assert.deepEqual(ctx.report.actions, []);
  }));

test('kubeadm\'s lists: the kubelet directory only when unmounted, tmp only when asked, the non-default certificates warning', () =>
  withTempRoot(async (root) => {
    const host = tempRootHost(root);
    const plain = kubeadmFileCleanup(ctxFor(host, undefined), { unmounted: false });
    assert.deepEqual(plain.contentsOf, ['/etc/kubernetes/manifests', '/etc/kubernetes/pki']);
    assert.deepEqual(plain.kept.map((k) => k.dir), ['/var/lib/kubelet', '/etc/kubernetes/tmp']);
    assert.equal(plain.removeJournal, true);
    assert.deepEqual(plain.newEntriesOf, ['/etc/cni', '/var/lib/cni']);

    const ctx = ctxFor(host, undefined, { cfg: { cleanupTmpDir: true, certificatesDir: '/srv/pki' } });
    const all = kubeadmFileCleanup(ctx, { unmounted: true });
    assert.deepEqual(all.contentsOf, ['/etc/kubernetes/manifests', '/var/lib/kubelet', '/srv/pki', '/etc/kubernetes/tmp']);
    assert.deepEqual(all.kept, []);
    await revertHostFiles(ctx, all);
    assert.match(stderr(ctx), /^\[reset\] WARNING: Cleaning a non-default certificates directory: "\/srv\/pki"$/m);
  }));

test('a kept directory (unmount failed, tmp) is reported when it holds something and its contents stay', () =>
  withTempRoot(async (root) => {
    const { journal } = await scenario(root);
    await put(root, '/etc/kubernetes/tmp/kubeadm-backup/x', 'b\n');
    const ctx = ctxFor(tempRootHost(root), journal);
    await fullReset(ctx, false);
    const items = ctx.report.leftovers.map((l) => l.item).sort();
    assert.deepEqual(items, ['/etc/kubernetes/tmp', '/var/lib/kubelet']);
    const left = await treeListing(root);
    assert.ok(left.has('/var/lib/kubelet/pki/kubelet-client-current.pem') && left.has('/var/lib/kubelet/kubeadm-flags.env'));
    assert.ok(left.has('/var/lib/tskubeadm/journal.json'), 'the journal stays for the reset that finishes the job');
    assert.ok(!left.has('/etc/kubernetes/admin.conf'));
  }));

test('a journal that cannot be read: kubeadm\'s lists, and the broken journal goes, so the next init can keep one', () =>
  withTempRoot(async (root) => {
    await userFiles(root);
    await initLike(tempRootHost(root));
    await put(root, '/var/lib/tskubeadm/journal.json', '{"broken', 0o600);
    const ctx = ctxFor(tempRootHost(root), undefined);
    await revertHostFiles(ctx, kubeadmFileCleanup(ctx, { unmounted: true }));
    assert.equal((await treeListing(root)).has('/var/lib/tskubeadm/journal.json'), false);
    assert.ok(ctx.report.actions.some((a) => a.kind === 'removed' && a.item === '/var/lib/tskubeadm/journal.json'));
    assert.equal((await treeListing(root)).has('/etc/kubernetes/admin.conf'), false, 'kubeadm\'s files went');
  }));

test('a replaced file that cannot be written back is a leftover with the reason, and the rest of the reset goes on', () =>
  withTempRoot(async (root) => {
    const { journal } = await scenario(root);
    // /etc/default is a file now: writing /etc/default/kubelet back fails (ENOTDIR).
    await rm(path.join(root, 'etc/default'), { recursive: true });
    await put(root, '/etc/default', 'not a directory\n');
    const ctx = ctxFor(tempRootHost(root), journal);
    await fullReset(ctx);
    const l = ctx.report.leftovers.find((x) => x.item === '/etc/default/kubelet');
    assert.match(l?.reason ?? '', /could not be restored: /);
    assert.match(stderr(ctx), /^\[reset\] Failed to restore "\/etc\/default\/kubelet": /m);
    assert.ok(ctx.report.actions.some((a) => a.kind === 'restored' && a.item === '/var/lib/kubelet/config.yaml'));
    // The journal stays: a later reset without it would fall back on kubeadm's lists and miss what this one kept.
    assert.ok(!ctx.report.actions.some((a) => a.item === '/var/lib/tskubeadm/journal.json'));
    assert.ok((await treeListing(root)).has('/var/lib/tskubeadm/journal.json'));
  }));

test('a replaced file edited again after tskubeadm wrote it is kept, with the command that puts the earlier content back', () =>
  withTempRoot(async (root) => {
    const { journal } = await scenario(root);
    await put(root, '/etc/default/kubelet', 'KUBELET_EXTRA_ARGS=--node-ip=10.0.0.1 --v=4\n', 0o644);
    const ctx = ctxFor(tempRootHost(root), journal);
    await fullReset(ctx);
    assert.equal(await readFile(path.join(root, 'etc/default/kubelet'), 'utf8'), 'KUBELET_EXTRA_ARGS=--node-ip=10.0.0.1 --v=4\n', 'the edit is kept');
    const l = ctx.report.leftovers.find((x) => x.item === '/etc/default/kubelet');
    assert.match(l?.reason ?? '', /changed again since/);
    const blob = /^to put back what it held before tskubeadm: cp (\S+) (\S+)$/.exec(l?.fix ?? '');
    assert.ok(blob, l?.fix);
    assert.equal(await readFile(blob[1]!, 'utf8'), 'KUBELET_EXTRA_ARGS=--v=2\n', 'the fix names the kept earlier content');
    assert.equal(blob[2], path.join(root, 'etc/default/kubelet'));
    assert.ok(ctx.report.actions.some((a) => a.kind === 'restored' && a.item === '/var/lib/kubelet/config.yaml'), 'the other replaced file is restored');
  }));
