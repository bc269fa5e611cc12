// Options every command accepts: kubeadm's klog verbosity, --rootfs and --log-format.
import { InvalidArgumentError, Option, type Command } from 'commander';

export type LogFormat = 'text' | 'json';
const logFormats: readonly LogFormat[] = ['text', 'json'];

export interface GlobalOptions {
  /** -v/--v; 0 when not given. */
  readonly verbosity: number;
  /** --rootfs: the host's root file system lives under this directory. */
  readonly rootfs?: string;
  /** --log-format: kubeadm's lines (text), or one JSON event per line on stderr (json). */
  readonly logFormat: LogFormat;
}

function globalOptions(): Option[] {
  return [
    new Option('-v, --v <level>', 'How much detail to print: 0 by default, 1 adds phase timings, 5 or more adds stack traces').argParser(parseLevel),
    new Option('--rootfs <dir>', 'Treat this directory as the host\'s root filesystem: every file tskubeadm reads or writes is taken under it'),
    // No commander default: optsWithGlobals lets the root's values win, so a default there would hide a
    // subcommand's `--log-format json`.
    new Option('--log-format <format>', 'Progress as kubeadm\'s text lines (the default) or as JSON events on stderr, one per line, for log shippers')
      .choices(logFormats),
  ];
}

/**
 * The root declares the global options. It parses positionally (so `init phase preflight` gets its
 * own flags, not init's), which means a global option given after a subcommand must be known there
 * too: every other command gets hidden copies (cobra's persistent flags).
 */
export function addGlobalOptions(program: Command): void {
  for (const o of globalOptions()) program.addOption(o);
}

export function addHiddenGlobalOptions(cmd: Command): void {
  for (const o of globalOptions()) {
    if (cmd.options.some((existing) => existing.long === o.long || (o.short !== undefined && existing.short === o.short))) continue;
    cmd.addOption(o.hideHelp());
  }
}

export function globalsOf(cmd: Command): GlobalOptions {
  const all = cmd.optsWithGlobals<{ v?: number; rootfs?: string; logFormat?: LogFormat }>();
  return {
    verbosity: all.v ?? 0,
    ...(all.rootfs === undefined ? {} : { rootfs: all.rootfs }),
    logFormat: all.logFormat ?? 'text',
  };
}

/**
 * --log-format as the command line gives it, read before parsing: a command line commander refuses still
 * ends in the format asked for. The last valid value wins; `--` ends the options.
 */
export function logFormatIn(argv: readonly string[]): LogFormat {
  let format: LogFormat = 'text';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    const value = arg === '--log-format' ? argv[++i] : arg.startsWith('--log-format=') ? arg.slice('--log-format='.length) : undefined;
    if (value !== undefined && (logFormats as readonly string[]).includes(value)) format = value as LogFormat;
  }
  return format;
}

function parseLevel(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('the log level must be a whole number of 0 or more.');
  return n;
}
