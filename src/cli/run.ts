// The CLI's entry: parse, run, and the single catch that turns any failure into kubeadm's
// `error: …` lines and an exit code from the first typed error along its cause chain. With
// --log-format json it also opens the run with run-start and always ends it with run-finish.
import { CommanderError, type Command } from 'commander';
import { UsageError, exitCodeOf, exitCodes } from '../errors.js';
import { encodeLogEvent, errorInfo, eventSink, redactArgv, wholeMs } from '../output/log-event.js';
import { normalizeBooleanFlags, type BooleanFlags } from './argv.js';
import type { CliDeps } from './deps.js';
import { invokedCommand, loadCommands } from './command-table.js';
import { globalsOf, logFormatIn, type LogFormat } from './globals.js';
import { buildProgram, commandPath, forEachCommand } from './program.js';
import { formatError } from './report-error.js';

export async function run(deps: CliDeps): Promise<number> {
  const startedMs = performance.now();
  // Read from argv first, so a command line commander refuses still gets the format asked for; the parsed
  // value replaces it once a command is about to run.
  let format: LogFormat = logFormatIn(deps.argv);
  let command: string | undefined;
  let failedIn: Command | undefined;
  let helpShownFor: Command | undefined;
  let program: Command | undefined;
  const emit = eventSink(deps.stderr);
  const finish = (exitCode: number, err?: unknown): number => {
    if (format === 'json') {
      emit({
        level: err === undefined ? 'info' : 'error',
        event: 'run-finish',
        command: command ?? nameOf(failedIn ?? helpShownFor),
        exitCode,
        durationMs: wholeMs(performance.now() - startedMs),
        ...(err === undefined ? {} : { error: errorInfo(err, verbosityOf(program)) }),
      });
    } else if (err !== undefined) {
      deps.stderr(formatError(err, verbosityOf(program)));
    }
    return exitCode;
  };
  try {
    const commands = await loadCommands(deps, invokedCommand(deps.argv));
    // The help commander prints for a missing subcommand is not an event: run-finish's error says it instead.
    const programDeps = format === 'json' ? { ...deps, stderr: () => {} } : deps;
    program = buildProgram(programDeps, commands, (cmd) => {
      failedIn = cmd;
    });
    program.on('beforeAllHelp', (c: { error: boolean; command: Command }) => {
      if (c.error) helpShownFor = c.command;
    });
    program.hook('preAction', (_hooked, action) => {
      format = globalsOf(action).logFormat;
      command = nameOf(action);
      if (format === 'json') emit({ level: 'info', event: 'run-start', command, argv: redactArgv(deps.argv) });
    });
    await program.parseAsync(normalizeBooleanFlags(deps.argv, booleanFlagNames(program)), { from: 'user' });
    return finish(exitCodes.ok);
  } catch (caught) {
    let err = caught;
    if (caught instanceof CommanderError) {
      // --help and --version already printed what was asked.
      if (caught.exitCode === 0) return exitCodes.ok;
      if (caught.code === 'commander.help') {
        // Help shown because a subcommand is missing: commander printed it to stderr (text mode).
        if (format !== 'json') return exitCodes.usage;
        const where = helpShownFor === undefined ? 'tskubeadm' : commandPath(helpShownFor);
        return finish(exitCodes.usage, new UsageError(`"${where}" needs a subcommand`, { fix: `see '${where} --help'`, cause: caught }));
      }
      const where = failedIn === undefined ? 'tskubeadm' : commandPath(failedIn);
      // commander appends "(Did you mean --dry-run?)" on a line of its own: it belongs in the fix.
      const [message = '', ...rest] = caught.message.replace(/^error: /, '').split('\n');
      const hint = rest.join(' ').match(/^\((Did you mean .+\?)\)$/)?.[1];
      err = new UsageError(message, { fix: `${hint === undefined ? '' : `${hint} `}see '${where} --help'`, cause: caught });
    }
    return finish(exitCodeOf(err), err);
  }
}

/** What main.ts prints on the first SIGINT/SIGTERM, in the log format the command line asks for. */
export function interruptNotice(argv: readonly string[], signal: string, now: () => Date = () => new Date()): string {
  const msg = `${signal} received: stopping after the current phase (send it again to stop now)`;
  return logFormatIn(argv) === 'json' ? encodeLogEvent({ level: 'warn', event: 'log', msg }, now()) : `\n${msg}\n`;
}

/** `init phase certs all` for that command; '' for the root. */
function nameOf(cmd: Command | undefined): string {
  return cmd === undefined ? '' : commandPath(cmd).split(' ').slice(1).join(' ');
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
