// Which phases run: a pure function of the tree, the `phase x/y` filter and the skip
// list, with kubeadm's semantics (cmd/phases/workflow/runner.go computePhaseRunFlags):
// a parent path covers its subtree, the `all` child stands for its parent, skip wins
// over the filter, and an unknown name is an error before anything runs.
import { UsageError } from '../errors.js';
import type { Phase, PlacedPhase } from './phase.js';
import { findPhase, phaseNames, placePhases } from './tree.js';

export interface SelectOptions {
  /** `phase <path>`: only this phase and its subtree. */
  readonly only?: string;
  /** Paths to leave out, with their subtrees (`--skip-phases`, config `skipPhases`). */
  readonly skip?: readonly string[];
  /** How the skip list was given, for messages (default `--skip-phases`). */
  readonly skipSource?: string;
}

export interface SkippedPhase<C> {
  readonly placed: PlacedPhase<C>;
  readonly reason: string;
}

export interface Selection<C> {
  /** In execution order; never holds an `all` phase. */
  readonly run: readonly PlacedPhase<C>[];
  /** Phases the filter selected but the skip list removed, in tree order. */
  readonly skipped: readonly SkippedPhase<C>[];
}

export function selectPhases<C>(tree: readonly Phase<C>[], opts: SelectOptions = {}): Selection<C> {
  const skipSource = opts.skipSource ?? '--skip-phases';
  const root = opts.only === undefined ? undefined : resolve(tree, opts.only);
  const skipRoots = (opts.skip ?? []).filter((s) => s.trim() !== '').map((s) => resolve(tree, s));

  const run: PlacedPhase<C>[] = [];
  const skipped: SkippedPhase<C>[] = [];
  for (const placed of placePhases(tree)) {
    if (placed.phase.selectsParent === true) continue;
    if (root !== undefined && !within(placed.path, root)) continue;
    const skipRoot = skipRoots.find((s) => within(placed.path, s));
    if (skipRoot === undefined) run.push(placed);
    else skipped.push({ placed, reason: `${skipSource} ${skipRoot}` });
  }
  checkNeeds(tree, run);
  return { run, skipped };
}

/** Throws the UsageError `selectPhases` would for an unknown name; for validating flags early. */
export function validatePhaseNames<C>(tree: readonly Phase<C>[], names: readonly string[]): void {
  for (const n of names) if (n.trim() !== '') resolve(tree, n);
}

/** The canonical path a typed name selects; `x/all` selects `x`. */
function resolve<C>(tree: readonly Phase<C>[], typed: string): string {
  const placed = findPhase(tree, typed);
  if (placed === undefined) {
    throw new UsageError(`invalid phase name: "${typed}"`, {
      fix: `use one of: ${phaseNames(tree).join(', ')}`,
    });
  }
  return placed.phase.selectsParent === true && placed.parentPath !== undefined ? placed.parentPath : placed.path;
}

function within(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}/`);
}

/** kubeadm's "unresolved dependencies" precheck: a phase's `needs` must run earlier in the same run. */
function checkNeeds<C>(tree: readonly Phase<C>[], run: readonly PlacedPhase<C>[]): void {
  const earlier = new Set<string>();
  const missing: string[] = [];
  for (const placed of run) {
    const absent = (placed.phase.needs ?? []).map((n) => findPhase(tree, n)?.path ?? n).filter((n) => !earlier.has(n));
    if (absent.length > 0) missing.push(`phase "${placed.path}" needs ${absent.map((a) => `"${a}"`).join(', ')}`);
    earlier.add(placed.path);
  }
  if (missing.length > 0) {
    throw new UsageError(`unresolved dependencies: ${missing.join('; ')}`, {
      fix: 'run the phases it needs in the same run: do not skip them, or run the whole workflow',
    });
  }
}
