// Options every command accepts: kubeadm's klog verbosity and --rootfs.
import { InvalidArgumentError, Option, type Command } from 'commander';

export interface GlobalOptions {
  /** -v/--v; 0 when not given. */
  readonly verbosity: number;
  /** --rootfs: the host's root file system lives under this directory. */
  readonly rootfs?: string;
}

function globalOptions(): Option[] {
  return [
    new Option('-v, --v <level>', 'How much detail to print: 0 by default, 1 adds phase timings, 5 or more adds stack traces').argParser(parseLevel),
    new Option('--rootfs <dir>', 'Treat this directory as the host\'s root filesystem: every file tskubeadm reads or writes is taken under it'),
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
  const all = cmd.optsWithGlobals<{ v?: number; rootfs?: string }>();
  return { verbosity: all.v ?? 0, ...(all.rootfs === undefined ? {} : { rootfs: all.rootfs }) };
}

function parseLevel(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('the log level must be a whole number of 0 or more.');
  return n;
}
