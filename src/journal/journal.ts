// The host journal: every change `init` and `join` made to this host, kept under /var/lib/tskubeadm so
// that `reset` can undo exactly that (restore what was replaced, remove what was created) and leave alone
// what was there before. Written by recorder.ts after each top-level phase; read by reset. kubeadm keeps no such
// record (its reset deletes a fixed list of paths): this is ours, see docs/decisions/0010-host-journal.md.

/** Where the journal lives; never itself journaled. */
export const journalDir = '/var/lib/tskubeadm';
export const journalPath = `${journalDir}/journal.json`;
/** Previous contents of replaced files, one file per SHA-256 (hex), 0600: they may be keys. */
export const previousDir = `${journalDir}/previous`;

export const journalApiVersion = 'journal.tskubeadm.io/v1alpha1';
export const journalKind = 'HostJournal';

/** One run of init or join (or one of their `phase` sub-commands) that changed the host. */
export interface JournalRun {
  readonly command: 'init' | 'join';
  /** RFC 3339, from the host clock. */
  readonly startedAt: string;
  /** The phase paths the run selected ('certs/ca', …). */
  readonly phases: readonly string[];
  /** RFC 3339: when the run ended, failed or not. Absent on a run that was killed (or is still going): the next
   *  run then adds what that run left in the watched directories without an entry (recorder.ts). */
  readonly endedAt?: string;
}

/** What was at a path before the first change a run made to it. */
export type JournalPrevious =
  | { readonly existed: false }
  | {
      readonly existed: true;
      readonly kind: 'file' | 'directory' | 'symlink' | 'other';
      readonly mode: number;
      /** SHA-256 (hex) of the previous content, stored under previousDir; absent for non-files and files over 1 MiB. */
      readonly blob?: string;
    };

interface EntryBase {
  /** Index of the run in HostJournal.runs. */
  readonly run: number;
}

export type JournalEntry =
  | (EntryBase & {
      readonly action: 'write';
      readonly path: string;
      readonly mode: number;
      /** SHA-256 (hex) of what was written: reset can tell a file changed since. */
      readonly sha256: string;
      readonly previous: JournalPrevious;
      /** Directories this write created, outermost first. */
      readonly createdDirs?: readonly string[];
    })
  | (EntryBase & { readonly action: 'mkdir'; readonly path: string; readonly mode: number; readonly created: readonly string[] })
  | (EntryBase & { readonly action: 'remove'; readonly path: string; readonly previous: JournalPrevious })
  /** A command that changed the host: `systemctl start kubelet`, `crictl pull …`. */
  | (EntryBase & { readonly action: 'exec'; readonly argv: readonly string[] });

/** What a watched directory held when the first run started: paths relative to it, '/'-separated, every
 *  level listed (a file `pki/etcd/ca.crt` under /etc/kubernetes lists `pki`, `pki/etcd`, `pki/etcd/ca.crt`).
 *  Symlinks are listed, never followed. */
export interface SnapshotDir {
  readonly exists: boolean;
  /** When it did not exist: the outermost of its ancestors that did not either ('/etc' for a missing /etc/kubernetes
   *  on a bare root), so directories a killed run created above it can be told from the machine's. */
  readonly missingFrom?: string;
  readonly entries: readonly string[];
  /** True when the listing stopped at the entry limit: reset then removes nothing in it that the journal did not create. */
  readonly truncated: boolean;
}

export interface HostSnapshot {
  /** RFC 3339: when it was taken (the first run's start). */
  readonly takenAt: string;
  /** Keyed by absolute directory path (watchedDirs at the time). */
  readonly dirs: Readonly<Record<string, SnapshotDir>>;
  /** Network interface names (/sys/class/net) at the time: later ones of a CNI plugin are attributable. */
  readonly interfaces: readonly string[];
}

export interface HostJournal {
  readonly apiVersion: typeof journalApiVersion;
  readonly kind: typeof journalKind;
  readonly runs: readonly JournalRun[];
  readonly snapshot: HostSnapshot;
  readonly entries: readonly JournalEntry[];
}

/** Directories whose contents before the first run are remembered: where kubeadm's reset deletes, and
 *  where the cluster's network plugins write. */
export function watchedDirs(o: { readonly certificatesDir: string; readonly etcdDataDir?: string }): string[] {
  const dirs = ['/etc/kubernetes', o.certificatesDir, '/var/lib/kubelet', '/etc/cni', '/var/lib/cni'];
  if (o.etcdDataDir !== undefined) dirs.push(o.etcdDataDir);
  const norm = [...new Set(dirs.map((d) => d.replace(/\/+$/, '') || '/'))];
  // A directory inside another watched one is already covered by its listing.
  return norm.filter((d) => !norm.some((o2) => o2 !== d && d.startsWith(`${o2}/`)));
}
