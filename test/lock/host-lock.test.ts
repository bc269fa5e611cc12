import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exitCodes, exitCodeOf } from '../../src/errors.js';
import type { Host } from '../../src/host/host.js';
import { dryRunHost } from '../../src/host/dry-run-host.js';
import { captureOutput } from '../../src/output/output.js';
import { acquireHostLock, HostLockedError, withHostLock } from '../../src/lock/host-lock.js';
import { encodeLockHolder, hostLockPath, parseLockHolder, type LockHolder } from '../../src/lock/lock-file.js';
import { lockState, removeStale } from '../../src/lock/stale-lock.js';
import { fakeHost, type FakeHost, type FakeHostSpec } from '../helpers/fake-host.js';

const other: LockHolder = { pid: 1234, command: 'init', argv: ['tskubeadm', 'init', '--config', '/root/kubeadm.yaml'], startedAt: '2025-01-01T00:00:00.000Z' };
const held = (h: LockHolder = other) => ({ [hostLockPath]: encodeLockHolder(h) });
const opts = (timeoutMs: number, out = captureOutput()) => ({ command: 'reset', timeoutMs, out });

function lockHost(spec: FakeHostSpec = {}): FakeHost {
  return fakeHost({ self: { pid: 4242, argv: ['tskubeadm', 'reset', '-f'] }, ...spec });
}

test('the lock file names this run, and release removes it and the /run it created', async () => {
  const host = lockHost();
  const lock = await acquireHostLock(host, opts(0));
  const text = host.files()[hostLockPath];
  assert.ok(text !== undefined);
  assert.deepEqual(parseLockHolder(text), { pid: 4242, command: 'reset', argv: ['tskubeadm', 'reset', '-f'], startedAt: '2025-01-01T00:00:00.000Z' });
  assert.equal((await host.fs.stat(hostLockPath))?.mode, 0o644);
  await lock.release();
  await lock.release();
  assert.equal(await host.fs.stat(hostLockPath), undefined);
  assert.equal(await host.fs.stat('/run'), undefined, 'the directory the lock created is gone');
});

test('the lock file never holds a join token or certificate key given on the command line', async () => {
  const argv = ['tskubeadm', 'join', '10.0.0.1:6443', '--token', 'abcdef.0123456789abcdef', '--certificate-key=' + 'a'.repeat(64)];
  const host = fakeHost({ self: { pid: 4242, argv } });
  const lock = await acquireHostLock(host, { command: 'join', timeoutMs: 0, out: captureOutput() });
  const text = host.files()[hostLockPath] ?? '';
  assert.doesNotMatch(text, /0123456789abcdef|aaaaaaaa/);
  assert.deepEqual(parseLockHolder(text)?.argv, ['tskubeadm', 'join', '10.0.0.1:6443', '--token', '<redacted>', '--certificate-key=<redacted>']);
  await lock.release();
});

test('release keeps a /run that was there before, and anything another program put in one it created', async () => {
  const before = lockHost({ dirs: ['/run'] });
  await (await acquireHostLock(before, opts(0))).release();
  assert.equal((await before.fs.stat('/run'))?.kind, 'directory');

  const host = lockHost();
  const lock = await acquireHostLock(host, opts(0));
  await host.fs.write('/run/other.pid', '1\n', { mode: 0o644 });
  await lock.release();
  assert.deepEqual(Object.keys(host.files()), ['/run/other.pid']);
});

test('a live holder and --lock-timeout 0: HostLockedError (exit 7) at once, naming its PID and command line', async () => {
  const host = lockHost({ files: held(), pids: [1234] });
  const out = captureOutput();
  const err = await acquireHostLock(host, opts(0, out)).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof HostLockedError);
  assert.equal(err.message, 'another tskubeadm run holds this host: PID 1234 (tskubeadm init --config /root/kubeadm.yaml) since 2025-01-01T00:00:00.000Z');
  assert.equal(err.fix, 'wait for it to finish, or stop it (kill 1234); --lock-timeout waits longer');
  assert.equal(exitCodeOf(err), exitCodes.conflict);
  assert.equal(out.stdout(), '', 'no waiting line when it does not wait');
  assert.equal(host.files()[hostLockPath], encodeLockHolder(other), "the holder's file is untouched");
  assert.equal(host.clock.now().toISOString(), '2025-01-01T00:00:00.000Z', 'it did not wait');
});

test('a live holder: waits up to the timeout, polling, and says so once', async () => {
  const host = lockHost({ files: held(), pids: [1234] });
  const out = captureOutput();
  await assert.rejects(acquireHostLock(host, opts(10_000, out)), HostLockedError);
  assert.equal(host.clock.now().getTime() - Date.parse('2025-01-01T00:00:00Z'), 10_000);
  assert.equal(out.stdout(), '[lock] waiting for PID 1234 (tskubeadm init --config /root/kubeadm.yaml) to finish (up to 10s)\n');
});

test('a holder that finishes while this run waits: the lock is taken then', async () => {
  const host = lockHost({ files: held(), pids: [1234] });
  let polls = 0;
  const sleep = host.clock.sleep.bind(host.clock);
  const patched: Host = {
    ...host,
    clock: { now: () => host.clock.now(), sleep: async (ms, signal) => {
      await sleep(ms, signal);
      if (++polls === 3) await host.fs.remove(hostLockPath);
    } },
  };
  const lock = await acquireHostLock(patched, opts(10_000));
  assert.equal(polls, 3);
  assert.equal(parseLockHolder(host.files()[hostLockPath]!)?.pid, 4242);
  await lock.release();
});

test('a holder whose PID is gone is stale: taken over (said at -v1), no guard left behind', async () => {
  const host = lockHost({ files: held() });
  const out = captureOutput(1);
  const lock = await acquireHostLock(host, opts(0, out));
  assert.equal(parseLockHolder(host.files()[hostLockPath]!)?.pid, 4242);
  assert.match(out.stderr(), /\[lock\] took over \/run\/tskubeadm\.lock left by a run that is gone \(PID 1234 is not running\)/);
  assert.deepEqual(Object.keys(host.files()), [hostLockPath]);
  await lock.release();
});

test('a lock naming this very PID was left by an earlier process with the same PID (a container): stale', async () => {
  const host = lockHost({ files: held({ ...other, pid: 4242 }) });
  await (await acquireHostLock(host, opts(0))).release();
});

test('an unreadable lock file is waited for while fresh, and taken over once 5 s old', async () => {
  const fresh = lockHost({ files: { [hostLockPath]: '' } });
  const err = await acquireHostLock(fresh, opts(0)).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof HostLockedError);
  assert.equal(err.message, 'another tskubeadm run holds this host: the lock /run/tskubeadm.lock names no holder');
  assert.equal(err.holder, undefined);

  const old = lockHost({ files: { [hostLockPath]: '{"pid":' } });
  old.clock.advance(5_000);
  await (await acquireHostLock(old, opts(0))).release();
});

test('a directory at the lock path is never removed: the run stops', async () => {
  const host = lockHost({ dirs: [hostLockPath] });
  await assert.rejects(acquireHostLock(host, opts(0)), HostLockedError);
  assert.equal((await host.fs.stat(hostLockPath))?.kind, 'directory');
});

test('release keeps a lock that is no longer ours', async () => {
  const host = lockHost();
  const lock = await acquireHostLock(host, opts(0));
  await host.fs.write(hostLockPath, encodeLockHolder(other), { mode: 0o644 });
  await lock.release();
  assert.equal(host.files()[hostLockPath], encodeLockHolder(other));
});

test('withHostLock releases when the work fails, and a dry-run host takes no lock at all', async () => {
  const host = lockHost();
  await assert.rejects(withHostLock(host, opts(0), async () => {
    assert.ok(host.files()[hostLockPath] !== undefined);
    throw new Error('boom');
  }), /boom/);
  assert.equal(host.files()[hostLockPath], undefined);

  const busy = lockHost({ files: held(), pids: [1234] });
  const dry = dryRunHost(busy, '/etc/kubernetes/tmp/dry', { cwd: '/' });
  assert.equal(await withHostLock(dry, opts(0), async () => 'planned'), 'planned');
  assert.deepEqual(dry.mutations, []);
  assert.equal(busy.files()[hostLockPath], encodeLockHolder(other));
});

test('a stale file is removed only by the run holding its takeover guard', async () => {
  const stale = encodeLockHolder(other);
  const host = lockHost({ files: held(), pids: [77] });
  const state = await lockState(host, hostLockPath);
  assert.equal(state.kind, 'stale');
  // Another live run (PID 77) holds the guard for this content: hands off, retry later.
  const guardOf = async () => {
    const before = host.mutations.length;
    await removeStale(host, hostLockPath, stale);
    return host.mutations.slice(before);
  };
  await host.fs.write('/run/placeholder', '', { mode: 0o644 });
  const guardPath = (await guardOf()).flatMap((m) => ('path' in m ? [m.path] : [])).find((p) => p.includes('.takeover-'));
  assert.ok(guardPath !== undefined, 'the first takeover made a guard');
  assert.equal(host.files()[hostLockPath], undefined, 'and removed the stale file');

  // Again with the same stale content, its guard held by live PID 77.
  await host.fs.write(hostLockPath, stale, { mode: 0o644 });
  await host.fs.write(guardPath, encodeLockHolder({ ...other, pid: 77, command: 'lock takeover' }), { mode: 0o644 });
  assert.equal(await removeStale(host, hostLockPath, stale), false);
  assert.equal(host.files()[hostLockPath], stale, 'not removed while another run takes it over');

  // The guard's holder died mid-takeover: its guard is taken over one level down, then the lock.
  await host.fs.write(guardPath, encodeLockHolder({ ...other, pid: 78, command: 'lock takeover' }), { mode: 0o644 });
  assert.equal(await removeStale(host, hostLockPath, stale), false);
  assert.equal(host.files()[guardPath], undefined);
  assert.equal(await removeStale(host, hostLockPath, stale), true);
  assert.deepEqual(Object.keys(host.files()), ['/run/placeholder']);
});

test('a stale file replaced by a new lock before the guard is taken is left alone', async () => {
  const host = lockHost({ files: held({ ...other, pid: 99 }), pids: [1234] });
  // Judged stale (PID 99 gone), but by the time of removal a live run's lock is there.
  const staleContent = encodeLockHolder({ ...other, pid: 99 });
  await host.fs.write(hostLockPath, encodeLockHolder(other), { mode: 0o644 });
  assert.equal(await removeStale(host, hostLockPath, staleContent), true);
  assert.equal(host.files()[hostLockPath], encodeLockHolder(other));
});
