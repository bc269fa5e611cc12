import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { mountPointsOf, mountsUnder, unmountKubeletDir } from '../../src/cleanup/kubelet-mounts.js';
import { defaultResetConfig } from '../../src/config/default-configs.js';
import type { ResetConfig } from '../../src/config/types.js';
import { dryRunHost } from '../../src/host/index.js';
import { captureOutput } from '../../src/output/output.js';
import { fakeHost, type FakeCommand } from '../helpers/fake-host.js';
import { resetContext } from '../helpers/reset-context.js';
import { tempRootHost, withTempRoot } from '../helpers/temp-root.js';

const line = (id: number, point: string, fs = 'tmpfs') => `${id} 22 0:${id} / ${point} rw,relatime shared:${id} - ${fs} ${fs} rw`;

/** The kernel's table: the root, the kubelet dir itself (a separate disk), Pod volumes (one with a space in
 *  its name, escaped as \040), a nested plugin mount, and a sibling directory that only shares the prefix. */
const mountinfo = [
  '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro',
  line(300, '/var/lib/kubelet', 'ext4'),
  line(301, '/var/lib/kubelet/pods/abc/volumes/kubernetes.io~projected/kube-api-access-x'),
  line(302, '/var/lib/kubelet/plugins'),
  line(303, '/var/lib/kubelet/pods/abc/volumes/kubernetes.io~csi/my\\040vol/mount', 'ext4'),
  line(304, '/var/lib/kubelet/plugins/kubernetes.io/csi/x/globalmount', 'ext4'),
  line(305, '/var/lib/kubelet-other/x'),
  '',
].join('\n');

const withFlags = (...unmountFlags: string[]): ResetConfig => {
  const d = defaultResetConfig();
  return { ...d, reset: { ...d.reset, unmountFlags } };
};

const umounts = (calls: readonly { argv: readonly string[] }[]) => calls.filter((c) => c.argv[0] === 'umount').map((c) => c.argv.join(' '));

test('mountinfo: field 5, octal escapes decoded; only mounts strictly under the directory, deepest first', () => {
  const points = mountPointsOf(mountinfo);
  assert.equal(points[4], '/var/lib/kubelet/pods/abc/volumes/kubernetes.io~csi/my vol/mount');
  assert.deepEqual(mountPointsOf('1 2 3:4 / /a\\011b\\012c\\134d rw - x x rw\n'), ['/a\tb\nc\\d']);
  assert.deepEqual(mountsUnder(points, '/var/lib/kubelet'), [
    '/var/lib/kubelet/pods/abc/volumes/kubernetes.io~csi/my vol/mount',
    '/var/lib/kubelet/plugins/kubernetes.io/csi/x/globalmount',
    '/var/lib/kubelet/pods/abc/volumes/kubernetes.io~projected/kube-api-access-x',
    '/var/lib/kubelet/plugins',
  ]);
  // Two mounts stacked on one point: two umounts, the later one first (then the deeper-first order holds).
  assert.deepEqual(mountsUnder(['/k/a', '/k/a/b', '/k/a'], '/k'), ['/k/a/b', '/k/a', '/k/a']);
});

test('every mount under /var/lib/kubelet is unmounted, deepest first, as mutations; the directory itself and its prefix-sibling are not', async () => {
  const host = fakeHost({ dirs: ['/var/lib/kubelet'], kernelFiles: { '/proc/self/mountinfo': mountinfo }, commands: { umount: {} } });
  const out = captureOutput();
  const ctx = resetContext({ host, out });
  assert.equal(await unmountKubeletDir(ctx), true);
  assert.equal(out.stdout(), '[reset] Unmounting mounted directories in "/var/lib/kubelet"\n');
  assert.equal(out.stderr(), '');
  assert.deepEqual(umounts(host.execCalls), [
    'umount /var/lib/kubelet/pods/abc/volumes/kubernetes.io~csi/my vol/mount',
    'umount /var/lib/kubelet/plugins/kubernetes.io/csi/x/globalmount',
    'umount /var/lib/kubelet/pods/abc/volumes/kubernetes.io~projected/kube-api-access-x',
    'umount /var/lib/kubelet/plugins',
  ]);
  assert.ok(host.execCalls.filter((c) => c.argv[0] === 'umount').every((c) => c.opts.mutates));
  assert.equal(ctx.report.actions.filter((a) => a.kind === 'unmounted').length, 4);
});

test('unmountFlags map to umount(8) options', async () => {
  const host = fakeHost({ dirs: ['/var/lib/kubelet'], kernelFiles: { '/proc/self/mountinfo': line(9, '/var/lib/kubelet/pods/p') }, commands: { umount: {} } });
  const ctx = resetContext({ host, cfg: withFlags('MNT_DETACH', 'MNT_FORCE', 'UMOUNT_NOFOLLOW') });
  assert.equal(await unmountKubeletDir(ctx), true);
  assert.deepEqual(umounts(host.execCalls), ['umount --lazy --force --no-canonicalize /var/lib/kubelet/pods/p']);
});

test('MNT_EXPIRE cannot be applied: nothing is unmounted, each mount is a leftover, and the contents are to be kept', async () => {
  const host = fakeHost({ dirs: ['/var/lib/kubelet'], kernelFiles: { '/proc/self/mountinfo': mountinfo }, commands: { umount: {} } });
  const out = captureOutput();
  const ctx = resetContext({ host, out, cfg: withFlags('MNT_EXPIRE') });
  assert.equal(await unmountKubeletDir(ctx), false);
  assert.deepEqual(umounts(host.execCalls), []);
  assert.match(out.stderr(), /MNT_EXPIRE is not supported by tskubeadm/);
  assert.equal(ctx.report.leftovers.filter((l) => l.kind === 'mount').length, 4);
});

test('a busy mount: a warning and a leftover for it, the others still unmounted, and false (keep the contents)', async () => {
  const busy = '/var/lib/kubelet/pods/abc/volumes/kubernetes.io~projected/kube-api-access-x';
  const umount: FakeCommand = (argv) => (argv.at(-1) === busy ? { exitCode: 32, stderr: `umount: ${busy}: target is busy.\n` } : {});
  const host = fakeHost({ dirs: ['/var/lib/kubelet'], kernelFiles: { '/proc/self/mountinfo': mountinfo }, commands: { umount } });
  const out = captureOutput();
  const ctx = resetContext({ host, out });
  assert.equal(await unmountKubeletDir(ctx), false);
  assert.equal(umounts(host.execCalls).length, 4);
  assert.match(out.stderr(), /Failed to unmount mounted directory in \/var\/lib\/kubelet\/: .*kube-api-access-x: "umount .*" exited with status 32: umount: .*target is busy\./);
  assert.deepEqual(ctx.report.leftovers.map((l) => [l.kind, l.item]), [['mount', busy]]);
  assert.equal(ctx.report.leftovers[0]?.fix, `umount --lazy ${busy}, then run tskubeadm reset again`);
  assert.equal(ctx.report.actions.filter((a) => a.kind === 'unmounted').length, 3);
});

test('a failed umount of a point that is no longer mounted (taken down with another) counts as done', async () => {
  const kernel: Record<string, string> = { '/proc/self/mountinfo': [line(1, '/var/lib/kubelet/a'), line(2, '/var/lib/kubelet/b')].join('\n') };
  const umount: FakeCommand = (argv) => {
    if (argv.at(-1) === '/var/lib/kubelet/b') {
      kernel['/proc/self/mountinfo'] = ''; // propagation took /var/lib/kubelet/a down too
      return {};
    }
    return { exitCode: 32, stderr: 'umount: /var/lib/kubelet/a: not mounted.\n' };
  };
  const host = fakeHost({ dirs: ['/var/lib/kubelet'], kernelFiles: kernel, commands: { umount } });
  const out = captureOutput();
  const ctx = resetContext({ host, out });
  assert.equal(await unmountKubeletDir(ctx), true);
  assert.equal(out.stderr(), '');
  assert.deepEqual(ctx.report.leftovers, []);
});

test('no /var/lib/kubelet: kubeadm\'s "Skipping unmount" warning and false, nothing run', async () => {
  const host = fakeHost({ kernelFiles: { '/proc/self/mountinfo': mountinfo }, commands: { umount: {} } });
  const out = captureOutput();
  assert.equal(await unmountKubeletDir(resetContext({ host, out })), false);
  assert.equal(out.stderr(), '[reset] Skipping unmount of directories in "/var/lib/kubelet": lstat /var/lib/kubelet: no such file or directory\n');
  assert.equal(out.stdout(), '');
  assert.deepEqual(host.execCalls, []);
});

test('nothing mounted under it: true, no umount', async () => {
  const host = fakeHost({ dirs: ['/var/lib/kubelet'], kernelFiles: { '/proc/self/mountinfo': line(1, '/var/lib/kubelet') }, commands: { umount: {} } });
  assert.equal(await unmountKubeletDir(resetContext({ host })), true);
  assert.deepEqual(umounts(host.execCalls), []);
});

test('--rootfs with /var/lib/kubelet a symlink to another disk: the mounts under the resolved machine path are the ones unmounted', async () => {
  await withTempRoot(async (root) => {
    await mkdir(path.join(root, 'data/kubelet/pods'), { recursive: true });
    await mkdir(path.join(root, 'var/lib'), { recursive: true });
    await symlink('/data/kubelet', path.join(root, 'var/lib/kubelet')); // absolute: inside the root, as a chroot sees it
    const real = path.join(root, 'data/kubelet');
    const table = [line(1, `${real}/pods/p/volumes/v`), line(2, '/var/lib/kubelet/pods/of-the-machine')].join('\n');
    const host = tempRootHost(root, { kernelFiles: { '/proc/self/mountinfo': table }, commands: { umount: {} } });
    const ctx = resetContext({ host });
    assert.equal(await unmountKubeletDir(ctx), true);
    assert.deepEqual(ctx.report.actions, [{ kind: 'unmounted', item: `${real}/pods/p/volumes/v` }]);
  });
});

test('--dry-run: kubeadm\'s "Would unmount" line; the umounts are recorded by the dry-run host, not run', async () => {
  const inner = fakeHost({
    dirs: ['/var/lib/kubelet'], kernelFiles: { '/proc/self/mountinfo': mountinfo },
    commands: { umount: () => assert.fail('the dry run ran umount') },
  });
  const host = dryRunHost(inner, '/tmp/dry', { cwd: '/' });
  const out = captureOutput();
  const ctx = resetContext({ host, out, dryRun: true });
  assert.equal(await unmountKubeletDir(ctx), true);
  assert.equal(out.stdout(), '[dryrun] Would unmount mounted directories in "/var/lib/kubelet"\n');
  assert.equal(host.mutations.length, 4);
  assert.deepEqual(host.mutations[0], { action: 'exec', argv: ['umount', '/var/lib/kubelet/pods/abc/volumes/kubernetes.io~csi/my vol/mount'] });
  assert.deepEqual(inner.mutations, []);
});
