// The commander program, built from a function with injected deps: nothing happens at
// import time, and a test can build it with captured output and a fake host.
import { Command } from 'commander';
import type { CliDeps } from './deps.js';
import { addGlobalOptions, addHiddenGlobalOptions } from './globals.js';

/** Called with the command whose parsing failed, so the single catch can name its --help. */
export type ParseFailure = (cmd: Command) => void;

/** The root program over already built commands (see loadCommands in command-table.ts). */
export function buildProgram(deps: CliDeps, commands: readonly Command[], onParseFailure: ParseFailure = () => {}): Command {
  const program = new Command('tskubeadm')
    .description('tskubeadm: bootstrap a secure Kubernetes cluster, the way kubeadm does')
    .showSuggestionAfterError(true)
    .enablePositionalOptions();
  addGlobalOptions(program);
  for (const cmd of commands) program.addCommand(cmd);
  forEachCommand(program, (cmd) => {
    // addCommand does not copy settings to subcommands, so every command gets them here.
    cmd.exitOverride();
    cmd.configureOutput({
      writeOut: deps.stdout,
      writeErr: deps.stderr,
      // The single catch in run() prints errors; commander only reports where it failed.
      outputError: () => onParseFailure(cmd),
      getOutHelpWidth: () => deps.columns ?? 80,
      getErrHelpWidth: () => deps.columns ?? 80,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    });
    cmd.configureHelp({
      showGlobalOptions: true,
      // Only the root's options are global; a phase command must not list init's flags as its own.
      visibleGlobalOptions: (c: Command) => (c === program ? [] : program.createHelp().visibleOptions(program).filter((o) => o.long !== '--help')),
    });
    if (cmd !== program) {
      cmd.helpCommand(false);
      addHiddenGlobalOptions(cmd);
    }
  });
  return program;
}

export function forEachCommand(cmd: Command, fn: (c: Command) => void): void {
  fn(cmd);
  for (const sub of cmd.commands) forEachCommand(sub, fn);
}

/** `tskubeadm init phase preflight` for a nested command. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c !== null; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}
