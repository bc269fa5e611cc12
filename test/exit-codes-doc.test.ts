// docs/exit-codes.md must list every code of the table in src/errors.ts, by number and name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { exitCodes } from '../src/errors.js';

test('docs/exit-codes.md documents every exit code', () => {
  const doc = readFileSync(new URL('../docs/exit-codes.md', import.meta.url), 'utf8');
  const rows = new Map([...doc.matchAll(/^\| (\d+) \| (\w+) \|/gm)].map((m) => [m[2]!, Number(m[1])]));
  assert.deepEqual(Object.fromEntries(rows), { ...exitCodes });
});
