import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PreflightError, exitCodeOf } from '../../src/errors.js';
import { captureOutput } from '../../src/output/output.js';
import { failure, pass, warning, type CheckResult, type CheckSpec } from '../../src/preflight/check.js';
import { evaluateChecks, isIgnored, runChecks } from '../../src/preflight/runner.js';
import type { Host } from '../../src/host/host.js';
import { healthyHost, initTargetOf } from './healthy-host.js';

/** A check whose result arrives only when `release` is called: proves the print order is the list's, not completion's. */
function gated(name: string, result: CheckResult): { spec: CheckSpec; release: () => void } {
  let release = (): void => {};
  const gate = new Promise<void>((r) => { release = r; });
  return { spec: { name, sets: ['init'], run: async () => { await gate; return result; } }, release };
}

const spec = (name: string, result: CheckResult): CheckSpec => ({ name, sets: ['init'], run: async () => result });

async function run(checks: readonly CheckSpec[], ignore: readonly string[] = []) {
  const out = captureOutput();
  let error: unknown;
  try {
    await runChecks(checks, { host: healthyHost(), out, target: initTargetOf(), ignore: new Set(ignore) });
  } catch (e) {
    error = e;
  }
  return { stdout: out.stdout(), stderr: out.stderr(), error };
}

const hint = '[preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`\n';

describe('preflight runner', () => {
  it('prints warnings in list order, then the fatal block, byte for byte', async () => {
    const slow = gated('Alpha', warning('first warning'));
    const checks = [
      slow.spec,
      spec('Beta', failure('beta broke', 'fix beta')),
      spec('Gamma', pass),
      spec('Delta', { warnings: ['delta warns'], errors: ['delta broke'] }),
    ];
    const done = run(checks);
    slow.release(); // Beta, Gamma and Delta finish first
    const r = await done;
    assert.equal(r.stdout, '');
    assert.equal(r.stderr,
      '\t[WARNING Alpha]: first warning\n' +
      '\t[WARNING Delta]: delta warns\n' +
      '[preflight] Some fatal errors occurred:\n' +
      '\t[ERROR Beta]: beta broke — fix beta\n' +
      '\t[ERROR Delta]: delta broke\n' +
      hint);
    assert.ok(r.error instanceof PreflightError);
    assert.deepEqual(r.error.failed, ['Beta', 'Delta']);
    assert.equal(exitCodeOf(r.error), 2);
    assert.equal(r.error.message, 'preflight checks failed');
  });

  it('prints nothing and resolves when every check passes', async () => {
    const r = await run([spec('A', pass), spec('B', pass)]);
    assert.deepEqual(r, { stdout: '', stderr: '', error: undefined });
  });

  it('turns the errors of ignored checks into warnings, by name and case-insensitively', async () => {
    const checks = [spec('Port-6443', failure('Port 6443 is in use')), spec('Swap', failure('swap on'))];
    const r = await run(checks, ['port-6443']);
    assert.ok(r.error instanceof PreflightError);
    assert.deepEqual(r.error.failed, ['Swap']);
    assert.equal(r.stderr,
      '\t[WARNING Port-6443]: Port 6443 is in use\n[preflight] Some fatal errors occurred:\n\t[ERROR Swap]: swap on\n' + hint);
    assert.equal(r.stdout,
      '[preflight] Failed checks ignored as requested (--ignore-preflight-errors / nodeRegistration.ignorePreflightErrors): Port-6443\n');
  });

  it('ignores everything with all', async () => {
    const r = await run([spec('A', failure('a')), spec('B', { warnings: ['w'], errors: ['b'] })], ['all']);
    assert.equal(r.error, undefined);
    assert.equal(r.stderr, '\t[WARNING A]: a\n\t[WARNING B]: w\n\t[WARNING B]: b\n');
    assert.match(r.stdout, /ignorePreflightErrors\): A, B\n$/);
  });

  it('lists a failing name once even when several rows share it', async () => {
    const r = await run([spec('HTTPProxyCIDR', failure('x')), spec('HTTPProxyCIDR', failure('y'))]);
    assert.ok(r.error instanceof PreflightError);
    assert.deepEqual(r.error.failed, ['HTTPProxyCIDR']);
  });

  it('reports a check that throws as its error instead of crashing', async () => {
    const boom: CheckSpec = { name: 'Boom', sets: ['init'], run: async () => { throw new Error('cannot decide'); } };
    const r = await run([boom]);
    assert.match(r.stderr, /\t\[ERROR Boom\]: cannot decide\n/);
  });

  it('prints a check report to stdout before its verdict', async () => {
    const r = await run([spec('SystemVerification', { warnings: [], errors: ['bad'], report: ['[preflight] header', 'OS: Linux'] })]);
    assert.equal(r.stdout, '[preflight] header\nOS: Linux\n');
    assert.match(r.stderr, /\[ERROR SystemVerification\]: bad/);
  });

  it('matches ignore names as kubeadm does', () => {
    assert.equal(isIgnored(new Set(['filecontent--proc-sys-net-ipv4-ip_forward']), 'FileContent--proc-sys-net-ipv4-ip_forward'), true);
    assert.equal(isIgnored(new Set(['all']), 'Anything'), true);
    assert.equal(isIgnored(new Set(['swap']), 'Mem'), false);
  });
});

describe('port probes', () => {
  it('probes a port once per run, however many checks ask (two test binds at once would collide)', async () => {
    const host = healthyHost();
    const asked: number[] = [];
    const probing: Host = { ...host, net: { ...host.net, canListen: async (port) => (asked.push(port), port !== 10250) } };
    const portCheck = (name: string, port: number): CheckSpec => ({
      name, sets: ['init'],
      run: async ({ host: h }) => ((await h.net.canListen(port)) ? pass : failure(`Port ${port} is in use`)),
    });
    const outcomes = await evaluateChecks(
      [portCheck('Port-10250', 10250), portCheck('Port-6443', 6443), portCheck('Port-10250', 10250)],
      { host: probing, target: initTargetOf(), ignore: new Set() },
    );
    assert.deepEqual(asked, [10250, 6443]);
    assert.deepEqual(outcomes.map((o) => o.errors.length), [1, 0, 1]);
  });
});

describe('shared questions', () => {
  it('looks up an executable and runs a read-only command once per run; a mutating command runs every time', async () => {
    const host = healthyHost();
    const lookups: string[] = [];
    const runs: string[] = [];
    const counting: Host = {
      ...host,
      exec: {
        which: async (name) => (lookups.push(name), host.exec.which(name)),
        run: async (argv, opts) => (runs.push(`${argv.join(' ')}${opts.mutates ? ' (mutates)' : ''}`), host.exec.run(argv, opts)),
      },
    };
    const asks = (name: string): CheckSpec => ({
      name, sets: ['init'],
      run: async ({ host: h }) => {
        await h.exec.which('crictl');
        await h.exec.run(['kubelet', '--version'], { mutates: false });
        await h.exec.run(['crictl', 'pull', 'pause'], { mutates: true });
        return pass;
      },
    });
    await evaluateChecks([asks('A'), asks('B'), asks('C')], { host: counting, target: initTargetOf(), ignore: new Set() });
    assert.deepEqual(lookups, ['crictl']);
    assert.deepEqual(runs.sort(), ['crictl pull pause (mutates)', 'crictl pull pause (mutates)', 'crictl pull pause (mutates)', 'kubelet --version']);
  });
});
