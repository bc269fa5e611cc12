// Golden files under test/golden/: compared byte for byte, rewritten only when UPDATE_GOLDEN=1
// is set (then review the diff before committing).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const goldenRoot = path.resolve(import.meta.dirname, '../golden');

/** Compares `actual` with test/golden/<name>. */
export function assertGolden(name: string, actual: string): void {
  const file = path.join(goldenRoot, name);
  if (process.env['UPDATE_GOLDEN'] === '1') {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  assert.ok(existsSync(file), `missing golden ${file}: run with UPDATE_GOLDEN=1 and review the diff`);
  assert.equal(actual, readFileSync(file, 'utf8'), `${name} differs from its golden file`);
}
