// kubeadm's BindToCommand on commander: a workflow command gets its flags, --skip-phases,
// the phase listing in its help, and a `phase` subcommand tree with one nested command per
// phase that accepts only the flags that phase lists (plus the global ones).
import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { phaseListing } from '../workflow/listing.js';
import type { Phase, PlacedPhase } from '../workflow/phase.js';
import { phaseNames, placePhases } from '../workflow/tree.js';
import { skipPhasesFlag } from './command-flags.js';
import { setFlagsOf, toOptions, type CliFlag, type SetFlags } from './flag-options.js';
import { globalsOf, type GlobalOptions } from './globals.js';

export interface WorkflowDefinition<C> {
  readonly tree: readonly Phase<C>[];
  /** Flags of the command itself, in help order. */
  readonly flags: readonly CliFlag[];
  /** Flags only `phase` subcommands accept, when a phase lists them. */
  readonly phaseOnlyFlags?: readonly CliFlag[];
  /** Flags of the run rather than of a phase (--lock-timeout): the command and every leaf phase command take them,
   *  whatever the phase lists. */
  readonly runFlags?: readonly CliFlag[];
  /** An optional positional argument of the command and of its leaf phase commands (join's endpoint). */
  readonly argument?: { readonly name: string; readonly description: string };
  readonly run: (call: WorkflowCall) => Promise<void>;
}

export interface WorkflowCall {
  /** The flags the user set on the command line, by long name. */
  readonly set: SetFlags;
  /** `phase <path>`: run this phase and its subtree only. */
  readonly only?: string;
  readonly args: readonly string[];
  readonly globals: GlobalOptions;
  /** The flags that command accepted (to tell config-bound ones apart). */
  readonly flags: readonly CliFlag[];
}

export function bindWorkflow<C>(cmd: Command, def: WorkflowDefinition<C>): void {
  // Options after `phase …` belong to the phase command, never to this one (cobra's local flags).
  cmd.enablePositionalOptions();
  const ownFlags = [...def.flags, ...(def.runFlags ?? [])];
  const mainFlags = ownFlags.some((f) => f.name === skipPhasesFlag.name) ? ownFlags : [...ownFlags, skipPhasesFlag];
  for (const f of mainFlags) for (const o of toOptions(f)) cmd.addOption(o);
  if (def.argument) cmd.argument(`[${def.argument.name}]`, def.argument.description);
  cmd.addHelpText('after', `\n${phaseListing(cmd.name(), def.tree)}\n`);
  cmd.action(async (...params: unknown[]) => {
    const self = params[params.length - 1] as Command;
    await def.run({ set: setFlagsOf(self), args: self.args, globals: globalsOf(self), flags: mainFlags });
  });

  const names = phaseNames(def.tree);
  const phaseCmd = new Command('phase')
    .description(`Run one phase of the ${cmd.name()} workflow by itself (a parent phase runs its children)`)
    .helpCommand(false)
    .enablePositionalOptions()
    .allowExcessArguments()
    .action((_opts, self: Command) => {
      throw pickAPhase(self.args, undefined, names, cmd.name());
    });
  cmd.addCommand(phaseCmd);

  const known = [...mainFlags, ...(def.phaseOnlyFlags ?? [])];
  const commands = new Map<string, Command>();
  for (const placed of placePhases(def.tree)) {
    if (placed.phase.hidden === true || (placed.parentPath !== undefined && !commands.has(placed.parentPath))) continue;
    const sub = phaseCommand(placed, def, known, names, cmd.name());
    (placed.parentPath === undefined ? phaseCmd : commands.get(placed.parentPath)!).addCommand(sub);
    commands.set(placed.path, sub);
  }
}

function phaseCommand<C>(placed: PlacedPhase<C>, def: WorkflowDefinition<C>, known: readonly CliFlag[], names: readonly string[], workflow: string): Command {
  const { phase } = placed;
  const sub = new Command(phase.name).summary(phase.short).description(phase.long ?? phase.short).helpCommand(false);
  if (phase.aliases) sub.aliases([...phase.aliases]);
  if (phase.example !== undefined) sub.addHelpText('after', `\nExamples:\n${phase.example}\n`);
  const children = (phase.phases ?? []).filter((c) => c.hidden !== true);
  if (children.length > 0) {
    // kubeadm prints help for a parent phase and exits 0, which silently does nothing in a script.
    return sub.enablePositionalOptions().allowExcessArguments().action((_opts, self: Command) => {
      throw pickAPhase(self.args, placed, names, workflow);
    });
  }
  const flags = [...phaseFlags(placed, def.tree, known), ...(def.runFlags ?? []).filter((f) => !phase.flags?.includes(f.name))];
  for (const f of flags) for (const o of toOptions(f)) sub.addOption(o);
  if (def.argument) sub.argument(`[${def.argument.name}]`, def.argument.description);
  const only = phase.selectsParent === true && placed.parentPath !== undefined ? placed.parentPath : placed.path;
  return sub.action(async (...params: unknown[]) => {
    const self = params[params.length - 1] as Command;
    await def.run({ set: setFlagsOf(self), only, args: self.args, globals: globalsOf(self), flags });
  });
}

/** The flags a phase lists; an `all` phase without its own list takes its siblings' union. */
function phaseFlags<C>(placed: PlacedPhase<C>, tree: readonly Phase<C>[], known: readonly CliFlag[]): CliFlag[] {
  let wanted = placed.phase.flags;
  if (wanted === undefined && placed.phase.selectsParent === true) {
    const parent = placePhases(tree).find((p) => p.path === placed.parentPath)?.phase;
    wanted = [...new Set([...(parent?.flags ?? []), ...(parent?.phases ?? []).flatMap((s) => s.flags ?? [])])];
  }
  // Unknown names are skipped here (a test checks the real trees list only known flags).
  return known.filter((f) => (wanted ?? []).includes(f.name));
}

function pickAPhase<C>(args: readonly string[], parent: PlacedPhase<C> | undefined, names: readonly string[], workflow: string): UsageError {
  const prefix = parent === undefined ? '' : `${parent.path}/`;
  const candidates = names.filter((n) => n.startsWith(prefix) && n !== parent?.path);
  const fix = `use one of: ${candidates.join(', ')}`;
  if (args.length > 0) return new UsageError(`invalid phase name: "${prefix}${args[0]}"`, { fix });
  if (parent === undefined) return new UsageError(`"${workflow} phase" needs the name of the phase to run`, { fix });
  const hasAll = (parent.phase.phases ?? []).some((c) => c.selectsParent === true);
  return new UsageError(`phase "${parent.path}" only groups other phases and runs nothing by itself`, {
    fix: hasAll ? `run "${workflow} phase ${parent.path.split('/').join(' ')} all" to run all of them, or ${fix}` : fix,
  });
}
