// Real processes contending for the host lock of one temp root: the fixture holds it, the CLI or a second
// fixture wants it.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeLockHolder, hostLockPath, parseLockHolder } from '../../src/lock/lock-file.js';
import { withTempRoot } from '../helpers/temp-root.js';
import { writeFileSync, mkdirSync } from 'node:fs';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/hold-lock.ts', import.meta.url));
const tsx = ['--import', 'tsx', '--import', './scripts/text-loader.mjs'];

interface Holder {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves with the output so far once it contains `text`. */
  waitFor(text: string): Promise<string>;
  /** Resolves with the exit code and the whole output. */
  readonly done: Promise<{ code: number | null; stdout: string }>;
}

/** Every holder is killed when its test ends, so a failed assertion never leaves one waiting on its stdin. */
function startHolder(t: TestContext, root: string, timeoutMs: number, hold: number | 'stdin', log?: string, startAt?: number): Holder {
  const extra = [...(log !== undefined || startAt !== undefined ? [log ?? ''] : []), ...(startAt === undefined ? [] : [String(startAt)])];
  const child = spawn(process.execPath, [...tsx, fixture, root, String(timeoutMs), String(hold), ...extra], { cwd: repo });
  t.after(() => void child.kill('SIGKILL'));
  let stdout = '';
  const waiters: { text: string; resolve: (s: string) => void }[] = [];
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    for (const w of waiters.filter((x) => stdout.includes(x.text))) w.resolve(stdout);
  });
  child.stderr.resume();
  const done = new Promise<{ code: number | null; stdout: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout })));
  return {
    child,
    done,
    waitFor: (text) => (stdout.includes(text) ? Promise.resolve(stdout) : Promise.race([
      new Promise<string>((resolve) => waiters.push({ text, resolve })),
      done.then((d) => assert.fail(`exited (${d.code}) before printing "${text}": ${d.stdout}`)),
    ])),
  };
}

const lockFile = (root: string) => path.join(root, hostLockPath);

test('a second run with --lock-timeout 0 stops at once with exit 7, naming the holder; nothing of it is left', { timeout: 60_000 }, (t) =>
  withTempRoot(async (root) => {
    const a = startHolder(t, root, 0, 'stdin');
    await a.waitFor('held\n');
    const cli = spawnSync(process.execPath, [...tsx, 'src/main.ts', 'certs', 'renew', 'all', '--rootfs', root, '--lock-timeout', '0s'], {
      cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000,
    });
    assert.equal(cli.status, 7, cli.stderr);
    assert.match(cli.stderr, new RegExp(`another tskubeadm run holds this host: PID ${a.child.pid} \\(tskubeadm ${root.replaceAll('/', '\\/')} 0 stdin\\) since `));
    assert.match(cli.stderr, new RegExp(`fix: wait for it to finish, or stop it \\(kill ${a.child.pid}\\); --lock-timeout waits longer`));
    assert.equal(parseLockHolder(readFileSync(lockFile(root), 'utf8'))?.pid, a.child.pid, "the holder's lock is untouched");
    a.child.stdin.end();
    assert.equal((await a.done).code, 0);
    assert.equal(existsSync(path.join(root, 'run')), false, 'release removed the lock and the /run it created');
  }));

test('a second run waits for the first and takes the lock when it is released', { timeout: 60_000 }, (t) =>
  withTempRoot(async (root) => {
    const a = startHolder(t, root, 0, 'stdin');
    await a.waitFor('held\n');
    const b = startHolder(t, root, 30_000, 100);
    const waiting = await b.waitFor('[lock] waiting for PID');
    assert.match(waiting, new RegExp(`^\\[lock\\] waiting for PID ${a.child.pid} \\(tskubeadm .*\\) to finish \\(up to 30s\\)\n$`));
    a.child.stdin.end();
    assert.equal((await a.done).code, 0);
    const { code, stdout } = await b.done;
    assert.equal(code, 0);
    assert.match(stdout, /held\nreleased\n$/);
  }));

test('a holder killed with SIGKILL leaves its lock; the next run takes it over', { timeout: 60_000 }, (t) =>
  withTempRoot(async (root) => {
    const a = startHolder(t, root, 0, 'stdin');
    await a.waitFor('held\n');
    a.child.kill('SIGKILL');
    await a.done;
    assert.equal(parseLockHolder(readFileSync(lockFile(root), 'utf8'))?.pid, a.child.pid, 'the dead run left its lock');
    const b = startHolder(t, root, 0, 0);
    const { code, stdout } = await b.done;
    assert.equal(code, 0, stdout);
    assert.match(stdout, /held\nreleased\n$/);
    assert.equal(existsSync(lockFile(root)), false);
  }));

test('runs started together over a stale lock: every one gets it, never two at once', { timeout: 120_000 }, (t) =>
  withTempRoot(async (root) => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    mkdirSync(path.join(root, 'run'));
    writeFileSync(lockFile(root), encodeLockHolder({ pid: dead, command: 'init', argv: ['tskubeadm', 'init'], startedAt: '2025-01-01T00:00:00.000Z' }));
    const log = path.join(root, 'holds.log');
    // They all start taking the lock at the same moment, once every process is up.
    const startAt = Date.now() + 6_000;
    const runs = Array.from({ length: 6 }, () => startHolder(t, root, 60_000, 30, log, startAt));
    const results = await Promise.all(runs.map((r) => r.done));
    assert.ok(results.every((r) => r.stdout.startsWith('ready\n')), `a process started too late to race: ${results.map((r) => r.stdout).join(' / ')}`);
    assert.deepEqual(results.map((r) => r.code), runs.map(() => 0), results.map((r) => r.stdout).join('\n'));
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    assert.equal(lines.length, 12);
    for (let i = 0; i < lines.length; i += 2) {
      const pid = lines[i]!.split(' ')[1];
      assert.deepEqual([lines[i], lines[i + 1]], [`enter ${pid}`, `exit ${pid}`], `holds overlap: ${lines.join(', ')}`);
    }
    assert.deepEqual(readdirNames(path.join(root, 'run')), [], 'no lock or takeover guard left behind');
  }));

function readdirNames(dir: string): string[] {
  return existsSync(dir) ? (spawnSync('ls', ['-A', dir], { encoding: 'utf8' }).stdout.split('\n').filter((s) => s !== '')) : [];
}
