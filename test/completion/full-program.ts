// The whole program with every command built (as `tskubeadm completion` builds it), and the
// three scripts generated from it, for the completion tests.
import { execFileSync } from 'node:child_process';
import type { Command } from 'commander';
import { loadCommands } from '../../src/cli/command-table.js';
import type { CliDeps } from '../../src/cli/deps.js';
import { buildProgram } from '../../src/cli/program.js';
import { completionScript, type CompletionShell } from '../../src/completion/script.js';
import { fakeHost } from '../helpers/fake-host.js';

const deps: CliDeps = { argv: [], env: {}, stdout: () => {}, stderr: () => {}, isTTY: false, makeHost: () => fakeHost() };

export async function fullProgram(): Promise<Command> {
  return buildProgram(deps, await loadCommands(deps));
}

export async function scriptFor(shell: CompletionShell): Promise<string> {
  return completionScript(shell, await fullProgram());
}

/** Why a shell test cannot run here, or false when `shell` is installed. */
export function shellMissing(shell: string): string | false {
  try {
    execFileSync(shell, ['-c', 'exit 0'], { stdio: 'ignore' });
    return false;
  } catch {
    return `${shell} is not installed here (.ci/run installs bash-completion, zsh and fish): its completion script is not exercised`;
  }
}

/** A visible subcommand's name and aliases, as the user may type them. */
export function visibleCommands(cmd: Command): Command[] {
  const visible = new Set(cmd.createHelp().visibleCommands(cmd));
  return cmd.commands.filter((c) => visible.has(c));
}

/** Every command of the program with the words that reach it from the root. */
export function commandPaths(program: Command): { words: string[]; cmd: Command }[] {
  const out: { words: string[]; cmd: Command }[] = [];
  const visit = (cmd: Command, words: string[]): void => {
    out.push({ words, cmd });
    for (const sub of visibleCommands(cmd)) visit(sub, [...words, sub.name()]);
  };
  visit(program, []);
  return out;
}

/** The long options a user sees in a command's help, plus the global ones every command accepts. */
export function expectedLongOptions(program: Command, cmd: Command): string[] {
  const globals = program.options.map((o) => o.long!);
  const own = cmd.options.filter((o) => !o.hidden && !o.negate).map((o) => o.long!);
  return [...new Set([...own, ...globals])].sort();
}
