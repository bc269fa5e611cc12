import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeHost } from '../helpers/fake-host.js';

test('fake fs: write creates parents, records previous state and createdDirs', async () => {
  const h = fakeHost({ files: { '/etc/kubernetes/admin.conf': { content: 'old', mode: 0o600 } } });
  await h.fs.write('/etc/kubernetes/admin.conf', 'new', { mode: 0o600 });
  await h.fs.write('/etc/kubernetes/pki/ca.crt', 'CA', { mode: 0o644 });
  assert.equal(await h.fs.readText('/etc/kubernetes/admin.conf'), 'new');
  assert.deepEqual(h.mutations, [
    { action: 'write', path: '/etc/kubernetes/admin.conf', mode: 0o600, bytes: 3,
      previous: { existed: true, kind: 'file', mode: 0o600, content: Buffer.from('old') } },
    { action: 'write', path: '/etc/kubernetes/pki/ca.crt', mode: 0o644, bytes: 2,
      previous: { existed: false }, createdDirs: ['/etc/kubernetes/pki'] },
  ]);
  assert.deepEqual(await h.fs.list('/etc/kubernetes'), ['admin.conf', 'pki']);
  assert.equal((await h.fs.stat('/etc/kubernetes/pki'))?.kind, 'directory');
  assert.equal((await h.fs.stat('/etc/kubernetes/pki/ca.crt'))?.mode, 0o644);
  assert.equal(await h.fs.read('/nope'), undefined);
  assert.equal(await h.fs.list('/nope'), undefined);
  await assert.rejects(h.fs.read('/etc'), { code: 'EISDIR' });
  await assert.rejects(h.fs.list('/etc/kubernetes/admin.conf'), { code: 'ENOTDIR' });
  assert.equal(await h.fs.read('/etc/kubernetes/admin.conf/x'), undefined);
  assert.equal(await h.fs.stat('/etc/kubernetes/admin.conf/x'), undefined);
  await assert.rejects(h.fs.write('/etc/kubernetes/admin.conf/x', '', { mode: 0o600 }), { code: 'ENOTDIR' });
});

test('fake fs: mkdir, remove of a tree, symlinks are not followed by remove/stat', async () => {
  const h = fakeHost({
    dirs: ['/var/lib/etcd/member'],
    files: { '/outside/keep': 'k' },
    symlinks: { '/etc/kubernetes/link': '/outside', '/etc/passwdlink': '../outside/keep' },
  });
  await h.fs.mkdir('/var/lib/etcd', { mode: 0o700 });
  assert.equal(h.mutations.length, 0, 'mkdir of an existing directory changes nothing');
  await h.fs.mkdir('/a/b', { mode: 0o700 });
  assert.deepEqual(h.mutations, [{ action: 'mkdir', path: '/a/b', mode: 0o700, created: ['/a', '/a/b'] }]);
  assert.equal((await h.fs.stat('/etc/kubernetes/link'))?.kind, 'symlink');
  assert.equal(await h.fs.readText('/etc/kubernetes/link/keep'), 'k');
  assert.equal(await h.fs.readText('/etc/passwdlink'), 'k');
  await h.fs.remove('/etc/kubernetes/link');
  assert.equal(await h.fs.readText('/outside/keep'), 'k');
  assert.equal(await h.fs.stat('/etc/kubernetes/link'), undefined);
  await h.fs.remove('/var/lib/etcd');
  assert.equal(await h.fs.stat('/var/lib/etcd/member'), undefined);
  await h.fs.remove('/absent');
  assert.deepEqual(h.mutations.map((m) => m.action), ['mkdir', 'remove', 'remove']);
  assert.deepEqual(Object.keys(h.files()), ['/outside/keep']);
});

test('fake exec: table, handlers, ENOENT, which, mutation records', async () => {
  const h = fakeHost({
    commands: {
      'kubelet --version': { stdout: 'Kubernetes v1.34.0\n' },
      systemctl: (argv) => ({ exitCode: argv[1] === 'is-active' ? 3 : 0 }),
    },
    path: ['kubelet', '/opt/bin/crictl'],
  });
  assert.deepEqual(await h.exec.run(['kubelet', '--version'], { mutates: false }),
    { exitCode: 0, stdout: 'Kubernetes v1.34.0\n', stderr: '' });
  assert.equal((await h.exec.run(['systemctl', 'is-active', 'kubelet'], { mutates: false })).exitCode, 3);
  assert.equal((await h.exec.run(['systemctl', 'restart', 'kubelet'], { mutates: true })).exitCode, 0);
  const missing = await h.exec.run(['crictl', 'ps'], { mutates: false });
  assert.equal(missing.exitCode, 127);
  assert.match(missing.spawnError ?? '', /ENOENT/);
  assert.equal(await h.exec.which('kubelet'), '/usr/bin/kubelet');
  assert.equal(await h.exec.which('crictl'), '/opt/bin/crictl');
  assert.equal(await h.exec.which('conntrack'), undefined);
  assert.deepEqual(h.mutations, [{ action: 'exec', argv: ['systemctl', 'restart', 'kubelet'] }]);
  assert.equal(h.execCalls.length, 4);
});

test('fake system, net and clock', async () => {
  const h = fakeHost({
    kernelFiles: { '/proc/sys/net/ipv4/ip_forward': '1\n', '/sys/fs/cgroup/cgroup.controllers': 'cpu memory\n' },
    hostname: 'node-1', euid: 1000, busyPorts: [6443], lookup: { 'node-1': ['192.0.2.10'] },
    defaultRoute: { 4: 'eth0' }, http: { 'http://127.0.0.1:10248/healthz': { status: 200, body: 'ok' } },
    now: '2030-05-01T00:00:00Z', env: { HOME: '/root' },
  });
  assert.equal(await h.system.readKernelFile('/proc/sys/net/ipv4/ip_forward'), '1\n');
  assert.deepEqual(await h.system.listKernelDir('/proc/sys/net'), ['ipv4']);
  assert.equal(await h.system.listKernelDir('/proc/nope'), undefined);
  assert.equal(h.system.hostname(), 'node-1');
  assert.equal(h.system.euid(), 1000);
  assert.equal(await h.net.canListen(6443), false);
  assert.equal(await h.net.canListen(10250), true);
  assert.deepEqual(await h.net.lookup('node-1'), ['192.0.2.10']);
  assert.deepEqual(await h.net.lookup('other'), []);
  assert.equal(await h.net.defaultRouteInterface(4), 'eth0');
  assert.equal(await h.net.defaultRouteInterface(6), undefined);
  assert.deepEqual(await h.net.httpGet('http://127.0.0.1:10248/healthz', { timeoutMs: 1000 }), { status: 200, body: 'ok' });
  await assert.rejects(h.net.httpGet('https://x:6443/', { timeoutMs: 1 }), { code: 'ECONNREFUSED' });
  await h.clock.sleep(40_000);
  assert.equal(h.clock.now().toISOString(), '2030-05-01T00:00:40.000Z');
  const ac = new AbortController();
  ac.abort(new Error('stop'));
  await assert.rejects(h.clock.sleep(1, ac.signal), /stop/);
  assert.equal(h.env.HOME, '/root');
  assert.equal(h.dryRun, false);
});
