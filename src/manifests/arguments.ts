// A component's command line from kubeadm's default flags and the user's extraArgs.
// kubeadm: util/arguments.go ArgumentsToCommand.
import type { Arg } from '../config/types.js';

/** `--name=value` flags: a name given in `overrides` drops every default of that name (repeats allowed, v1beta4),
 *  then all flags are sorted by name, then by value, comparing bytes as Go does. */
export function argumentsToCommand(defaults: readonly Arg[], overrides: readonly Arg[]): string[] {
  const overridden = new Set(overrides.map((a) => a.name));
  const args = [...overrides, ...defaults.filter((a) => !overridden.has(a.name))];
  args.sort((a, b) => byteOrder(a.name, b.name) || byteOrder(a.value, b.value));
  return args.map((a) => `--${a.name}=${a.value}`);
}

/** The value of `--name=` in a command line (the last one wins, as Go's flag package reads it), or undefined. */
export function flagValue(command: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  let value: string | undefined;
  for (const arg of command) if (arg.startsWith(prefix)) value = arg.slice(prefix.length);
  return value;
}

/** Go's string comparison: code unit order, not locale order (flag names and values are ASCII). */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
