// The CLI's entry: parse, run, and the single catch that turns any failure into kubeadm's
// `error: …` lines and an exit code from the first typed error along its cause chain.
import { CommanderError, type Command } from 'commander';
import { UsageError, exitCodeOf, exitCodes } from '../errors.js';
import { normalizeBooleanFlags, type BooleanFlags } from './argv.js';
import type { CliDeps } from './deps.js';
import { invokedCommand, loadCommands } from './command-table.js';
import { buildProgram, commandPath, forEachCommand } from './program.js';
import { formatError } from './report-error.js';

export async function run(deps: CliDeps): Promise<number> {
  let failedIn: Command | undefined;
  let program: Command | undefined;
  try {
    const commands = await loadCommands(deps, invokedCommand(deps.argv));
    program = buildProgram(deps, commands, (cmd) => {
      failedIn = cmd;
    });
    await program.parseAsync(normalizeBooleanFlags(deps.argv, booleanFlagNames(program)), { from: 'user' });
    return exitCodes.ok;
  } catch (caught) {
    let err = caught;
    if (caught instanceof CommanderError) {
      // --help and --version already printed what was asked.
      if (caught.exitCode === 0) return exitCodes.ok;
      // Help shown because a subcommand is missing: commander printed it to stderr.
      if (caught.code === 'commander.help') return exitCodes.usage;
      const where = failedIn === undefined ? 'tskubeadm' : commandPath(failedIn);
      // commander appends "(Did you mean --dry-run?)" on a line of its own: it belongs in the fix.
      const [message = '', ...rest] = caught.message.replace(/^error: /, '').split('\n');
      const hint = rest.join(' ').match(/^\((Did you mean .+\?)\)$/)?.[1];
      err = new UsageError(message, { fix: `${hint === undefined ? '' : `${hint} `}see '${where} --help'`, cause: caught });
    }
    deps.stderr(formatError(err, verbosityOf(program)));
    return exitCodeOf(err);
  }
}

/** -v may have been parsed by any command along the way (each knows the global options). */
function verbosityOf(program: Command | undefined): number {
  let level = 0;
  if (program) {
    forEachCommand(program, (cmd) => {
      const v: unknown = cmd.getOptionValue('v');
      if (typeof v === 'number') level = Math.max(level, v);
    });
  }
  return level;
}

function booleanFlagNames(program: Command): BooleanFlags {
  const names = new Set<string>();
  const negatable = new Set<string>();
  forEachCommand(program, (cmd) => {
    for (const o of cmd.options) {
      if (o.required || o.optional || o.long === undefined) continue;
      if (o.negate) negatable.add(o.long.slice('--no-'.length));
      else names.add(o.long.slice(2));
    }
  });
  return { names, negatable };
}
