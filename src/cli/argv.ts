// pflag accepts `--flag=true|false` for boolean flags and `-v=5` for a shorthand with a value,
// and scripts use both; commander does not. Rewrite those tokens before parsing: true → `--flag`,
// false → the hidden `--no-flag`, `-v=5` → `-v5`.

const truthy = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const falsy = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

export interface BooleanFlags {
  /** Long names of boolean options. */
  readonly names: ReadonlySet<string>;
  /** Those that also have a `--no-<name>` option. */
  readonly negatable: ReadonlySet<string>;
}

/** Go's strconv.ParseBool spellings; other values, and false without a negation, are left for commander to refuse. */
export function normalizeBooleanFlags(argv: readonly string[], flags: BooleanFlags): string[] {
  const out: string[] = [];
  let literal = false;
  for (const arg of argv) {
    if (literal || arg === '--') {
      literal = true;
      out.push(arg);
      continue;
    }
    const short = /^-([a-zA-Z])=(.*)$/s.exec(arg);
    if (short !== null) {
      out.push(`-${short[1]!}${short[2]!}`);
      continue;
    }
    const m = /^--([^=]+)=(.*)$/s.exec(arg);
    if (m === null || !flags.names.has(m[1]!)) out.push(arg);
    else if (truthy.has(m[2]!)) out.push(`--${m[1]!}`);
    else if (falsy.has(m[2]!) && flags.negatable.has(m[1]!)) out.push(`--no-${m[1]!}`);
    else out.push(arg);
  }
  return out;
}
