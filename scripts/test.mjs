// Runs every test file under test/ with node's test runner (Node 20 does not expand
// globs itself). Extra arguments are passed through, e.g. a file list or --test-only.
import { readdir } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import path from 'node:path';

async function findTests(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'golden' && entry.name !== 'fixtures') out.push(...(await findTests(full)));
    } else if (entry.name.endsWith('.test.ts')) out.push(full);
  }
  return out.sort();
}

const args = process.argv.slice(2);
const files = args.some((a) => a.endsWith('.ts')) ? [] : await findTests('test');
const child = spawn(process.execPath, ['--import', 'tsx', '--import', './scripts/text-loader.mjs', '--test', '--test-concurrency=2', ...args, ...files], {
  stdio: 'inherit',
});
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
