// The bash script in a real bash: sourced (with and without the bash-completion package), then
// COMP_WORDS/COMP_CWORD set as readline sets them and _tskubeadm called; COMPREPLY is the answer.
// A sweep over the program tree checks every command's subcommands, options and choices, so a
// command or flag added later is covered without touching this file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { commandPaths, expectedLongOptions, fullProgram, scriptFor, shellMissing, visibleCommands } from './full-program.js';

const bashCompletion = '/usr/share/bash-completion/bash_completion';
const missing = shellMissing('bash');

/** A command line split as bash splits it for completion: `--opt=value` becomes `--opt`, `=`, `value`. */
function compWords(line: string): string[] {
  const words = line.split(' ');
  return words.flatMap((w) => {
    const m = /^(-[^=]*)=(.*)$/.exec(w);
    if (m === null) return [w];
    return m[2] === '' ? [m[1]!, '='] : [m[1]!, '=', m[2]!];
  });
}

/** COMPREPLY for each command line (the cursor at its end), all asked of one bash process. */
function complete(script: string, lines: readonly string[], opts: { withBashCompletion: boolean; cwd?: string }): string[][] {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsk-bash-'));
  try {
    writeFileSync(path.join(dir, 'tskubeadm.bash'), script);
    // One case per line: each word ended by \x1f (so `read -a` keeps an empty current word); each answer ends with \x1e.
    writeFileSync(path.join(dir, 'cases'), lines.map((l) => compWords(l).map((w) => `${w}\x1f`).join('')).join('\n') + '\n');
    const driver = [
      opts.withBashCompletion ? `source ${bashCompletion}` : '',
      `source ${JSON.stringify(path.join(dir, 'tskubeadm.bash'))}`,
      'while IFS=$\'\\x1f\' read -r -a COMP_WORDS; do',
      '  COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}',
      '  COMPREPLY=(); _tskubeadm',
      '  (IFS=$\'\\x1f\'; printf \'%s\\x1e\' "${COMPREPLY[*]}")',
      `done < ${JSON.stringify(path.join(dir, 'cases'))}`,
    ].join('\n');
    const out = execFileSync('bash', ['--norc', '--noprofile', '-c', driver], { encoding: 'utf8', cwd: opts.cwd ?? dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const answers = out.split('\x1e').slice(0, -1).map((a) => (a === '' ? [] : a.split('\x1f')));
    assert.equal(answers.length, lines.length, 'one answer per case');
    return answers;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const script = await scriptFor('bash');

test('bash: the script parses', { skip: missing }, () => {
  execFileSync('bash', ['-n'], { input: script });
});

for (const withBashCompletion of [true, false]) {
  const skip = missing || (withBashCompletion && !existsSync(bashCompletion) ? `${bashCompletion} is absent (Debian package bash-completion)` : false);
  test(`bash${withBashCompletion ? ' with bash-completion' : ' alone'}: commands, phases, options, choices and --skip-phases items`, { skip }, () => {
    const cases: [string, string[]][] = [
      ['tskubeadm in', ['init']],
      ['tskubeadm init phase c', ['certs', 'control-plane']],
      ['tskubeadm init phase certs front', ['front-proxy-ca', 'front-proxy-client']],
      ['tskubeadm certificates ren', ['renew']],
      ['tskubeadm --rootfs /x -v 3 ver', ['version']],
      ['tskubeadm token create --o', ['--output']],
      ['tskubeadm version -o ', ['short', 'json', 'yaml']],
      ['tskubeadm version --output=y', ['yaml']],
      ['tskubeadm completion ', ['bash', 'zsh', 'fish']],
      ['tskubeadm init --skip-phases=preflight,kubeconfig/a', ['preflight,kubeconfig/all', 'preflight,kubeconfig/admin']],
      ['tskubeadm init --skip-phases preflight,ce', [
        'preflight,certs', 'preflight,certs/all', 'preflight,certs/ca', 'preflight,certs/apiserver', 'preflight,certs/apiserver-kubelet-client',
        'preflight,certs/front-proxy-ca', 'preflight,certs/front-proxy-client', 'preflight,certs/etcd-ca', 'preflight,certs/etcd-server',
        'preflight,certs/etcd-peer', 'preflight,certs/etcd-healthcheck-client', 'preflight,certs/apiserver-etcd-client', 'preflight,certs/sa']],
      ['tskubeadm reset --skip-phases cl', ['cleanup-node']],
      ['tskubeadm join --skip-phases=control-plane-join/', ['control-plane-join/all', 'control-plane-join/etcd', 'control-plane-join/mark-control-plane']],
      // A value that is not completed: nothing rather than subcommands or files.
      ['tskubeadm init --token ', []],
      ['tskubeadm init --dry-run --con', ['--config', '--control-plane-endpoint']],
    ];
    const answers = complete(script, cases.map(([l]) => l), { withBashCompletion });
    for (const [i, [line, want]] of cases.entries()) assert.deepEqual(answers[i], want, line);
  });
}

test('bash: file and directory values, in both --opt value and --opt=value forms', { skip: missing }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsk-files-'));
  try {
    writeFileSync(path.join(dir, 'kubeadm.yaml'), '');
    mkdirSync(path.join(dir, 'pki'));
    mkdirSync(path.join(dir, 'patches'));
    const cases: [string, string[]][] = [
      ['tskubeadm init --config kub', ['kubeadm.yaml']],
      ['tskubeadm init --config=kub', ['kubeadm.yaml']],
      ['tskubeadm init --cert-dir p', ['patches', 'pki']],
      ['tskubeadm init --patches pa', ['patches']],
      ['tskubeadm --rootfs p', ['patches', 'pki']],
      ['tskubeadm join --discovery-file k', ['kubeadm.yaml']],
      ['tskubeadm certs ca-hash k', ['kubeadm.yaml']],
    ];
    const answers = complete(script, cases.map(([l]) => l), { withBashCompletion: false, cwd: dir });
    for (const [i, [line, want]] of cases.entries()) assert.deepEqual([...answers[i]!].sort(), want, line);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bash: every command of the program completes its subcommands, its options and each choice (derived from the tree)', { skip: missing }, async () => {
  const program = await fullProgram();
  const cases: { line: string; want: string[] }[] = [];
  for (const { words, cmd } of commandPaths(program)) {
    const at = ['tskubeadm', ...words].join(' ');
    const subs = visibleCommands(cmd).map((c) => c.name());
    if (subs.length > 0) cases.push({ line: `${at} `, want: subs.sort() });
    const longs = expectedLongOptions(program, cmd);
    cases.push({ line: `${at} --`, want: longs });
    for (const o of cmd.options) {
      if (o.argChoices !== undefined && !o.hidden) cases.push({ line: `${at} ${o.long!} `, want: [...o.argChoices].sort() });
    }
  }
  const answers = complete(script, cases.map((c) => c.line), { withBashCompletion: false });
  for (const [i, c] of cases.entries()) {
    const got = [...answers[i]!].sort();
    if (c.line.endsWith(' --')) {
      // The offered options: every one the help shows (and the globals), and no hidden --no-x negation.
      for (const want of c.want) assert.ok(got.includes(want), `${c.line}: ${want} is offered`);
      assert.deepEqual(got.filter((o) => o.startsWith('--no-') && !c.want.includes(o)), [], `${c.line}: hidden negations`);
    } else {
      assert.deepEqual(got, c.want, c.line);
    }
  }
  assert.ok(cases.length > 150, `the sweep covers the tree (${cases.length} cases)`);
});
