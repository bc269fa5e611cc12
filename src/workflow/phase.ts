// A phase is a plain value; the trees of init, join and reset are declared as data
// (src/phases/<command>/tree.ts) and the CLI, help, `phase` subcommands and
// --skip-phases validation are all generated from them. kubeadm: cmd/phases/workflow/phase.go.

export interface Phase<C> {
  /** kubeadm's exact name; the path of a child is `parent/child`. */
  readonly name: string;
  /** One line for help, listings and progress titles. */
  readonly short: string;
  readonly long?: string;
  /** Shown under "Examples" in the phase subcommand's help. */
  readonly example?: string;
  /** Other names accepted for this path segment (kubeadm's Aliases, e.g. reset's `cleanupnode`). */
  readonly aliases?: readonly string[];
  /** Hidden from help and listings, still addressable (kubeadm's Hidden). */
  readonly hidden?: boolean;
  /** Children, run right after the parent's own `run`, in order. */
  readonly phases?: readonly Phase<C>[];
  /** False: the phase is reported as skipped, never an error. Its children are decided on their own. */
  readonly runIf?: (ctx: C) => boolean;
  readonly run?: (ctx: C) => Promise<void>;
  /** Long names of the command-line flags its `phase` subcommand accepts. */
  readonly flags?: readonly string[];
  /** The `all` child: selecting it selects the parent's whole subtree; it never runs itself. */
  readonly selectsParent?: true;
  /** Paths that must run earlier in the same run (kubeadm's Dependencies), checked before anything runs. */
  readonly needs?: readonly string[];
  /** How a re-run of init or join treats this phase once an earlier run finished it (src/resume). Absent: it
   *  runs again every time (it is idempotent: checks, waits, API objects). */
  readonly resume?: PhaseResume<C>;
}

/**
 * Resumable runs. A phase that declares `resume` is recorded when it finishes: the hash of `inputs(ctx)` and the
 * SHA-256 of every file it wrote. A later run with the same inputs whose recorded files are all still as written
 * does not run it again (status 'verified'); changed inputs or a changed/missing file run it again.
 */
export interface PhaseResume<C> {
  /** The part of the configuration this phase reads; any JSON-able value. Default: the whole run configuration. */
  readonly inputs?: (ctx: C) => unknown;
  /** When the inputs changed, the files the earlier run wrote for this phase (still as written) are removed first,
   *  so it writes them anew (a certificate with new SANs) instead of keeping them. False for what identifies the
   *  cluster (CAs, the service-account key): those are kept, and reused. */
  readonly replaceOnChange?: boolean;
}

/** A phase placed in its tree, with its full path. */
export interface PlacedPhase<C> {
  readonly path: string;
  readonly phase: Phase<C>;
  /** 0 for a top-level phase. */
  readonly depth: number;
  /** The parent's path; undefined at the top level. */
  readonly parentPath?: string;
}
