// Command-line flags as data → commander options, and back: the values the user set.
// Only values whose source is the command line count (getOptionValueSource === 'cli'),
// so the config loader can tell "given" from "defaulted" and refuse mixes with --config.
import { Option, type Command } from 'commander';
import type { ConfigFlag } from '../config/flags.js';

export interface CliFlag extends ConfigFlag {
  /** Where the value goes: the config loader ('config') or the command itself ('command'). */
  readonly target: 'config' | 'command';
  /** One-letter alias, e.g. reset's -f for --force. */
  readonly short?: string;
}

export type SetFlags = Readonly<Record<string, string | boolean | readonly string[]>>;

/** The commander options for one flag: booleans also get a hidden `--no-<name>` so `--<name>=false` works. */
export function toOptions(flag: CliFlag): Option[] {
  const short = flag.short === undefined ? '' : `-${flag.short}, `;
  const described = flag.defaultText === undefined ? flag.description : `${flag.description} (default ${flag.defaultText})`;
  switch (flag.kind) {
    case 'boolean':
      return [new Option(`${short}--${flag.name}`, described), new Option(`--no-${flag.name}`).hideHelp()];
    case 'list':
      return [new Option(`${short}--${flag.name} <strings>`, described).argParser(appendList)];
    case 'string':
      return [new Option(`${short}--${flag.name} <string>`, described)];
  }
}

/** pflag's StringSlice: repeatable, each value split on commas. */
function appendList(value: string, previous: readonly string[] | undefined): string[] {
  const parts = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return [...(previous ?? []), ...parts];
}

/** Values of the options the user set on `cmd` itself, by long name. */
export function setFlagsOf(cmd: Command): Record<string, string | boolean | readonly string[]> {
  const out: Record<string, string | boolean | readonly string[]> = {};
  for (const opt of cmd.options) {
    if (opt.negate || opt.long === undefined) continue;
    const key = opt.attributeName();
    if (cmd.getOptionValueSource(key) !== 'cli') continue;
    const value: unknown = cmd.getOptionValue(key);
    if (typeof value === 'string' || typeof value === 'boolean' || Array.isArray(value)) out[opt.long.slice(2)] = value as string;
  }
  return out;
}

/** A config flag table as command-line flags, with kubeadm's one-letter aliases. */
export function cliFlags(configFlags: readonly ConfigFlag[], shorts: Readonly<Record<string, string>> = {}): CliFlag[] {
  return configFlags.map((f) => ({ ...f, target: 'config' as const, ...(shorts[f.name] === undefined ? {} : { short: shorts[f.name] }) }));
}

/** Only the config-bound values: what the config loader receives as FlagValues. */
export function configValues(set: SetFlags, flags: readonly CliFlag[]): SetFlags {
  const names = new Set(flags.filter((f) => f.target === 'config').map((f) => f.name));
  return Object.fromEntries(Object.entries(set).filter(([k]) => names.has(k)));
}
