// The zsh script in a real zsh: `zsh -n`; sourced after compinit it registers itself; installed
// as _tskubeadm in $fpath, an interactive zsh driven through zpty completes real command lines
// (TAB, then a key whose widget prints the buffer), and the listing it prints is read back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scriptFor, shellMissing } from './full-program.js';

const missing = shellMissing('zsh');
const script = await scriptFor('zsh');

function withScriptDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsk-zsh-'));
  try {
    mkdirSync(path.join(dir, 'fpath'));
    writeFileSync(path.join(dir, 'fpath', '_tskubeadm'), script);
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Types each case and TAB into an interactive `zsh -f -i`, then ^X, bound to a widget that prints the buffer.
const driver = String.raw`
zmodload zsh/zpty || exit 3
fdir=$1 cases=$2
zpty z 'TERM=dumb COLUMNS=2000 LINES=1000 zsh -f -i'
zpty -w z "PS1='%% ' PROMPT_EOL_MARK='' zle_bracketed_paste=(); fpath=($fdir \$fpath); autoload -Uz compinit; compinit -u -D; unsetopt beep listambiguous automenu; zstyle ':completion:*' verbose no; LISTMAX=0; __show() { zle -I; print -r -- \"<BUF>\$BUFFER</BUF>\"; BUFFER=''; }; zle -N __show; bindkey '^X' __show; print '<READY>'"
while zpty -r z line; do [[ $line == '<READY>'* ]] && break; done
while IFS= read -r c; do
  zpty -w -n z "$c"$'\t\x18'
  out=''
  while zpty -r z line; do out+=$line; [[ $line == *'</BUF>'* ]] && break; done
  print -r -- "<CASE>$out"
done < $cases
zpty -d z
`;

interface Answer {
  /** The words zsh listed (several matches), sorted. */
  readonly listed: string[];
  /** The command line after TAB. */
  readonly buffer: string;
}

function complete(lines: readonly string[], cwd?: string): Answer[] {
  return withScriptDir((dir) => {
    writeFileSync(path.join(dir, 'driver.zsh'), driver);
    writeFileSync(path.join(dir, 'cases'), lines.join('\n') + '\n');
    const out = execFileSync('zsh', ['-f', path.join(dir, 'driver.zsh'), path.join(dir, 'fpath'), path.join(dir, 'cases')], {
      encoding: 'utf8', cwd: cwd ?? dir, timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const answers = out.split('<CASE>').slice(1).map((chunk): Answer => {
      const rows = chunk.replaceAll('\r', '').split('\n');
      const buffer = /<BUF>(.*)<\/BUF>/.exec(chunk)?.[1] ?? '';
      // After the echoed command line: the listing, up to the prompt drawn again.
      const end = rows.findIndex((r, i) => i > 0 && (r.startsWith('% ') || r.includes('<BUF>')));
      const listed = rows.slice(1, end).flatMap((r) => r.trim().split(/\s+/)).filter((w) => w !== '').sort();
      return { listed, buffer };
    });
    assert.equal(answers.length, lines.length, 'one answer per case');
    return answers;
  });
}

test('zsh: the script parses', { skip: missing }, () => {
  execFileSync('zsh', ['-n'], { input: script });
});

test('zsh: sourced after compinit, it registers _tskubeadm for tskubeadm', { skip: missing }, () => {
  withScriptDir((dir) => {
    const out = execFileSync('zsh', ['-f', '-c', `autoload -Uz compinit && compinit -u -D && source ${path.join(dir, 'fpath', '_tskubeadm')} && print -r -- $_comps[tskubeadm] && whence -w _tskubeadm`], { encoding: 'utf8' });
    assert.equal(out, '_tskubeadm\n_tskubeadm: function\n');
  });
});

test('zsh: autoloaded from $fpath, TAB completes commands, phases, options, choices, --skip-phases items and paths', { skip: missing }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsk-zsh-files-'));
  try {
    writeFileSync(path.join(dir, 'kubeadm.yaml'), '');
    mkdirSync(path.join(dir, 'pki'));
    const cases: [string, Partial<Answer>][] = [
      ['tskubeadm in', { buffer: 'tskubeadm init ' }],
      ['tskubeadm init phase c', { listed: ['certs', 'control-plane'] }],
      ['tskubeadm certificates ren', { buffer: 'tskubeadm certificates renew ' }],
      ['tskubeadm token create --o', { buffer: 'tskubeadm token create --output ' }],
      ['tskubeadm version -o ', { listed: ['json', 'short', 'yaml'] }],
      ['tskubeadm version --output=y', { buffer: 'tskubeadm version --output=yaml ' }],
      ['tskubeadm completion ', { listed: ['bash', 'fish', 'zsh'] }],
      ['tskubeadm init --skip-phases=preflight,kubeconfig/a', { listed: ['kubeconfig/admin', 'kubeconfig/all'] }],
      // The comma after a list item is zsh's auto-removable suffix: typing a space drops it.
      ['tskubeadm reset --skip-phases preflight,cl', { buffer: 'tskubeadm reset --skip-phases preflight,cleanup-node,' }],
      ['tskubeadm init --config kub', { buffer: 'tskubeadm init --config kubeadm.yaml ' }],
      ['tskubeadm init --config=kub', { buffer: 'tskubeadm init --config=kubeadm.yaml ' }],
      ['tskubeadm init --cert-dir p', { buffer: 'tskubeadm init --cert-dir pki/' }],
    ];
    const answers = complete(cases.map(([l]) => l), dir);
    for (const [i, [line, want]] of cases.entries()) {
      if (want.listed !== undefined) assert.deepEqual(answers[i]!.listed, want.listed, line);
      if (want.buffer !== undefined) assert.equal(answers[i]!.buffer, want.buffer, line);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
