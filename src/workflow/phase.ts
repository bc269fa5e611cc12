// A phase is a plain value; the trees of init, join and reset are declared as data
// (src/phases/<command>/tree.ts) and the CLI, help, `phase` subcommands and
// --skip-phases validation are all generated from them. kubeadm: cmd/phases/workflow/phase.go.

export interface Phase<C> {
  /** kubeadm's exact name; the path of a child is `parent/child`. */
  readonly name: string;
  /** One line for help, listings and progress titles. */
  readonly short: string;
  readonly long?: string;
  readonly aliases?: readonly string[];
  /** Hidden from help and listings, still addressable (kubeadm's Hidden). */
  readonly hidden?: boolean;
  /** Children, run right after the parent's own `run`, in order. */
  readonly phases?: readonly Phase<C>[];
  /** False: the phase is reported as skipped, never an error. */
  readonly runIf?: (ctx: C) => boolean;
  readonly run?: (ctx: C) => Promise<void>;
  /** Long names of the command-line flags its `phase` subcommand accepts. */
  readonly flags?: readonly string[];
  /** The `all` child: selecting it selects the parent's whole subtree; it never runs itself. */
  readonly selectsParent?: true;
}

/** A phase placed in its tree, with its full path. */
export interface PlacedPhase<C> {
  readonly path: string;
  readonly phase: Phase<C>;
  readonly depth: number;
}
