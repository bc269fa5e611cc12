// Enforces the import rules drawn in docs/ARCHITECTURE.md: the host seam is the only
// door to the machine, heavy libraries have one importer each, and src/ has no cycles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { importsOf, importsOfText, rel, sourceFiles, srcDir } from './helpers/imports.js';

const files = sourceFiles(srcDir);

/** Modules that touch the machine; only the host seam may import them. */
const nodeMachineModules = ['fs', 'fs/promises', 'child_process', 'net', 'os', 'dns', 'dns/promises', 'http', 'https', 'tls', 'dgram'];
const machineModules = new Set([...nodeMachineModules, ...nodeMachineModules.map((m) => `node:${m}`), 'execa']);

test('only src/host (and the composition root src/main.ts) import modules that touch the machine', () => {
  const offenders: string[] = [];
  for (const f of files) {
    const r = rel(f);
    if (r.startsWith('host/') || r === 'main.ts') continue;
    for (const ref of importsOf(f)) if (machineModules.has(ref.specifier)) offenders.push(`${r} imports ${ref.specifier}`);
  }
  assert.deepEqual(offenders, []);
});

test('heavy libraries are imported lazily, and only by their owners', () => {
  const owners: Record<string, RegExp> = {
    listr2: /^workflow\//,
    '@inquirer/prompts': /^cli\//,
    execa: /^host\//,
    zod: /^config\//,
    '@peculiar/x509': /^pki\/x509-lib\.ts$/,
    'reflect-metadata': /^pki\/x509-lib\.ts$/,
    '@kubernetes/client-node': /^api\/client-node-lib\.ts$/,
  };
  const offenders: string[] = [];
  for (const f of files) {
    const r = rel(f);
    for (const ref of importsOf(f)) {
      const owner = owners[ref.specifier];
      if (owner === undefined) continue;
      if (!owner.test(r)) offenders.push(`${r} imports ${ref.specifier} (owner: ${owner.source})`);
      // zod is imported statically inside src/config, which itself is only loaded lazily by the CLI.
      else if (!ref.dynamic && ref.specifier !== 'zod') offenders.push(`${r} imports ${ref.specifier} statically`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('src/ has no import cycles', () => {
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const deps = importsOf(f)
      .filter((i) => i.specifier.startsWith('.') && !i.dynamic)
      .map((i) => path.resolve(path.dirname(f), i.specifier.replace(/\.js$/, '.ts')));
    graph.set(f, deps);
  }
  const cycles: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): void => {
    if (state.get(n) === 'done') return;
    if (state.get(n) === 'visiting') {
      cycles.push(stack.slice(stack.indexOf(n)).concat(n).map(rel).join(' -> '));
      return;
    }
    state.set(n, 'visiting');
    stack.push(n);
    for (const d of graph.get(n) ?? []) visit(d);
    stack.pop();
    state.set(n, 'done');
  };
  for (const f of files) visit(f);
  assert.deepEqual(cycles, []);
});

test('the import scanner sees static, side-effect and dynamic imports but not type-only ones', () => {
  const text = "import a from 'node:fs';\nimport 'x';\nconst m = await import('execa');\nimport type { T } from 'node:os';\n";
  assert.deepEqual(importsOfText(text), [
    { specifier: 'node:fs', dynamic: false },
    { specifier: 'x', dynamic: false },
    { specifier: 'execa', dynamic: true },
  ]);
});

test('the pki/ tables are plain data: they import nothing', () => {
  const pkiDir = path.resolve(srcDir, '../pki');
  const offenders = sourceFiles(pkiDir).flatMap((f) => importsOf(f).map((i) => `${path.basename(f)} imports ${i.specifier}`));
  assert.deepEqual(offenders, []);
});
