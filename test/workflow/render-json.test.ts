// The --log-format json renderer driven by the real runner: phase events in order with durations,
// the phase's own lines between its start and finish, a verified phase (beforePhase), a runIf skip,
// and a failure that is reported as phase-error and still rejects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, PhaseError, exitCodes } from '../../src/errors.js';
import type { Phase } from '../../src/workflow/phase.js';
import { jsonRenderer } from '../../src/workflow/render-json.js';
import { chooseRenderer } from '../../src/workflow/renderer.js';
import { runPhases } from '../../src/workflow/run.js';
import { selectPhases } from '../../src/workflow/select.js';
import { parseEvents } from '../output/log-stream.js';

interface Ctx {
  readonly ran: string[];
}

/** A clock that moves 5 ms each time it is read: durations are exact. */
function steppingMs(): () => number {
  let t = 1000;
  return () => (t += 5);
}

function capture() {
  const c = { stdout: '', stderr: '', writes: 0 };
  return {
    c,
    opts: {
      stdout: (s: string) => void (c.stdout += s),
      stderr: (s: string) => {
        c.stderr += s;
        c.writes++;
      },
      now: () => new Date('2025-01-02T03:04:05.678Z'),
    },
  };
}

const leaf = (name: string, extra: Partial<Phase<Ctx>> = {}): Phase<Ctx> => ({
  name,
  short: name,
  run: async (ctx) => {
    ctx.ran.push(name);
  },
  ...extra,
});

test('done, verified and skipped phases: start/finish pairs in order, durations, the phase lines in between', async () => {
  const { c, opts } = capture();
  const renderer = jsonRenderer({ ...opts, verbosity: 0 });
  const tree: Phase<Ctx>[] = [
    { name: 'certs', short: 'certs', phases: [
      leaf('ca', { run: async (ctx) => {
        ctx.ran.push('ca');
        renderer.out.info('[certs] Generating "ca" certificate and key');
        renderer.out.detail(1, 'hidden at -v 0');
        renderer.out.print('result\n');
      } }),
      leaf('apiserver'),
    ] },
    leaf('etcd', { runIf: () => false }),
  ];
  const ctx: Ctx = { ran: [] };
  const report = await runPhases(selectPhases(tree), ctx, {
    renderer,
    now: steppingMs(),
    beforePhase: async (placed) => (placed.path === 'certs/apiserver' ? { verified: 'finished by an earlier run; inputs unchanged, 2 files intact' } : undefined),
  });
  assert.deepEqual(ctx.ran, ['ca']);
  assert.equal(c.stdout, 'result\n', 'results stay on stdout, raw');
  const events = parseEvents(c.stderr);
  assert.equal(c.writes, events.length, 'one write per line');
  assert.deepEqual(events.map(({ time: _t, ...e }) => e), [
    { level: 'info', event: 'phase-start', phase: 'certs/ca' },
    { level: 'info', event: 'log', msg: '[certs] Generating "ca" certificate and key' },
    { level: 'info', event: 'phase-finish', phase: 'certs/ca', status: 'done', durationMs: 5 },
    { level: 'info', event: 'phase-start', phase: 'certs/apiserver' },
    { level: 'info', event: 'phase-finish', phase: 'certs/apiserver', status: 'verified', durationMs: 5,
      reason: 'finished by an earlier run; inputs unchanged, 2 files intact' },
    { level: 'info', event: 'phase-start', phase: 'etcd' },
    { level: 'info', event: 'phase-skip', phase: 'etcd', reason: 'its condition does not hold for this configuration', durationMs: 5 },
  ]);
  assert.deepEqual(report.phases.map((p) => p.status), ['done', 'verified', 'skipped']);
});

test('a failing phase: phase-error with its duration and the typed error, then the run stops and rejects', async () => {
  const { c, opts } = capture();
  const renderer = jsonRenderer({ ...opts, verbosity: 0, monotonicMs: steppingMs() });
  const tree: Phase<Ctx>[] = [
    leaf('preflight'),
    leaf('certs', { run: async () => {
      throw new ConfigError('certificatesDir: must be an absolute path', { fix: 'use /etc/kubernetes/pki' });
    } }),
    leaf('kubeconfig'),
  ];
  const ctx: Ctx = { ran: [] };
  await assert.rejects(runPhases(selectPhases(tree), ctx, { renderer, now: steppingMs() }), PhaseError);
  assert.deepEqual(ctx.ran, ['preflight']);
  const events = parseEvents(c.stderr).map(({ time: _t, ...e }) => e);
  assert.deepEqual(events.map((e) => `${e.event} ${String(e.phase)}`), ['phase-start preflight', 'phase-finish preflight', 'phase-start certs', 'phase-error certs']);
  assert.deepEqual(events[3], {
    level: 'error', event: 'phase-error', phase: 'certs', durationMs: 5,
    error: { message: 'error execution phase certs: certificatesDir: must be an absolute path', fix: 'use /etc/kubernetes/pki',
      exitCode: exitCodes.invalidInput, name: 'ConfigError' },
  });
});

test('json is chosen whenever asked, even on a sized terminal; text keeps the plain lines', async () => {
  for (const isTTY of [false, true]) {
    const { c, opts } = capture();
    const r = chooseRenderer({ ...opts, isTTY, columns: 100, verbosity: 0, logFormat: 'json' });
    await runPhases(selectPhases([leaf('one')]), { ran: [] }, { renderer: r });
    assert.deepEqual(parseEvents(c.stderr).map((e) => e.event), ['phase-start', 'phase-finish']);
    assert.equal(c.stdout, '');
  }
  const { c, opts } = capture();
  const plain = chooseRenderer({ ...opts, isTTY: false, verbosity: 0, logFormat: 'text' });
  await runPhases(selectPhases([leaf('one', { run: async () => plain.out.info('[one] line') })]), { ran: [] }, { renderer: plain });
  assert.equal(c.stdout, '[one] line\n');
  assert.equal(c.stderr, '');
});
