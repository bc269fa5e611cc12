import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, lstat, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describeMutation, dryRunHost } from '../../src/host/dry-run-host.js';
import { fakeHost } from '../helpers/fake-host.js';
import { tempRootHost, withTempRoot } from '../helpers/temp-root.js';

/** Every entry under `dir` with its content (files) or kind, for before/after comparisons. */
async function snapshot(dir: string, out: Record<string, string> = {}): Promise<Record<string, string>> {
  for (const name of (await readdir(dir)).sort()) {
    const p = path.join(dir, name);
    const st = await lstat(p);
    if (st.isDirectory()) {
      out[p] = `dir ${(st.mode & 0o7777).toString(8)}`;
      await snapshot(p, out);
    } else out[p] = st.isFile() ? `file ${await readFile(p, 'utf8')}` : 'other';
  }
  return out;
}

test('dry-run: writes land only under the dry-run dir; reads see them', () =>
  withTempRoot(async (root) => {
    await mkdir(path.join(root, 'etc/kubernetes/pki'), { recursive: true });
    await writeFile(path.join(root, 'etc/kubernetes/admin.conf'), 'real admin');
    await writeFile(path.join(root, 'etc/kubernetes/pki/ca.crt'), 'real ca');
    const dir = '/etc/kubernetes/tmp/kubeadm-init-dryrun1';
    const before = await snapshot(root);
    const h = dryRunHost(tempRootHost(root), dir);
    assert.equal(h.dryRun, true);
    await h.fs.write('/etc/kubernetes/admin.conf', 'new admin', { mode: 0o600 });
    await h.fs.write('/etc/kubernetes/manifests/etcd.yaml', 'pod', { mode: 0o600 });
    await h.fs.mkdir('/var/lib/etcd', { mode: 0o700 });
    await h.fs.remove('/etc/kubernetes/pki');
    assert.equal(await h.fs.readText('/etc/kubernetes/admin.conf'), 'new admin');
    assert.equal(await h.fs.readText('/etc/kubernetes/manifests/etcd.yaml'), 'pod');
    assert.equal(await h.fs.readText('/etc/kubernetes/pki/ca.crt'), undefined);
    assert.equal(await h.fs.stat('/etc/kubernetes/pki'), undefined);
    assert.equal((await h.fs.stat('/var/lib/etcd'))?.kind, 'directory');
    assert.deepEqual(await h.fs.list('/etc/kubernetes'), ['admin.conf', 'manifests', 'tmp']);
    assert.equal(h.fs.realPath('/etc/kubernetes/admin.conf'), path.join(root, dir, 'etc/kubernetes/admin.conf'));
    assert.equal(h.fs.realPath('/etc/hosts'), path.join(root, 'etc/hosts'));

    // Outside the dry-run dir nothing changed.
    const after = await snapshot(root);
    const outside = (s: Record<string, string>) =>
      Object.fromEntries(Object.entries(s).filter(([p]) => !p.startsWith(path.join(root, 'etc/kubernetes/tmp'))));
    assert.deepEqual(outside(after), outside(before));
    assert.equal(await readFile(path.join(root, dir, 'etc/kubernetes/admin.conf'), 'utf8'), 'new admin');

    assert.deepEqual(h.mutations.map(describeMutation), [
      '[dryrun] Would write file "/etc/kubernetes/admin.conf" (mode 0600, 9 bytes, replacing the existing one)',
      '[dryrun] Would write file "/etc/kubernetes/manifests/etcd.yaml" (mode 0600, 3 bytes)',
      '[dryrun] Would create directory "/var/lib/etcd" (mode 0700)',
      '[dryrun] Would remove directory and its contents "/etc/kubernetes/pki"',
    ]);
    const first = h.mutations[0];
    assert.ok(first?.action === 'write' && first.previous.existed && first.previous.content?.toString() === 'real admin');
    const second = h.mutations[1];
    assert.deepEqual(second?.action === 'write' && second.createdDirs, ['/etc/kubernetes/manifests']);
    const third = h.mutations[2];
    assert.deepEqual(third?.action === 'mkdir' && third.created, ['/var', '/var/lib', '/var/lib/etcd']);
  }));

test('dry-run: a removed directory made again hides the inner files that were under it', async () => {
  const inner = fakeHost({ files: { '/etc/kubernetes/pki/ca.crt': 'ca', '/etc/kubernetes/pki/ca.key': 'key' } });
  const h = dryRunHost(inner, '/tmp/dry');
  await h.fs.remove('/etc/kubernetes/pki');
  await h.fs.write('/etc/kubernetes/pki/ca.crt', 'new ca', { mode: 0o644 });
  assert.deepEqual(await h.fs.list('/etc/kubernetes/pki'), ['ca.crt']);
  assert.equal(await h.fs.readText('/etc/kubernetes/pki/ca.key'), undefined);
  assert.equal(await h.fs.readText('/etc/kubernetes/pki/ca.crt'), 'new ca');
  await h.fs.remove('/etc/kubernetes/pki/ca.crt');
  assert.equal(await h.fs.readText('/etc/kubernetes/pki/ca.crt'), undefined);
  assert.deepEqual(await h.fs.list('/etc/kubernetes/pki'), []);
  // The inner host kept its files; only the overlay dir was written.
  assert.deepEqual(Object.keys(inner.files()), ['/etc/kubernetes/pki/ca.crt', '/etc/kubernetes/pki/ca.key']);
  assert.ok(inner.mutations.every((m) => m.action !== 'exec' && m.path.startsWith('/tmp/dry')));
});

test('dry-run: mutating commands are recorded, not run; others run', () =>
  withTempRoot(async (root) => {
    const h = dryRunHost(tempRootHost(root), '/dry');
    const marker = path.join(root, 'marker');
    const r = await h.exec.run(['touch', marker], { mutates: true });
    assert.deepEqual(r, { exitCode: 0, stdout: '', stderr: '' });
    await assert.rejects(lstat(marker), { code: 'ENOENT' });
    const echo = await h.exec.run(['echo', 'hi'], { mutates: false });
    assert.equal(echo.stdout, 'hi\n');
    assert.deepEqual(h.mutations.map(describeMutation), [`[dryrun] Would run: touch ${marker}`]);
  }));

test('describeMutation quotes arguments for display and names what is removed', () => {
  assert.equal(describeMutation({ action: 'exec', argv: ['sh', '-c', "echo 'a b'"] }),
    `[dryrun] Would run: sh -c 'echo '"'"'a b'"'"''`);
  assert.equal(describeMutation({ action: 'remove', path: '/etc/kubernetes/admin.conf',
    previous: { existed: true, kind: 'file', mode: 0o600 } }), '[dryrun] Would remove file "/etc/kubernetes/admin.conf"');
  assert.equal(describeMutation({ action: 'remove', path: '/l', previous: { existed: true, kind: 'symlink', mode: 0o777 } }),
    '[dryrun] Would remove symbolic link "/l"');
});

test('dry-run: relative paths are taken from the given cwd', async () => {
  const h = dryRunHost(fakeHost({ files: { '/work/kubeadm.yaml': 'cfg' } }), '/dry', { cwd: '/work' });
  assert.equal(await h.fs.readText('kubeadm.yaml'), 'cfg');
  await h.fs.write('out/new.yaml', 'n', { mode: 0o644 });
  assert.equal(await h.fs.readText('/work/out/new.yaml'), 'n');
  assert.deepEqual(h.mutations.map((m) => m.action === 'write' && m.path), ['/work/out/new.yaml']);
});

test('dry-run: writeAll lands every file in the dry-run dir and plans each write', () =>
  withTempRoot(async (root) => {
    const dir = '/etc/kubernetes/tmp/kubeadm-init-dryrun2';
    const h = dryRunHost(tempRootHost(root), dir);
    await h.fs.writeAll([
      { path: '/etc/kubernetes/pki/sa.key', data: 'private', mode: 0o600 },
      { path: '/etc/kubernetes/pki/sa.pub', data: 'public', mode: 0o600 },
    ]);
    assert.equal(await h.fs.readText('/etc/kubernetes/pki/sa.pub'), 'public');
    assert.equal(await readFile(path.join(root, dir, 'etc/kubernetes/pki/sa.key'), 'utf8'), 'private');
    assert.deepEqual(await readdir(path.join(root, 'etc/kubernetes')), ['tmp'], 'nothing outside the dry-run dir');
    assert.deepEqual(h.mutations.map(describeMutation), [
      '[dryrun] Would write file "/etc/kubernetes/pki/sa.key" (mode 0600, 7 bytes)',
      '[dryrun] Would write file "/etc/kubernetes/pki/sa.pub" (mode 0600, 6 bytes)',
    ]);
    const [first, second] = h.mutations;
    assert.ok(first?.action === 'write' && first.createdDirs?.includes('/etc/kubernetes/pki'), 'the first file makes the directory');
    assert.ok(second?.action === 'write' && second.createdDirs === undefined, 'the second does not make it again');
  }));
