// `tskubeadm version` is the cold-start benchmark: what src/main.ts loads before any command
// runs (its static import graph) must not include the heavy libraries or the config loader.
// Dynamic import() edges are where they belong, and are not followed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { importsOf, rel, srcDir } from '../helpers/imports.js';

const staticImports = (file: string): string[] => importsOf(file).filter((i) => !i.dynamic).map((i) => i.specifier);

/** Every source file the entry point loads statically, and each package with the chain that loads it. */
function staticGraph(entry: string): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const visit = (file: string, chain: readonly string[]): void => {
    if (files.has(file)) return;
    files.add(file);
    const here = [...chain, rel(file)];
    for (const spec of staticImports(file)) {
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts'));
        if (existsSync(target)) visit(target, here);
      } else if (!spec.startsWith('node:')) {
        const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (!packages.has(pkg)) packages.set(pkg, [...here, pkg].join(' -> '));
      }
    }
  };
  visit(entry, []);
  return { files, packages };
}

const heavy = ['zod', 'yaml', 'execa', 'listr2', '@inquirer/prompts', '@kubernetes/client-node', '@peculiar/x509'];

// `tskubeadm version` loads main.ts statically, then the version command through the command table.
for (const entry of ['main.ts', 'cli/commands/version.ts']) {
  test(`${entry} loads no heavy library and not the config loader before a command runs`, () => {
    const { files, packages } = staticGraph(path.join(srcDir, entry));
    assert.deepEqual([...packages].filter(([p]) => heavy.includes(p)).map(([, chain]) => chain), [], 'heavy packages in the start-up graph');
    const loaded = [...files].map(rel);
    if (entry === 'main.ts') assert.ok(loaded.includes('cli/program.ts') && loaded.includes('cli/command-table.ts'), 'the scan follows the CLI');
    assert.deepEqual(loaded.filter((f) => /^config\/(load|decode|documents|schema-|build|validate)/.test(f)), [], 'config loader in the start-up graph');
  });
}

test('main.ts does not load any command module statically (they come from the command table on demand)', () => {
  const loaded = [...staticGraph(path.join(srcDir, 'main.ts')).files].map(rel);
  assert.deepEqual(loaded.filter((f) => f.startsWith('cli/commands/') || f.startsWith('phases/') || f.startsWith('preflight/')), []);
});

// The same for the build: what dist/tskubeadm.mjs loads statically (its chunk imports, followed) must not hold
// @kubernetes/client-node, which lives in a chunk of its own loaded by the first API call. Skips without a build.
const distEntry = path.resolve(srcDir, '../dist/tskubeadm.mjs');
/** A string literal of client-node's kubeconfig auth (config.js getName) that survives minification. */
const clientNodeMarker = 'kubeconfig authentication';

test('the built start-up file and its static chunks do not hold @kubernetes/client-node; a lazy chunk does', {
  skip: existsSync(distEntry) ? false : 'dist/tskubeadm.mjs is not built (npm run build)',
}, () => {
  const loaded = new Set<string>();
  const visit = (file: string): void => {
    if (loaded.has(file)) return;
    loaded.add(file);
    const text = readFileSync(file, 'utf8');
    // esbuild's minified static imports: `import{a as b}from"./chunks/chunk-X.mjs"` or `import"./x.mjs"`.
    for (const m of text.matchAll(/\bimport\s*(?:[^'"()]*?from\s*)?["'](\.[^"']+)["']/g)) visit(path.resolve(path.dirname(file), m[1]!));
  };
  visit(distEntry);
  assert.ok(loaded.size > 1, 'the scan follows the chunk imports');
  assert.deepEqual([...loaded].filter((f) => readFileSync(f, 'utf8').includes(clientNodeMarker)).map((f) => path.relative(path.dirname(distEntry), f)), []);
  const chunks = path.join(path.dirname(distEntry), 'chunks');
  assert.ok(readdirSync(chunks).some((f) => f.endsWith('.mjs') && readFileSync(path.join(chunks, f), 'utf8').includes(clientNodeMarker)),
    'client-node is bundled in a chunk of its own');
});
