// The lazily loaded command table: stubs carry the same description as the real command,
// and the command a command line asks for is found past the global options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandTable, invokedCommand, loadCommands } from '../../src/cli/command-table.js';
import type { CliDeps } from '../../src/cli/deps.js';
import { fakeHost } from '../helpers/fake-host.js';

const deps: CliDeps = { argv: [], env: {}, stdout: () => {}, stderr: () => {}, isTTY: false, makeHost: () => fakeHost() };

test('each stub describes its command exactly as the full command does', async () => {
  const full = await loadCommands(deps);
  assert.deepEqual(full.map((c) => c.name()), commandTable.map((e) => e.name));
  for (const [i, e] of commandTable.entries()) assert.equal(full[i]!.description(), e.summary, e.name);
});

test('loading one command builds only that one; the others are stubs without options', async () => {
  const cmds = await loadCommands(deps, 'version');
  const byName = new Map(cmds.map((c) => [c.name(), c]));
  assert.ok(byName.get('version')!.options.some((o) => o.long === '--output'));
  assert.equal(byName.get('init')!.options.length, 0);
  assert.equal(byName.get('init')!.commands.length, 0);
});

test('invokedCommand skips global options and their values, and reads `help <command>`', () => {
  assert.equal(invokedCommand(['version']), 'version');
  assert.equal(invokedCommand(['--rootfs', '/tmp/x', '-v', '5', 'init', 'phase', 'preflight']), 'init');
  assert.equal(invokedCommand(['--v=3', 'reset', '--force']), 'reset');
  assert.equal(invokedCommand(['help', 'join']), 'join');
  assert.equal(invokedCommand(['--help']), undefined);
  assert.equal(invokedCommand(['inti']), undefined);
  assert.equal(invokedCommand([]), undefined);
});
