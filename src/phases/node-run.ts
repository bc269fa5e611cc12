// What every run that sets up this node (init, join) gives its phases: the machine, the output, and the
// per-run state the certificate, kubeconfig and manifest code shares between phases.
import type { Host } from '../host/host.js';
import type { Output } from '../output/output.js';
import type { KeyPool } from '../pki/key-pool.js';
import type { LoadedCAs } from '../pki-files/ensure-certs.js';
import type { PatchSet } from '../patches/patch-set.js';

export interface NodeRun {
  readonly host: Host;
  readonly out: Output;
  readonly dryRun: boolean;
  /** Lower-cased check names from --ignore-preflight-errors and nodeRegistration.ignorePreflightErrors; may hold "all". */
  readonly ignorePreflightErrors: ReadonlySet<string>;
  /** Paths of the phases this invocation runs (e.g. 'certs/apiserver'), so a phase can prepare work for later ones. */
  readonly selected: ReadonlySet<string>;
  /** Private keys for this run, generated concurrently ahead of use. */
  readonly keys: KeyPool;
  /** CAs read and checked so far in this run (each signs many certificates). */
  readonly loadedCAs: LoadedCAs;
  /** When the run started: the one creation time of every certificate it makes. */
  readonly startedAt: Date;
  /** Where a path the run writes really goes, for messages: itself, or its place in the --dry-run folder. */
  readonly writtenTo: (path: string) => string;
  /** The --patches / patches.directory files, read on first use (only the phases that patch something ask). */
  readonly patches: () => Promise<PatchSet>;
}
