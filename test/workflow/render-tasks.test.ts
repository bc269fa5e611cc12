// The listr2 task renderer. Under the test runner stdout is not a terminal, so listr2 uses
// the fallback renderer we chose explicitly; the wiring (titles, phase lines as task output,
// skips, failures, no signal listeners) is the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PhaseError } from '../../src/errors.js';
import type { Output } from '../../src/output/output.js';
import type { Phase } from '../../src/workflow/phase.js';
import { taskRenderer } from '../../src/workflow/render-tasks.js';
import { runPhases } from '../../src/workflow/run.js';
import { selectPhases } from '../../src/workflow/select.js';

type Ctx = { readonly out: Output };

test('task renderer: one task per phase, phase lines as task output, skips shown', async () => {
  let out = '';
  let err = '';
  const r = taskRenderer({ stdout: (s) => (out += s), stderr: (s) => (err += s), verbosity: 0 });
  const tree: Phase<Ctx>[] = [
    { name: 'preflight', short: 'Run pre-flight checks', run: async (c) => c.out.info('[preflight] Running pre-flight checks') },
    { name: 'upload-certs', short: 'Upload certificates', runIf: () => false, run: async () => {} },
  ];
  const sigintListeners = process.listenerCount('SIGINT');
  const report = await runPhases(selectPhases(tree), { out: r.out }, { renderer: r });
  assert.equal(process.listenerCount('SIGINT'), sigintListeners, 'listr2 must not register signal listeners');
  assert.match(out, /preflight: Run pre-flight checks/);
  assert.match(out, /\[preflight\] Running pre-flight checks/);
  assert.match(out, /upload-certs: skipped/);
  assert.deepEqual(report.phases.map((p) => p.status), ['done', 'skipped']);
  // Outside a run, lines go straight to the writers.
  r.out.info('[init] after the run');
  assert.match(out, /\[init\] after the run\n$/);
  assert.equal(err, '');
});

test('task renderer: a failing phase rejects with the PhaseError and stops the list', async () => {
  let out = '';
  const r = taskRenderer({ stdout: (s) => (out += s), stderr: () => {}, verbosity: 0 });
  let ranAfter = false;
  const tree: Phase<Ctx>[] = [
    { name: 'bad', short: 'Fails', run: async () => { throw new Error('boom'); } },
    { name: 'after', short: 'Never', run: async () => { ranAfter = true; } },
  ];
  await assert.rejects(runPhases(selectPhases(tree), { out: r.out }, { renderer: r }), (e: unknown) => {
    assert.ok(e instanceof PhaseError, `got ${String(e)}`);
    assert.equal(e.message, 'error execution phase bad: boom');
    return true;
  });
  assert.equal(ranAfter, false);
  assert.match(out, /bad: Fails/);
});
