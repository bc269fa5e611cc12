// The completion tree read off the commander program: every command and alias, the options a
// user can give (the globals too, never the hidden --no-x negations), choices, --skip-phases
// items equal to the workflow trees' phase names, and which values are file or directory paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command, Option } from 'commander';
import { allCommands, completionTree, pathCompletion, type CommandNode } from '../../src/completion/model.js';
import { initPhases } from '../../src/phases/init/tree.js';
import { joinPhases } from '../../src/phases/join/tree.js';
import { resetPhases } from '../../src/phases/reset/tree.js';
import { phaseNames } from '../../src/workflow/tree.js';
import { commandPaths, fullProgram } from './full-program.js';

const program = await fullProgram();
const tree = completionTree(program);
const byPath = new Map(allCommands(tree).map((n) => [n.path, n]));
const node = (path: string): CommandNode => {
  const n = byPath.get(path);
  assert.ok(n, `${path} is in the tree`);
  return n;
};

test('every visible command of the program is a node, with its aliases, under a unique id', () => {
  const paths = commandPaths(program).map(({ words }) => ['tskubeadm', ...words].join(' '));
  assert.deepEqual([...byPath.keys()].sort(), paths.sort());
  const ids = allCommands(tree).map((n) => n.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(tree.id, 'n0');
  assert.deepEqual(node('tskubeadm certs').aliases, ['certificates']);
  assert.ok(node('tskubeadm completion').argument?.kind === 'words');
});

test('--skip-phases completes the phase names each workflow accepts', () => {
  const listOf = (path: string): readonly string[] => {
    const v = node(path).options.find((o) => o.long === '--skip-phases')?.value;
    assert.equal(v?.kind, 'list', path);
    return v.kind === 'list' ? v.words : [];
  };
  assert.deepEqual(listOf('tskubeadm init'), phaseNames(initPhases));
  assert.deepEqual(listOf('tskubeadm join'), phaseNames(joinPhases));
  assert.deepEqual(listOf('tskubeadm reset'), phaseNames(resetPhases));
});

test('options: the globals on every command, choices as words, no hidden negations', () => {
  for (const n of allCommands(tree)) {
    const longs = n.options.map((o) => o.long);
    for (const g of program.options) assert.ok(longs.includes(g.long!), `${n.path} offers ${g.long}`);
    assert.deepEqual(longs.filter((l) => l.startsWith('--no-')), [], n.path);
  }
  const output = node('tskubeadm version').options.find((o) => o.long === '--output');
  assert.deepEqual(output, { long: '--output', short: '-o', description: 'Output format', value: { kind: 'words', words: ['short', 'json', 'yaml'] } });
  assert.equal(node('tskubeadm init').options.find((o) => o.long === '--dry-run')?.value, undefined, 'a boolean takes no value');
});

test('file and directory values are known by their flag names and placeholders', () => {
  const kind = (path: string, long: string): string | undefined => node(path).options.find((o) => o.long === long)?.value?.kind;
  assert.equal(kind('tskubeadm init', '--config'), 'files');
  assert.equal(kind('tskubeadm init', '--cert-dir'), 'directories');
  assert.equal(kind('tskubeadm init', '--patches'), 'directories');
  assert.equal(kind('tskubeadm init', '--rootfs'), 'directories');
  assert.equal(kind('tskubeadm join', '--discovery-file'), 'files');
  assert.equal(kind('tskubeadm config migrate', '--old-config'), 'files');
  assert.equal(kind('tskubeadm init', '--token'), 'none');
  assert.equal(kind('tskubeadm init', '--kubernetes-version'), 'none');
  assert.equal(node('tskubeadm certs ca-hash').argument?.kind, 'files');
  assert.equal(node('tskubeadm join').argument, undefined, 'an endpoint is not completed');
  assert.deepEqual(pathCompletion('kubeconfig-dir', 'string'), { kind: 'directories' });
  assert.deepEqual(pathCompletion('kubeconfig', 'string'), { kind: 'files' });
  assert.deepEqual(pathCompletion('anything', 'dir'), { kind: 'directories' });
  assert.deepEqual(pathCompletion('anything', 'path'), { kind: 'files' });
  assert.deepEqual(pathCompletion('node-name', 'string'), { kind: 'none' });
});

test('a command or option added to the program appears in the tree without any other change', () => {
  const extra = new Command('tskubeadm');
  extra.addOption(new Option('--rootfs <dir>'));
  const sub = new Command('frobnicate').alias('frob').description('Frobnicate\nmore text');
  sub.addOption(new Option('--format <f>').choices(['a', 'b']));
  sub.addOption(new Option('--secret').hideHelp());
  extra.addCommand(sub);
  const t = completionTree(extra);
  assert.deepEqual(t.commands.map((c) => [c.name, c.aliases, c.description]), [['frobnicate', ['frob'], 'Frobnicate']]);
  assert.deepEqual(t.commands[0]!.options.map((o) => [o.long, o.value]), [['--format', { kind: 'words', words: ['a', 'b'] }]]);
});
