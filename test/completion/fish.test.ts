// The fish script in a real fish: `fish -n`, then `complete -C "<line>"` (fish's own completion
// engine, as TAB runs it) for the brief's cases and for a sweep over the whole program tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { commandPaths, expectedLongOptions, fullProgram, scriptFor, shellMissing, visibleCommands } from './full-program.js';

const missing = shellMissing('fish');
const script = await scriptFor('fish');

/** What `complete -C` offers for each line: [word, description] pairs, all asked of one fish process. */
function complete(lines: readonly string[], cwd?: string): [string, string][][] {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsk-fish-'));
  try {
    writeFileSync(path.join(dir, 'tskubeadm.fish'), script);
    writeFileSync(path.join(dir, 'cases'), lines.join('\n') + '\n');
    const driver = `source ${path.join(dir, 'tskubeadm.fish')}; while read -l line; complete -C "$line"; printf '\\x1e\\n'; end < ${path.join(dir, 'cases')}`;
    const out = execFileSync('fish', ['--no-config', '-c', driver], { encoding: 'utf8', cwd: cwd ?? dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const answers = out.split('\x1e\n').slice(0, -1).map((a) =>
      a.split('\n').filter((l) => l !== '').map((l): [string, string] => {
        const [word = '', description = ''] = l.split('\t');
        return [word, description];
      }));
    assert.equal(answers.length, lines.length, 'one answer per case');
    return answers;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const words = (pairs: readonly [string, string][]): string[] => pairs.map(([w]) => w).sort();

test('fish: the script parses', { skip: missing }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsk-fish-'));
  try {
    writeFileSync(path.join(dir, 'tskubeadm.fish'), script);
    execFileSync('fish', ['--no-config', '-n', path.join(dir, 'tskubeadm.fish')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('fish: commands with descriptions, phases, options, choices, --skip-phases items and paths', { skip: missing }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsk-fish-files-'));
  try {
    writeFileSync(path.join(dir, 'kubeadm.yaml'), '');
    mkdirSync(path.join(dir, 'pki'));
    const cases: [string, string[]][] = [
      ['tskubeadm in', ['init']],
      ['tskubeadm init phase c', ['certs', 'control-plane']],
      ['tskubeadm certificates ren', ['renew']],
      ['tskubeadm token create --o', ['--output']],
      ['tskubeadm version -o ', ['json', 'short', 'yaml']],
      ['tskubeadm version --output=', ['--output=json', '--output=short', '--output=yaml']],
      ['tskubeadm completion ', ['bash', 'fish', 'zsh']],
      ['tskubeadm init --skip-phases=preflight,kubeconfig/a', ['--skip-phases=preflight,kubeconfig/admin', '--skip-phases=preflight,kubeconfig/all']],
      ['tskubeadm reset --skip-phases cl', ['cleanup-node']],
      ['tskubeadm init --config kub', ['kubeadm.yaml']],
      ['tskubeadm init --config=kub', ['--config=kubeadm.yaml']],
      ['tskubeadm init --cert-dir pk', ['pki/']],
      ['tskubeadm init --token ', []],
    ];
    const answers = complete(cases.map(([l]) => l), dir);
    for (const [i, [line, want]] of cases.entries()) assert.deepEqual(words(answers[i]!), want, line);
    // The menu describes commands and options.
    assert.match(answers[0]![0]![1], /\S/, 'init has a description');
    assert.match(answers[3]![0]![1], /\S/, '--output has a description');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('fish: every command of the program completes its subcommands and options (derived from the tree)', { skip: missing }, async () => {
  const program = await fullProgram();
  const cases: { line: string; want: string[]; exact: boolean }[] = [];
  for (const { words: at, cmd } of commandPaths(program)) {
    const line = ['tskubeadm', ...at].join(' ');
    const subs = visibleCommands(cmd).map((c) => c.name());
    if (subs.length > 0) cases.push({ line: `${line} `, want: subs.sort(), exact: true });
    cases.push({ line: `${line} --`, want: expectedLongOptions(program, cmd), exact: false });
  }
  const answers = complete(cases.map((c) => c.line));
  for (const [i, c] of cases.entries()) {
    const got = words(answers[i]!);
    if (c.exact) assert.deepEqual(got, c.want, c.line);
    else for (const want of c.want) assert.ok(got.includes(want), `${c.line}: ${want} is offered`);
  }
});
