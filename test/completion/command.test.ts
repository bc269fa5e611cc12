// `tskubeadm completion` through the whole CLI: it prints the script generated from the full
// program (the same as from a program built by hand), refuses an unknown or missing shell with
// a usage error naming the three it supports, and its help says how to install each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exitCodes } from '../../src/errors.js';
import { completionShells } from '../../src/completion/script.js';
import { runCli } from '../cli/run-cli.js';
import { scriptFor } from './full-program.js';

for (const shell of completionShells) {
  test(`completion ${shell} prints the script for the whole program on stdout`, async () => {
    const r = await runCli(['completion', shell]);
    assert.equal(r.code, exitCodes.ok, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, await scriptFor(shell));
    // Built from every command, not only from the one this run loaded.
    for (const word of ['init', 'join', 'reset', 'token', 'certs', 'certificates', 'kubeconfig', 'completion', 'skip-phases']) assert.ok(r.stdout.includes(word), word);
  });
}

test('an unknown or missing shell is a usage error naming bash, zsh and fish', async () => {
  for (const argv of [['completion', 'tcsh'], ['completion']]) {
    const r = await runCli(argv);
    assert.equal(r.code, exitCodes.usage, argv.join(' '));
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /bash.*zsh.*fish/, argv.join(' '));
  }
});

test('completion takes no -o: its result is a shell script', async () => {
  const r = await runCli(['completion', 'bash', '-o', 'json']);
  assert.equal(r.code, exitCodes.usage);
});

test('the help explains how to install the script in each shell', async () => {
  const r = await runCli(['completion', '--help']);
  assert.equal(r.code, exitCodes.ok);
  for (const line of ['source <(tskubeadm completion bash)', '/etc/bash_completion.d/tskubeadm', '_tskubeadm', 'fpath=', 'compinit',
    '~/.config/fish/completions/tskubeadm.fish']) {
    assert.ok(r.stdout.includes(line), line);
  }
  const root = await runCli(['--help']);
  assert.match(root.stdout, /^\s+completion\b/m, 'the root help lists completion');
});
