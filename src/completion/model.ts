// What a shell needs to complete a command line, read off the commander program itself:
// every command with its names, options and positional arguments, and what each option's
// value may be. No word lists are kept by hand, so a new command, option or choice shows up
// in the completion scripts the moment it is added to the program.
import type { Argument, Command, Option } from 'commander';

/** How the value of an option (or a positional argument) is completed. */
export type ValueCompletion =
  | { readonly kind: 'none' }
  | { readonly kind: 'files' }
  | { readonly kind: 'directories' }
  | { readonly kind: 'words'; readonly words: readonly string[] }
  /** A comma-separated list of these words (--skip-phases): the item after the last comma is completed. */
  | { readonly kind: 'list'; readonly words: readonly string[] };

export interface OptionNode {
  /** `--config`. */
  readonly long: string;
  /** `-o`, when the option has one. */
  readonly short?: string;
  readonly description: string;
  /** Undefined for a flag that takes no value. */
  readonly value?: ValueCompletion;
}

export interface CommandNode {
  /** A stable, shell-safe identifier (`n0` is the root). */
  readonly id: string;
  readonly name: string;
  readonly aliases: readonly string[];
  /** `tskubeadm init phase certs`. */
  readonly path: string;
  readonly description: string;
  readonly options: readonly OptionNode[];
  /** How a positional argument is completed; undefined when the command takes none worth completing. */
  readonly argument?: ValueCompletion;
  readonly commands: readonly CommandNode[];
}

/** The root command of the tree (a program built with every command loaded, see src/cli/command-table.ts). */
export function completionTree(program: Command): CommandNode {
  let next = 0;
  const globals = new Set(program.options.map((o) => o.long).filter((l) => l !== undefined));
  const visit = (cmd: Command, parentPath: string | undefined, phases: readonly string[] | undefined): CommandNode => {
    const path = parentPath === undefined ? cmd.name() : `${parentPath} ${cmd.name()}`;
    const id = `n${next++}`;
    // A workflow command's `phase` subtree names the phases --skip-phases accepts.
    const phaseCmd = cmd.commands.find((c) => c.name() === 'phase');
    const ownPhases = phaseCmd === undefined ? phases : phasePaths(phaseCmd);
    const visible = new Set(cmd.createHelp().visibleCommands(cmd));
    const argument = cmd.registeredArguments.map(argumentCompletion).find((v) => v !== undefined);
    return {
      id,
      name: cmd.name(),
      aliases: cmd.aliases(),
      path,
      description: firstLine(cmd.summary() || cmd.description()),
      options: cmd.options.filter((o) => completable(o, globals)).map((o) => optionNode(o, ownPhases)),
      ...(argument === undefined ? {} : { argument }),
      commands: cmd.commands.filter((c) => visible.has(c)).map((c) => visit(c, path, ownPhases)),
    };
  };
  return visit(program, undefined, undefined);
}

/** Every command of the tree, parents before their children. */
export function allCommands(root: CommandNode): CommandNode[] {
  return [root, ...root.commands.flatMap(allCommands)];
}

/**
 * Visible options, plus the hidden copies of the root's options every command carries (-v,
 * --rootfs after a subcommand). Hidden `--no-x` negations and other hidden options are left out.
 */
function completable(o: Option, globals: ReadonlySet<string>): boolean {
  if (o.long === undefined || o.negate) return false;
  return !o.hidden || globals.has(o.long);
}

function optionNode(o: Option, phases: readonly string[] | undefined): OptionNode {
  const takesValue = o.required || o.optional;
  return {
    long: o.long!,
    ...(o.short === undefined ? {} : { short: o.short }),
    description: firstLine(o.description),
    ...(takesValue ? { value: optionValue(o, phases) } : {}),
  };
}

function optionValue(o: Option, phases: readonly string[] | undefined): ValueCompletion {
  if (o.argChoices !== undefined && o.argChoices.length > 0) return { kind: 'words', words: [...o.argChoices] };
  const name = o.long!.slice(2);
  if (name === 'skip-phases' && phases !== undefined) return { kind: 'list', words: phases };
  return pathCompletion(name, placeholderOf(o.flags));
}

function argumentCompletion(a: Argument): ValueCompletion | undefined {
  if (a.argChoices !== undefined && a.argChoices.length > 0) return { kind: 'words', words: [...a.argChoices] };
  const c = pathCompletion(a.name(), a.name());
  return c.kind === 'none' ? undefined : c;
}

/**
 * Whether a value names a file or a directory, from its placeholder (`<dir>`, `<path>`) or its
 * name: kubeadm's flag names say it (`--config`, `--kubeconfig`, `--cert-dir`, `--discovery-file`).
 */
export function pathCompletion(name: string, placeholder: string | undefined): ValueCompletion {
  if (placeholder !== undefined && /^(dir|directory)$/.test(placeholder)) return { kind: 'directories' };
  if (/(^|-)dir$|^rootfs$|^patches$/.test(name)) return { kind: 'directories' };
  if (placeholder !== undefined && /^(path|file)$/.test(placeholder)) return { kind: 'files' };
  if (/config$|(^|-)file$|(^|-)socket$|^file$|^path$/.test(name)) return { kind: 'files' };
  return { kind: 'none' };
}

/** `--rootfs <dir>` → `dir`. */
function placeholderOf(flags: string): string | undefined {
  return flags.match(/[<[]([^>\]]+)[>\]]/)?.[1];
}

/** The paths under a `phase` command (`certs`, `certs/ca`, …), as --skip-phases takes them. */
function phasePaths(phaseCmd: Command): string[] {
  const out: string[] = [];
  const visit = (cmd: Command, prefix: string): void => {
    for (const sub of cmd.commands) {
      const p = `${prefix}${sub.name()}`;
      out.push(p);
      visit(sub, `${p}/`);
    }
  };
  visit(phaseCmd, '');
  return out;
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim();
}
