// The real phase trees: sound (checkTree), and every flag a phase lists exists on its
// `phase` subcommand (an unknown name would silently drop a flag the phase needs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Command } from 'commander';
import { loadCommands } from '../../src/cli/command-table.js';
import type { CliDeps } from '../../src/cli/deps.js';
import { buildProgram } from '../../src/cli/program.js';
import { initPhases } from '../../src/phases/init/tree.js';
import { joinPhases } from '../../src/phases/join/tree.js';
import { resetPhases } from '../../src/phases/reset/tree.js';
import type { Phase } from '../../src/workflow/phase.js';
import { checkTree, placePhases } from '../../src/workflow/tree.js';
import { fakeHost } from '../helpers/fake-host.js';

const trees: [string, readonly Phase<never>[]][] = [
  ['init', initPhases as readonly Phase<never>[]],
  ['join', joinPhases as readonly Phase<never>[]],
  ['reset', resetPhases as readonly Phase<never>[]],
];

const deps: CliDeps = { argv: [], env: {}, stdout: () => {}, stderr: () => {}, isTTY: false, makeHost: () => fakeHost() };
const program = buildProgram(deps, await loadCommands(deps));
const sub = (parent: Command, name: string) => parent.commands.find((c) => c.name() === name);

for (const [name, tree] of trees) {
  test(`${name} tree: invariants hold and starts with preflight (kubeadm order)`, () => {
    checkTree(tree);
    assert.equal(tree[0]?.name, 'preflight');
  });

  test(`${name} tree: every flag a phase lists is accepted by its phase subcommand`, () => {
    const missing: string[] = [];
    for (const placed of placePhases(tree)) {
      if (placed.phase.hidden === true || (placed.phase.phases ?? []).length > 0) continue;
      let cmd = sub(sub(program, name)!, 'phase');
      for (const segment of placed.path.split('/')) cmd = cmd && sub(cmd, segment);
      assert.ok(cmd, `${name} phase ${placed.path} exists`);
      const accepted = new Set(cmd.options.map((o) => o.long?.slice(2)));
      for (const f of placed.phase.flags ?? []) if (!accepted.has(f)) missing.push(`${name} phase ${placed.path} --${f}`);
    }
    assert.deepEqual(missing, []);
  });
}
