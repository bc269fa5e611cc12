// `tskubeadm version` is the cold-start benchmark: what src/main.ts loads before any command
// runs (its static import graph) must not include the heavy libraries or the config loader.
// Dynamic import() edges are where they belong, and are not followed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
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
