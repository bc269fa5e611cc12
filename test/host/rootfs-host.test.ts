import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveInRoot } from '../../src/host/rootfs-resolve.js';
import { rootfsHost } from '../../src/host/rootfs-host.js';
import { fakeHost } from '../helpers/fake-host.js';
import { tempRootHost, withTempRoot } from '../helpers/temp-root.js';

/** <base>/root is the rootfs; <base>/etc/passwd is "the real machine's" file it must never reach. */
async function plant(base: string): Promise<{ root: string; realPasswd: string }> {
  const root = path.join(base, 'root');
  await mkdir(path.join(root, 'etc/kubernetes'), { recursive: true });
  await writeFile(path.join(root, 'etc/passwd'), 'inside');
  await mkdir(path.join(base, 'etc'));
  const realPasswd = path.join(base, 'etc/passwd');
  await writeFile(realPasswd, 'outside');
  return { root, realPasswd };
}

test('rootfs: absolute paths map under the root', () =>
  withTempRoot(async (base) => {
    const { root } = await plant(base);
    const h = tempRootHost(root);
    await h.fs.write('/etc/kubernetes/admin.conf', 'conf', { mode: 0o600 });
    assert.equal(await readFile(path.join(root, 'etc/kubernetes/admin.conf'), 'utf8'), 'conf');
    assert.equal(h.fs.realPath('/etc/kubernetes/admin.conf'), path.join(root, 'etc/kubernetes/admin.conf'));
    assert.equal(await h.fs.readText('/etc/passwd'), 'inside');
    assert.deepEqual(await h.fs.list('/'), ['etc']);
    // Mutations name host paths, not real ones.
    assert.deepEqual(h.mutations.map((m) => m.action === 'write' && m.path), ['/etc/kubernetes/admin.conf']);
  }));

// `..` written in a path is lexical (as Go's filepath.Clean and the real host); `..` in a link target applies
// after the link, and neither can climb above the root.
test('rootfs: symlinks resolve inside the root (absolute, relative, and `..` that tries to climb out)', () =>
  withTempRoot(async (base) => {
    const { root, realPasswd } = await plant(base);
    const k = path.join(root, 'etc/kubernetes');
    await symlink('/etc/passwd', path.join(k, 'abs'));
    await symlink('../../../../../../../../etc/passwd', path.join(k, 'rel'));
    await symlink('/', path.join(k, 'rootlink'));
    await symlink('../..', path.join(k, 'up'));
    const h = tempRootHost(root);
    for (const p of ['/etc/kubernetes/abs', '/etc/kubernetes/rel', '/etc/kubernetes/rootlink/etc/passwd',
      '/etc/kubernetes/up/etc/kubernetes/up/etc/passwd', '/../../../etc/passwd', '/etc/kubernetes/../../../etc/passwd']) {
      assert.equal(await h.fs.readText(p), 'inside', p);
    }
    assert.equal(resolveInRoot(root, '/etc/kubernetes/abs', true), path.join(root, 'etc/passwd'));
    assert.equal(resolveInRoot(root, '/etc/kubernetes/abs', false), path.join(root, 'etc/kubernetes/abs'));
    // Writing through a link to a directory outside lands at that path re-rooted, never outside.
    // (The link names a test file, not the machine's /etc, so a broken resolver cannot harm this host.)
    await symlink(path.dirname(realPasswd), path.join(k, 'outdir'));
    await h.fs.write('/etc/kubernetes/outdir/passwd', 'changed', { mode: 0o644 });
    assert.equal(await readFile(path.join(root, realPasswd), 'utf8'), 'changed');
    assert.equal(await readFile(realPasswd, 'utf8'), 'outside');
  }));

test('rootfs: a write replaces a final symlink; remove unlinks links and never follows them out', () =>
  withTempRoot(async (base) => {
    const { root, realPasswd } = await plant(base);
    const outsideDir = path.join(base, 'etc');
    await symlink(realPasswd, path.join(root, 'etc/kubernetes/escape'));
    await symlink(outsideDir, path.join(root, 'etc/kubernetes/dirlink'));
    const h = tempRootHost(root);
    await h.fs.write('/etc/kubernetes/escape', 'new', { mode: 0o600 });
    assert.equal(await readFile(realPasswd, 'utf8'), 'outside');
    assert.equal(await h.fs.readText('/etc/kubernetes/escape'), 'new');
    assert.equal((await h.fs.stat('/etc/kubernetes/dirlink'))?.kind, 'symlink');
    await h.fs.remove('/etc/kubernetes/dirlink');
    await h.fs.remove('/etc/kubernetes');
    assert.deepEqual(await readdir(outsideDir), ['passwd']);
    assert.deepEqual(await readdir(path.join(root, 'etc')), ['passwd']);
    await assert.rejects(h.fs.remove('/'), { code: 'EPERM' });
  }));

test('rootfs: kernel files, exec and clock come from the inner host; mutating exec is recorded', async () => {
  const inner = fakeHost({ kernelFiles: { '/proc/sys/net/ipv4/ip_forward': '1\n' }, commands: { 'systemctl restart kubelet': {} } });
  const h = rootfsHost('/nonexistent-root', inner);
  assert.equal(await h.system.readKernelFile('/proc/sys/net/ipv4/ip_forward'), '1\n');
  assert.equal((await h.exec.run(['systemctl', 'restart', 'kubelet'], { mutates: true })).exitCode, 0);
  assert.deepEqual(h.mutations, [{ action: 'exec', argv: ['systemctl', 'restart', 'kubelet'] }]);
  assert.equal(h.fs.realPath('/etc/kubernetes'), '/nonexistent-root/etc/kubernetes');
  assert.equal(await h.fs.readText('/etc/kubernetes/admin.conf'), undefined);
  // A missing root is a usage error, and nothing is created on the way.
  await assert.rejects(h.fs.write('/etc/x', 'x', { mode: 0o600 }), { name: 'UsageError', message: /nonexistent-root/ });
  await assert.rejects(h.fs.mkdir('/var/lib/etcd', { mode: 0o700 }), { name: 'UsageError' });
});
