// The host seam the lock stands on: createExclusive on every host, processAlive and self on the real one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { dryRunHost } from '../../src/host/dry-run-host.js';
import { realHost } from '../../src/host/real-host.js';
import { rootfsHost } from '../../src/host/rootfs-host.js';
import { lockTimeoutMs } from '../../src/lock/lock-timeout.js';
import { UsageError } from '../../src/errors.js';
import { fakeHost } from '../helpers/fake-host.js';
import { withTempRoot } from '../helpers/temp-root.js';

test('createExclusive on a real tree: creates with the mode and parents, records a write, never replaces', () =>
  withTempRoot(async (root) => {
    const host = rootfsHost(root, realHost());
    assert.equal(await host.fs.createExclusive('/run/x/lock', 'one\n', { mode: 0o644 }), true);
    assert.equal(readFileSync(path.join(root, 'run/x/lock'), 'utf8'), 'one\n');
    assert.equal(statSync(path.join(root, 'run/x/lock')).mode & 0o7777, 0o644);
    assert.equal(statSync(path.join(root, 'run')).mode & 0o7777, 0o755);
    assert.deepEqual(host.mutations, [{
      action: 'write', path: '/run/x/lock', mode: 0o644, previous: { existed: false }, bytes: 4,
      sha256: '2c8b08da5ce60398e1f19af0e5dccc744df274b826abe585eaba68c525434806', createdDirs: ['/run', '/run/x'],
    }]);
    assert.equal(await host.fs.createExclusive('/run/x/lock', 'two\n', { mode: 0o644 }), false);
    assert.equal(readFileSync(path.join(root, 'run/x/lock'), 'utf8'), 'one\n');
    assert.equal(host.mutations.length, 1, 'a refused create records nothing');
    assert.deepEqual(readdirSync(path.join(root, 'run/x')), ['lock'], 'no staged file left behind');
  }));

test('createExclusive never follows a symlink at the path, even a dangling one', () =>
  withTempRoot(async (root) => {
    mkdirSync(path.join(root, 'run'));
    symlinkSync('/etc/target', path.join(root, 'run/lock'));
    const host = rootfsHost(root, realHost());
    assert.equal(await host.fs.createExclusive('/run/lock', 'x', { mode: 0o644 }), false);
    assert.equal(existsSync(path.join(root, 'etc/target')), false);
  }));

test('createExclusive: two racing callers, exactly one wins', () =>
  withTempRoot(async (root) => {
    writeFileSync(path.join(root, 'marker'), '');
    const host = rootfsHost(root, realHost());
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => host.fs.createExclusive('/run/lock', `${i}`, { mode: 0o600 })));
    assert.equal(results.filter((r) => r).length, 1);
  }));

test('createExclusive on the fake and dry-run hosts: same answers; the dry run creates nothing', async () => {
  const fake = fakeHost({ files: { '/run/busy': 'x' } });
  assert.equal(await fake.fs.createExclusive('/run/busy', 'y', { mode: 0o644 }), false);
  assert.equal(await fake.fs.createExclusive('/run/free', 'y', { mode: 0o644 }), true);
  assert.equal(fake.files()['/run/free'], 'y');

  const inner = fakeHost({ files: { '/run/busy': 'x' } });
  const dry = dryRunHost(inner, '/tmp/dry', { cwd: '/' });
  assert.equal(await dry.fs.createExclusive('/run/busy', 'y', { mode: 0o644 }), false);
  assert.equal(await dry.fs.createExclusive('/var/run2/free', 'y', { mode: 0o644 }), true);
  assert.deepEqual(dry.mutations, [{ action: 'write', path: '/var/run2/free', mode: 0o644, previous: { existed: false }, bytes: 1, createdDirs: ['/var', '/var/run2'] }]);
  assert.deepEqual(Object.keys(inner.files()), ['/run/busy'], 'nothing created, not even in the dry-run directory');
});

test('processAlive: this process and PID 1 are alive (EPERM counts), an exited child and nonsense PIDs are not', () => {
  const { system } = realHost();
  assert.equal(system.processAlive(process.pid), true);
  assert.equal(system.processAlive(1), true);
  const child = spawnSync(process.execPath, ['-e', '']);
  assert.equal(system.processAlive(child.pid!), false);
  for (const pid of [0, -1, 1.5, Number.NaN]) assert.equal(system.processAlive(pid), false, String(pid));
});

test('self: the PID and the command line as typed after the program', () => {
  const self = realHost().system.self();
  assert.equal(self.pid, process.pid);
  assert.deepEqual(self.argv, ['tskubeadm', ...process.argv.slice(2)]);
});

test('--lock-timeout: Go durations, default 10s, a bad one is a usage error', () => {
  assert.equal(lockTimeoutMs(undefined), 10_000);
  assert.equal(lockTimeoutMs('0s'), 0);
  assert.equal(lockTimeoutMs('0'), 0);
  assert.equal(lockTimeoutMs('2m'), 120_000);
  assert.equal(lockTimeoutMs('1.5s'), 1_500);
  for (const bad of ['10', 'soon', '-1s', '']) assert.throws(() => lockTimeoutMs(bad), UsageError, bad);
});
