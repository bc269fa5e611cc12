// The lookup tables every script embeds, as rows of (key, value) that a shell `case` or
// `switch` turns into one branch per distinct value. The walk over the command line is the
// same in every shell: only the syntax differs.
import { allCommands, type CommandNode, type ValueCompletion } from './model.js';

export type Row = readonly [key: string, value: string];

/**
 * A value completion as one word the shell scripts switch on: `none`, `files`, `directories`,
 * `words:a b c` or `list:a b c` (words never hold spaces: they are choices and phase paths).
 */
export function valueCode(v: ValueCompletion): string {
  switch (v.kind) {
    case 'words':
    case 'list':
      return `${v.kind}:${v.words.join(' ')}`;
    default:
      return v.kind;
  }
}

/** `<node> <word>` → the child command that word names (by name or alias). */
export function childRows(root: CommandNode): Row[] {
  return allCommands(root).flatMap((n) =>
    n.commands.flatMap((c) => [c.name, ...c.aliases].map((w): Row => [`${n.id} ${w}`, c.id])));
}

/**
 * `<node> <option>` → the value code, for every option that takes a value (long and short names).
 * An option whose value completes the same way on every command that has it gets one row keyed
 * `* <option>` (any command) instead of one per command: the scripts turn `*` into a wildcard.
 */
export function valueRows(root: CommandNode): Row[] {
  const rows = allCommands(root).flatMap((n) =>
    n.options.flatMap((o) => {
      const code = o.value === undefined ? '' : valueCode(o.value);
      return [o.long, ...(o.short === undefined ? [] : [o.short])].map((name) => ({ node: n.id, name, code }));
    }));
  const codesOf = new Map<string, Set<string>>();
  for (const r of rows) codesOf.set(r.name, (codesOf.get(r.name) ?? new Set()).add(r.code));
  const out: Row[] = [];
  const merged = new Set<string>();
  for (const r of rows) {
    if (r.code === '') continue;
    if (codesOf.get(r.name)!.size > 1) out.push([`${r.node} ${r.name}`, r.code]);
    else if (!merged.has(r.name)) {
      merged.add(r.name);
      out.push([`* ${r.name}`, r.code]);
    }
  }
  return out;
}

/** A table key as a bash/zsh `case` pattern: quoted, with a leading `*` (any command) left a wildcard. */
export function casePattern(key: string): string {
  return key.startsWith('* ') ? `*${singleQuote(key.slice(1))}` : singleQuote(key);
}

/** `<node>` → how its positional argument completes, for commands without subcommands that take one. */
export function argumentRows(root: CommandNode): Row[] {
  return allCommands(root).flatMap((n) => (n.argument === undefined || n.commands.length > 0 ? [] : [[n.id, valueCode(n.argument)] as const]));
}

/** The option names a command offers, long names first, then the one-letter ones. */
export function optionWords(n: CommandNode): string[] {
  return [...n.options.map((o) => o.long), ...n.options.flatMap((o) => (o.short === undefined ? [] : [o.short]))];
}

/** Rows with the same value merged into one branch, in first-seen order. */
export function groupByValue(rows: readonly Row[]): { keys: string[]; value: string }[] {
  const groups = new Map<string, string[]>();
  for (const [key, value] of rows) {
    const keys = groups.get(value);
    if (keys === undefined) groups.set(value, [key]);
    else keys.push(key);
  }
  return [...groups].map(([value, keys]) => ({ keys, value }));
}

/** POSIX single quoting (bash, zsh): `it's` → `'it'\''s'`. */
export function singleQuote(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}

/** A description shortened for a completion menu: one line, at most `max` characters. */
export function menuText(s: string, max = 90): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}

/**
 * Shell code in a template literal, taken raw: `\${` stands for the shell's `${` (which the
 * template would interpolate), and nothing is interpolated.
 */
export function shellCode(strings: TemplateStringsArray): string {
  return strings.raw.join('').replaceAll('\\${', '${');
}

/**
 * The options with their menu text, each distinct (word, description) once: `entries` gives an
 * id to each, `perCommand` lists a command's ids. Most commands share most options, so the
 * descriptions are stored once rather than once per command.
 */
export function describedOptions(root: CommandNode): { entries: { id: string; word: string; text: string }[]; perCommand: Row[] } {
  const ids = new Map<string, string>();
  const entries: { id: string; word: string; text: string }[] = [];
  const perCommand: Row[] = [];
  for (const n of allCommands(root)) {
    if (n.options.length === 0) continue;
    const mine = n.options.flatMap((o) => [o.long, ...(o.short === undefined ? [] : [o.short])].map((word) => {
      const text = menuText(o.description);
      const key = `${word}\n${text}`;
      let id = ids.get(key);
      if (id === undefined) {
        id = `o${entries.length}`;
        ids.set(key, id);
        entries.push({ id, word, text });
      }
      return id;
    }));
    perCommand.push([n.id, mine.join(' ')]);
  }
  return { entries, perCommand };
}
