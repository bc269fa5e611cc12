// docs/exit-codes.md must list every code of the table in src/errors.ts, by number and name, each with what it
// means and (for failures) what to do, in numeric order; and the code of an interrupted run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { exitCodes } from '../src/errors.js';
import { CancelledError } from '../src/workflow/run.js';

const doc = readFileSync(new URL('../docs/exit-codes.md', import.meta.url), 'utf8');
const rows = [...doc.matchAll(/^\| (\d+) \| (\w+) \|(.*)\|$/gm)].map((m) => {
  const [meaning = '', todo = ''] = m[3]!.split(' | ').map((c) => c.trim());
  return { code: Number(m[1]), name: m[2]!, meaning, todo };
});

test('docs/exit-codes.md documents every exit code', () => {
  assert.deepEqual(Object.fromEntries(rows.map((r) => [r.name, r.code])), { ...exitCodes });
});

test('each row says what the code means and, for a failure, what to do; rows are in numeric order', () => {
  for (const r of rows) {
    assert.notEqual(r.meaning, '', `${r.code} has no meaning`);
    if (r.code !== exitCodes.ok) assert.notEqual(r.todo, '', `${r.code} says nothing about what to do`);
  }
  assert.deepEqual(rows.map((r) => r.code), [...rows.map((r) => r.code)].sort((a, b) => a - b));
});

test('the code of a run stopped by a signal is documented', () => {
  const code = new CancelledError('certs', new Error('received SIGINT')).exitCode;
  assert.match(doc, new RegExp(`SIGINT or SIGTERM between phases exits ${code}\\b`));
});

test('docs/unattended.md summarises the same codes', () => {
  const summary = readFileSync(new URL('../docs/unattended.md', import.meta.url), 'utf8');
  const codes = [...summary.matchAll(/^\| (\d+) \| /gm)].map((m) => Number(m[1]));
  assert.deepEqual(codes, [...Object.values(exitCodes), 130].sort((a, b) => a - b));
});
