// The unattended rules at the CLI: reset --yes, the host lock around reset, and no command that waits for an
// answer without a terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { exitCodes } from '../../src/errors.js';
import { encodeLockHolder, hostLockPath } from '../../src/lock/lock-file.js';
import { fakeHost, type FakeHostSpec } from '../helpers/fake-host.js';
import { withTempRoot } from '../helpers/temp-root.js';
import { runCli } from '../cli/run-cli.js';

const node: FakeHostSpec = {
  hostname: 'node-1',
  euid: 0,
  interfaces: [{ name: 'eth0', address: '192.0.2.10', family: 4, internal: false, prefix: 24 }],
  defaultRoute: { 4: 'eth0' },
  self: { pid: 4242, argv: ['tskubeadm', 'reset'] },
};
const holder = { pid: 1234, command: 'init', argv: ['tskubeadm', 'init', '--config', '/root/kubeadm.yaml'], startedAt: '2025-01-01T00:00:00.000Z' };
const adminConf = { '/etc/kubernetes/admin.conf': 'x' };

test('reset -y / --yes resets without a terminal, as --force does, holding the host lock while it runs', async () => {
  for (const yes of ['-y', '--yes']) {
    const host = fakeHost(node);
    const r = await runCli(['reset', yes], { host });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /confirmation/);
    const lockWrites = host.mutations.filter((m) => 'path' in m && m.path === hostLockPath);
    assert.deepEqual(lockWrites.map((m) => m.action), ['write', 'remove'], 'taken, then released');
    assert.equal(host.files()[hostLockPath], undefined);
  }
});

test('reset --yes with --config is refused as --force is: the file says force: true', async () => {
  const host = fakeHost({ ...node, files: { ...adminConf, '/reset.yaml': 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ResetConfiguration\n' } });
  const r = await runCli(['reset', '--config', '/reset.yaml', '--yes'], { host });
  assert.equal(r.code, exitCodes.usage);
  assert.match(r.stderr, /^error: can not mix '--config' with arguments \[yes\]\n {2}fix: set force: true in the ResetConfiguration instead, or drop --config\n/);
  assert.equal(host.files()['/etc/kubernetes/admin.conf'], 'x');
});

test('reset while another run holds the host: exit 7 at once with --lock-timeout 0s, nothing changed; --dry-run needs no lock', async () => {
  const host = fakeHost({ ...node, pids: [1234], files: { ...adminConf, [hostLockPath]: encodeLockHolder(holder) } });
  const r = await runCli(['reset', '-f', '--lock-timeout', '0s'], { host });
  assert.equal(r.code, exitCodes.conflict);
  assert.match(r.stderr, /^error: another tskubeadm run holds this host: PID 1234 \(tskubeadm init --config \/root\/kubeadm\.yaml\) since 2025-01-01T00:00:00\.000Z\n {2}fix: wait for it to finish, or stop it \(kill 1234\); --lock-timeout waits longer\n/m);
  assert.equal(host.files()['/etc/kubernetes/admin.conf'], 'x');
  assert.deepEqual(host.mutations, []);

  const phase = await runCli(['reset', 'phase', 'cleanup-node', '--yes', '--lock-timeout=0s'], { host });
  assert.equal(phase.code, exitCodes.conflict, 'a phase command takes the lock too');

  const dry = await runCli(['reset', '--dry-run', '--lock-timeout', '0s'], { host });
  assert.equal(dry.code, 0, dry.stderr);
  assert.equal(host.files()[hostLockPath], encodeLockHolder(holder));

  const bad = await runCli(['reset', '-f', '--lock-timeout', 'soon'], { host });
  assert.equal(bad.code, exitCodes.usage);
  assert.match(bad.stderr, /^error: invalid --lock-timeout "soon"\n/m);
});

test('init and join (and their phase commands) take --lock-timeout', async () => {
  for (const argv of [['init', '--help'], ['init', 'phase', 'certs', 'ca', '--help'], ['join', '--help'], ['join', 'phase', 'preflight', '--help'],
    ['reset', 'phase', 'preflight', '--help'], ['certs', 'renew', 'all', '--help'], ['certs', 'renew', 'apiserver', '--help']]) {
    const r = await runCli(argv);
    assert.match(r.stdout, /--lock-timeout <string>/, argv.join(' '));
  }
});

const repo = fileURLToPath(new URL('../..', import.meta.url));

/** The real CLI in its own process with a stdin that stays open and never answers: a prompt would hang it. */
function runWithSilentStdin(argv: readonly string[]): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', './scripts/text-loader.mjs', 'src/main.ts', ...argv], { cwd: repo, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
  child.stdout.resume();
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) => child.on('close', (code, signal) => {
    clearTimeout(killer);
    child.stdin.destroy();
    resolve({ code, signal, stderr });
  }));
}

// The audit: reset is the only command with a question (src/cli/confirm.ts is its only user, and src/main.ts offers it
// only when stdin is a terminal); every other command reads nothing from stdin, and child processes get none.
test('without a terminal nothing waits for an answer: reset and its phase commands stop with the fix at once', { timeout: 90_000 }, () =>
  withTempRoot(async (root) => {
    for (const argv of [['reset'], ['reset', 'phase', 'cleanup-node'], ['reset', 'phase', 'preflight']]) {
      const r = await runWithSilentStdin([...argv, '--rootfs', root]);
      assert.equal(r.signal, null, `${argv.join(' ')} was still waiting after 30 s`);
      assert.equal(r.code, exitCodes.usage, r.stderr);
      assert.match(r.stderr, /reset asks for confirmation, and there is no terminal to ask on\n {2}fix: pass --force \(-f\) to reset without a prompt/);
    }
  }));
