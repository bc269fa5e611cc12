// Walking a phase tree: placing every phase at its `parent/child` path, resolving a
// user-typed path (aliases, any case) and listing the names a user may type.
// kubeadm: cmd/phases/workflow/runner.go (prepareForExecution, addPhaseRunner).
import { InternalError } from '../errors.js';
import type { Phase, PlacedPhase } from './phase.js';

const separator = '/';

/** A phase at its place under `parent` (or at the top). */
function placeUnder<C>(phase: Phase<C>, parent: PlacedPhase<C> | undefined): PlacedPhase<C> {
  if (parent === undefined) return { path: phase.name, phase, depth: 0 };
  return { path: `${parent.path}${separator}${phase.name}`, phase, depth: parent.depth + 1, parentPath: parent.path };
}

/** Every phase in execution order: a parent right before its children. `all` children are included. */
export function placePhases<C>(tree: readonly Phase<C>[]): PlacedPhase<C>[] {
  const out: PlacedPhase<C>[] = [];
  const visit = (phases: readonly Phase<C>[], parent: PlacedPhase<C> | undefined): void => {
    for (const phase of phases) {
      const placed = placeUnder(phase, parent);
      out.push(placed);
      visit(phase.phases ?? [], placed);
    }
  };
  visit(tree, undefined);
  return out;
}

/**
 * The placed phase a user-typed path names, or undefined. Segments match a name or an
 * alias, case-insensitively (kubeadm lower-cases its names; we accept any case).
 */
export function findPhase<C>(tree: readonly Phase<C>[], typed: string): PlacedPhase<C> | undefined {
  const segments = typed.trim().toLowerCase().split(separator);
  let phases: readonly Phase<C>[] = tree;
  let parent: PlacedPhase<C> | undefined;
  for (const segment of segments) {
    const phase = phases.find((p) => p.name.toLowerCase() === segment || (p.aliases ?? []).some((a) => a.toLowerCase() === segment));
    if (phase === undefined) return undefined;
    parent = placeUnder(phase, parent);
    phases = phase.phases ?? [];
  }
  return parent;
}

/** The paths a user may type, for error messages: visible phases only, in tree order. */
export function phaseNames<C>(tree: readonly Phase<C>[]): string[] {
  const names: string[] = [];
  const visit = (phases: readonly Phase<C>[], prefix: string): void => {
    for (const p of phases) {
      if (p.hidden === true) continue;
      const path = `${prefix}${p.name}`;
      names.push(path);
      visit(p.phases ?? [], `${path}${separator}`);
    }
  };
  visit(tree, '');
  return names;
}

/**
 * Invariants a tree must hold; a violation is a bug in the tree, not user input.
 * Sibling names and aliases are unique, `all` children neither run nor have children
 * or a runIf (kubeadm refuses RunAllSiblings with Run), and `needs` name real paths.
 */
export function checkTree<C>(tree: readonly Phase<C>[]): void {
  const problems: string[] = [];
  const visit = (phases: readonly Phase<C>[], prefix: string, atTop: boolean): void => {
    const seen = new Set<string>();
    for (const p of phases) {
      const path = `${prefix}${p.name}`;
      for (const n of [p.name, ...(p.aliases ?? [])].map((s) => s.toLowerCase())) {
        if (n === '' || n.includes(separator) || /\s/.test(n)) problems.push(`${path}: invalid name or alias "${n}"`);
        if (seen.has(n)) problems.push(`${path}: duplicate name or alias "${n}" among its siblings`);
        seen.add(n);
      }
      if (p.selectsParent === true) {
        if (atTop) problems.push(`${path}: an "all" phase needs a parent`);
        if (p.run !== undefined || p.runIf !== undefined || (p.phases ?? []).length > 0) {
          problems.push(`${path}: an "all" phase can not have run, runIf or children`);
        }
      }
      for (const need of p.needs ?? []) {
        if (findPhase(tree, need) === undefined) problems.push(`${path}: needs unknown phase "${need}"`);
      }
      visit(p.phases ?? [], `${path}${separator}`, false);
    }
  };
  visit(tree, '', true);
  if (problems.length > 0) throw new InternalError(`invalid phase tree: ${problems.join('; ')}`);
}
