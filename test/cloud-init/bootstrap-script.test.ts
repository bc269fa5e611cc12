// The rendered bootstrap script, run for real by bash in a temp dir with a fake tskubeadm:
// the sentinel on success, one FAILED line on the console and tskubeadm's exit code on failure.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { cloudConfig, type UserDataInput } from '../../src/cloud-init/user-data.js';
import type { Role } from '../../src/cloud-init/roles.js';

const secretToken = 'q1w2e3.r4t5y6u7i8o9p0a1';

// Records its argv (one per line) and prints a JSON event, then exits with FAKE_EXIT.
const fakeTskubeadm = `#!/usr/bin/env bash
printf '%s\\n' "$@" >"$FAKE_ARGV"
echo '{"level":"info","event":"run-start"}'
exit "\${FAKE_EXIT:-0}"
`;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly console: string;
  readonly argv: string[] | undefined;
  readonly sentinel: string | undefined;
  readonly log: string;
}

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tskubeadm-cloud-init-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The script cloudConfig renders for `role`, with every machine path moved under `dir`. */
function scriptFor(dir: string, role: Role, over: Partial<UserDataInput> = {}): string {
  const cfg = cloudConfig({
    role,
    config: { text: `token: ${secretToken}\n`, warnings: [], uploadCerts: false },
    binPath: path.join(dir, 'bin/tskubeadm'),
    installFrom: undefined,
    sentinelPath: path.join(dir, 'run/tskubeadm/bootstrap-success.complete'),
    paths: { config: path.join(dir, 'run/tskubeadm/kubeadm.yaml'), script: path.join(dir, 'bootstrap.sh'), log: path.join(dir, 'log/bootstrap.log') },
    ...over,
  });
  const script = cfg.write_files.find((f) => f.path.endsWith('bootstrap.sh'));
  assert.ok(script, 'the user-data writes the bootstrap script');
  const file = path.join(dir, 'bootstrap.sh');
  writeFileSync(file, script.content, { mode: 0o700 });
  return file;
}

function installFake(dir: string, at = path.join(dir, 'bin/tskubeadm')): string {
  spawnSync('mkdir', ['-p', path.dirname(at)]);
  writeFileSync(at, fakeTskubeadm);
  chmodSync(at, 0o755);
  return at;
}

function runScript(dir: string, script: string, fakeExit = 0): Run {
  const consoleFile = path.join(dir, 'console');
  writeFileSync(consoleFile, '');
  const argvFile = path.join(dir, 'argv');
  const r = spawnSync('bash', [script], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', TSKUBEADM_CONSOLE: consoleFile, FAKE_ARGV: argvFile, FAKE_EXIT: String(fakeExit) },
  });
  const sentinel = path.join(dir, 'run/tskubeadm/bootstrap-success.complete');
  const log = path.join(dir, 'log/bootstrap.log');
  return {
    code: r.status ?? -1,
    stdout: r.stdout,
    stderr: r.stderr,
    console: readFileSync(consoleFile, 'utf8'),
    argv: existsSync(argvFile) ? readFileSync(argvFile, 'utf8').trimEnd().split('\n') : undefined,
    sentinel: existsSync(sentinel) ? readFileSync(sentinel, 'utf8') : undefined,
    log: existsSync(log) ? readFileSync(log, 'utf8') : '',
  };
}

test('every role\'s script passes bash -n', () => {
  withDir((dir) => {
    for (const role of ['control-plane', 'worker', 'control-plane-join'] as const) {
      const r = spawnSync('bash', ['-n', scriptFor(dir, role)], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${role}: ${r.stderr}`);
    }
  });
});

test('success: join runs with the config and json events, the sentinel says success, the console stays quiet', () => {
  withDir((dir) => {
    installFake(dir);
    const r = runScript(dir, scriptFor(dir, 'worker'));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.argv, ['join', '--config', path.join(dir, 'run/tskubeadm/kubeadm.yaml'), '--log-format', 'json']);
    assert.equal(r.sentinel, 'success\n');
    assert.equal(r.console, '');
    assert.match(r.log, /"event":"run-start"/);
    assert.match(r.stdout, /"event":"run-start"/, 'tskubeadm output also reaches cloud-init\'s output');
    assert.equal(statSync(path.join(dir, 'log/bootstrap.log')).mode & 0o777, 0o600, 'the log is private (umask 077)');
  });
});

test('init keeps the token and certificate key off the console, and uploads certificates only when asked', () => {
  withDir((dir) => {
    installFake(dir);
    let r = runScript(dir, scriptFor(dir, 'control-plane'));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.argv?.slice(0, 1), ['init']);
    assert.ok(r.argv?.includes('--skip-token-print') && r.argv.includes('--skip-certificate-key-print'));
    assert.ok(!r.argv?.includes('--upload-certs'));
    r = runScript(dir, scriptFor(dir, 'control-plane', { config: { text: 'x', warnings: [], uploadCerts: true } }));
    assert.ok(r.argv?.includes('--upload-certs'));
    for (const arg of r.argv ?? []) assert.ok(!arg.includes(secretToken), 'no secret on the command line');
  });
});

test('failure: one FAILED line on the console, tskubeadm\'s exit code, no sentinel', () => {
  withDir((dir) => {
    installFake(dir);
    const r = runScript(dir, scriptFor(dir, 'worker'), 3);
    assert.equal(r.code, 3);
    const line = `tskubeadm bootstrap FAILED (exit 3): see ${path.join(dir, 'log/bootstrap.log')}\n`;
    assert.equal(r.console, line);
    assert.ok(r.stderr.includes(line));
    assert.equal(r.sentinel, undefined);
    assert.match(r.log, /tskubeadm join exited with 3/);
  });
});

test('a re-run after a failure completes and writes the sentinel', () => {
  withDir((dir) => {
    installFake(dir);
    const script = scriptFor(dir, 'control-plane-join');
    assert.equal(runScript(dir, script, 4).code, 4);
    const r = runScript(dir, script, 0);
    assert.equal(r.code, 0);
    assert.equal(r.sentinel, 'success\n');
  });
});

test('no tskubeadm at the install path: exit 127 and the FAILED line', () => {
  withDir((dir) => {
    const r = runScript(dir, scriptFor(dir, 'worker'));
    assert.equal(r.code, 127);
    assert.match(r.console, /^tskubeadm bootstrap FAILED \(exit 127\): see /);
    assert.match(r.log, /no executable tskubeadm at /);
  });
});

test('--install-from: downloads with curl to the install path (0755) and runs it; a failed download exits 127', { skip: spawnSync('curl', ['--version']).status === 0 ? false : 'curl is not installed' }, () => {
  withDir((dir) => {
    writeFileSync(path.join(dir, 'download'), fakeTskubeadm);
    const bin = path.join(dir, 'installed/tskubeadm');
    let r = runScript(dir, scriptFor(dir, 'worker', { binPath: bin, installFrom: `file://${path.join(dir, 'download')}` }));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(statSync(bin).mode & 0o777, 0o755);
    assert.equal(r.sentinel, 'success\n');
    rmSync(path.join(dir, 'run'), { recursive: true });
    r = runScript(dir, scriptFor(dir, 'worker', { binPath: bin, installFrom: `file://${path.join(dir, 'missing')}` }));
    assert.equal(r.code, 127);
    assert.match(r.log, /could not download tskubeadm from file:/);
    assert.equal(r.sentinel, undefined);
  });
});

test('settings are quoted: a path with spaces and quotes stays one word', () => {
  withDir((dir) => {
    const odd = path.join(dir, "it's a dir/tskubeadm");
    installFake(dir, odd);
    const r = runScript(dir, scriptFor(dir, 'worker', { binPath: odd }));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.argv?.[0], 'join');
  });
});
