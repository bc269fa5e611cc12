// The runner: order, runIf, error wrapping with the cause's exit code, timing, cancellation.
// Mirrors kubeadm's runner_test.go TestRunOrderAndConditions and TestRunHandleErrors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, PhaseError, PreflightError, exitCodeOf, exitCodes } from '../../src/errors.js';
import { captureOutput } from '../../src/output/output.js';
import type { Phase } from '../../src/workflow/phase.js';
import { plainRenderer } from '../../src/workflow/render-plain.js';
import { CancelledError, runPhases, type PhaseRenderer, type PhaseStep } from '../../src/workflow/run.js';
import { selectPhases, type SelectOptions } from '../../src/workflow/select.js';

interface Ctx {
  readonly calls: string[];
}

const ph = (name: string, runIf?: (c: Ctx) => boolean, ...phases: Phase<Ctx>[]): Phase<Ctx> => ({
  name,
  short: name,
  phases,
  ...(runIf ? { runIf } : {}),
  run: async (c) => {
    c.calls.push(name);
  },
});

/** A renderer that runs steps in order and records what it was shown. */
function recordingRenderer(): PhaseRenderer & { shown: string[] } {
  const out = captureOutput();
  const shown: string[] = [];
  return {
    out,
    shown,
    async execute(steps: readonly PhaseStep[]) {
      for (const s of steps) {
        shown.push(s.path);
        await s.run();
      }
    },
  };
}

const tree: Phase<Ctx>[] = [ph('foo', undefined, ph('bar', () => true), ph('baz', () => false)), ph('qux', () => true)];

for (const u of [
  { name: 'run respects runIf', options: {}, order: ['foo', 'bar', 'qux'] },
  { name: 'run takes options into account', options: { only: 'foo', skip: ['foo/baz'] }, order: ['foo', 'bar'] },
] satisfies { name: string; options: SelectOptions; order: string[] }[]) {
  test(`run: ${u.name}`, async () => {
    const ctx: Ctx = { calls: [] };
    await runPhases(selectPhases(tree, u.options), ctx, { renderer: recordingRenderer() });
    assert.deepEqual(ctx.calls, u.order);
  });
}

test('run: runIf false is reported as skipped, never an error, and children still run (kubeadm)', async () => {
  const t: Phase<Ctx>[] = [ph('parent', () => false, ph('child'))];
  const ctx: Ctx = { calls: [] };
  const report = await runPhases(selectPhases(t), ctx, { renderer: recordingRenderer() });
  assert.deepEqual(ctx.calls, ['child']);
  assert.deepEqual(
    report.phases.map((p) => [p.path, p.status]),
    [['parent', 'skipped'], ['parent/child', 'done']],
  );
});

test('run: timing is recorded per phase with the injected clock', async () => {
  let t = 1000;
  const t2: Phase<Ctx>[] = [
    { name: 'a', short: 'a', run: async () => void (t += 12) },
    { name: 'b', short: 'b', runIf: () => false, run: async () => assert.fail('must not run') },
    { name: 'c', short: 'c', run: async () => void (t += 1500) },
  ];
  const report = await runPhases(selectPhases(t2), { calls: [] }, { renderer: recordingRenderer(), now: () => t });
  assert.deepEqual(report.phases, [
    { path: 'a', status: 'done', durationMs: 12 },
    { path: 'b', status: 'skipped', durationMs: 0, reason: 'its condition does not hold for this configuration' },
    { path: 'c', status: 'done', durationMs: 1500 },
  ]);
});

test('run: a failure is wrapped as PhaseError(path), keeps the cause exit code, and stops the run', async () => {
  const ctx: Ctx = { calls: [] };
  const t3: Phase<Ctx>[] = [
    ph('first'),
    {
      name: 'preflight',
      short: 'checks',
      phases: [{ name: 'inner', short: 'inner', run: async () => { throw new PreflightError(['Swap']); } }],
    },
    ph('never'),
  ];
  const err = await runPhases(selectPhases(t3), ctx, { renderer: recordingRenderer() }).then(
    () => assert.fail('expected a failure'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof PhaseError);
  assert.equal(err.phasePath, 'preflight/inner');
  assert.equal(err.message, 'error execution phase preflight/inner: preflight checks failed');
  assert.equal(exitCodeOf(err), exitCodes.preflight);
  assert.deepEqual(ctx.calls, ['first']);
});

test('run: an untyped failure exits 1, a throwing runIf is a phase failure too', async () => {
  const plain: Phase<Ctx>[] = [{ name: 'x', short: 'x', run: async () => { throw new Error('disk full'); } }];
  await assert.rejects(runPhases(selectPhases(plain), { calls: [] }, { renderer: recordingRenderer() }), (e: unknown) => {
    assert.equal((e as Error).message, 'error execution phase x: disk full');
    assert.equal(exitCodeOf(e), exitCodes.generic);
    return true;
  });
  const badIf: Phase<Ctx>[] = [{ name: 'y', short: 'y', runIf: () => { throw new ConfigError('bad'); }, run: async () => {} }];
  await assert.rejects(runPhases(selectPhases(badIf), { calls: [] }, { renderer: recordingRenderer() }), (e: unknown) => {
    assert.ok(e instanceof PhaseError);
    assert.equal(exitCodeOf(e), exitCodes.invalidInput);
    return true;
  });
});

test('run: container phases without run are not shown as steps', async () => {
  const r = recordingRenderer();
  await runPhases(selectPhases([{ name: 'certs', short: 'c', phases: [ph('ca')] }]), { calls: [] }, { renderer: r });
  assert.deepEqual(r.shown, ['certs/ca']);
});

test('run: an aborted signal stops the run between phases', async () => {
  const ac = new AbortController();
  const ctx: Ctx = { calls: [] };
  const t4: Phase<Ctx>[] = [
    { name: 'one', short: '1', run: async (c) => { c.calls.push('one'); ac.abort(new Error('SIGINT')); } },
    ph('two'),
  ];
  const err = await runPhases(selectPhases(t4), ctx, { renderer: recordingRenderer(), signal: ac.signal }).catch((e: unknown) => e);
  assert.ok(err instanceof CancelledError);
  assert.equal(err.message, 'interrupted before phase two; the phases before it completed');
  assert.equal(exitCodeOf(err), 130);
  assert.deepEqual(ctx.calls, ['one']);
});

test('plain renderer: phase lines verbatim; -v 1 adds timing lines on stderr', async () => {
  const t5: Phase<{ out: { info(l: string): void } }>[] = [
    { name: 'preflight', short: 'p', run: async (c) => c.out.info('[preflight] Running pre-flight checks') },
    { name: 'cond', short: 'c', runIf: () => false, run: async () => {} },
  ];
  let out = '';
  let err = '';
  const quiet = plainRenderer({ stdout: (s) => (out += s), stderr: (s) => (err += s), verbosity: 0 });
  await runPhases(selectPhases(t5), { out: quiet.out }, { renderer: quiet });
  assert.equal(out, '[preflight] Running pre-flight checks\n');
  assert.equal(err, '');

  out = '';
  let clock = 0;
  const verbose = plainRenderer({ stdout: (s) => (out += s), stderr: (s) => (err += s), verbosity: 1 });
  await runPhases(selectPhases(t5), { out: verbose.out }, { renderer: verbose, now: () => (clock += 6) });
  assert.equal(out, '[preflight] Running pre-flight checks\n');
  assert.equal(
    err,
    '[phase] preflight done in 6ms\n[phase] cond skipped: its condition does not hold for this configuration\n',
  );
});
