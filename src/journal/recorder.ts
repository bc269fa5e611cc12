// Records what init and join change on the host: opens (or starts) the journal before the first phase and,
// on each flush, turns the host's new mutations into journal entries, keeping replaced contents as blobs.
// Flushed after each top-level phase and after a failure, so a crash loses at most the phase it happened in.
import type { Host, Mutation, PreviousState } from '../host/host.js';
import type { Output } from '../output/output.js';
import { rfc3339 } from '../config/rfc3339.js';
import {
  journalApiVersion, journalDir, journalKind, journalPath,
  type HostJournal, type HostSnapshot, type JournalEntry, type JournalPrevious, type JournalRun,
} from './journal.js';
import { loadJournal, storePrevious, writeJournal } from './journal-file.js';
import { sha256Hex } from '../sha256.js';
import { recordedPaths, recoverInterrupted } from './recover.js';
import { preexisted, takeSnapshot, type SnapshotOptions } from './snapshot.js';

export interface JournalRecorder {
  /** Appends the host's mutations since the last flush and rewrites the journal (only when there are any). */
  flush(): Promise<void>;
  /** The last flush: also marks the run as ended, so the next run does not take it for a killed one. */
  close(): Promise<void>;
  /** Writes the journal (snapshot and this run) now, once, even with nothing to record yet: called before the
   *  run's first change, so a run killed before its first flush still left what was there before it. */
  persist(): Promise<void>;
}

export interface OpenJournalOptions extends SnapshotOptions {
  readonly command: JournalRun['command'];
  /** The phase paths the run selected. */
  readonly phases: readonly string[];
  /** Directories to snapshot if this is the first run (watchedDirs()). */
  readonly watched: readonly string[];
  /** Where a warning about an unusable journal goes. */
  readonly out?: Output;
  /** persist() at once. */
  readonly persist?: boolean;
}

/**
 * Loads the journal (or takes the snapshot of `watched` for a new one) and adds this run. Nothing is written
 * until a flush has something to record, so a run that changes nothing (preflight alone) leaves no journal.
 * Never call it with a dry-run host: nothing of a dry run is on the host to undo.
 */
export async function openJournal(host: Host, o: OpenJournalOptions): Promise<JournalRecorder> {
  if (host.dryRun) throw new Error('openJournal: a dry-run host keeps no journal');
  let since = host.mutations.length;
  const exists = (await host.fs.stat(journalPath)) !== undefined;
  const loaded = exists ? await loadJournal(host, o.out ?? silent) : undefined;
  // An unusable journal is left as it is: loadJournal warned that reset falls back to kubeadm's list, which
  // cleans up more than a new snapshot would (it would count the earlier runs' files as the user's).
  if (exists && loaded === undefined) return { flush: async () => {}, close: async () => {}, persist: async () => {} };

  const startedAt = rfc3339(host.clock.now());
  const snapshot = loaded?.snapshot ?? (await takeSnapshot(host, o.watched, o));
  const run: JournalRun = { command: o.command, startedAt, phases: [...o.phases] };
  let journal: HostJournal = {
    apiVersion: journalApiVersion,
    kind: journalKind,
    runs: [...(loaded?.runs ?? []), run],
    snapshot,
    entries: [...(loaded?.entries ?? [])],
  };
  const runIndex = journal.runs.length - 1;
  // The run before this one never ended: what it changed after its last flush is recorded now, as its own.
  const interrupted = loaded?.runs.at(-1);
  if (loaded !== undefined && interrupted !== undefined && interrupted.endedAt === undefined) {
    const recovered = await recoverInterrupted(host, journal, runIndex - 1);
    if (recovered.length > 0) journal = { ...journal, entries: [...journal.entries, ...recovered] };
    o.out?.detail(1, `[journal] the previous ${interrupted.command} did not finish: ${recovered.length} change(s) it left recorded`);
  }
  const known = recordedPaths(journal);
  // Whether this run has written the journal yet.
  let written = false;
  let chain: Promise<void> = Promise.resolve();

  const flushNow = async (force: boolean): Promise<void> => {
    // A second round records the directories the journal's own first write created (/var/lib/tskubeadm), so
    // reset removes them too; the round after that sees only the journal's file, which is never an entry.
    for (;;) {
      const end = host.mutations.length;
      const entries = await entriesOf(host, host.mutations.slice(since, end), runIndex, { snapshot: journal.snapshot, known });
      since = end;
      if (entries.length === 0 && !force) return;
      force = false;
      journal = { ...journal, entries: [...journal.entries, ...entries] };
      await writeJournal(host, journal);
      written = true;
    }
  };
  const serialized = (f: () => Promise<void>): Promise<void> => {
    // Two flushes never interleave their reads of host.mutations.
    const next = chain.then(f);
    chain = next.catch(() => {});
    return next;
  };
  let persisted = false;
  const persist = (): Promise<void> => {
    if (persisted) return Promise.resolve();
    persisted = true;
    return serialized(() => flushNow(true));
  };
  if (o.persist === true) await persist();

  return {
    persist,
    flush: () => serialized(() => flushNow(false)),
    close: () => serialized(async () => {
      // A run that never wrote the journal and changed nothing (preflight alone, a failed discovery) leaves none.
      if (!written && host.mutations.length === since) return;
      await flushNow(false);
      // A new journal, written ahead of a run that then changed nothing (join refusing a Ready Node): taken back,
      // with the directories it made, so a refused run leaves the host exactly as it was.
      if (loaded === undefined && journal.entries.every((e) => e.action === 'mkdir' && journalOrAbove(e.path))) {
        await host.fs.remove(journalPath);
        for (const dir of journal.entries.flatMap((e) => (e.action === 'mkdir' ? e.created : [])).reverse()) {
          if ((await host.fs.list(dir))?.length === 0) await host.fs.remove(dir);
        }
        return;
      }
      const runs = journal.runs.map((r, i) => (i === runIndex ? { ...r, endedAt: rfc3339(host.clock.now()) } : r));
      journal = { ...journal, runs };
      await flushNow(true);
    }),
  };
}

const silent: Output = { verbosity: 0, info: () => {}, detail: () => {}, warn: () => {}, print: () => {} };

function underJournal(path: string): boolean {
  return path === journalDir || path.startsWith(`${journalDir}/`);
}

/** The journal's directory and those above it: what the journal's own writes may have created. */
function journalOrAbove(path: string): boolean {
  return path === journalDir || journalDir.startsWith(`${path}/`);
}

interface EntryFacts {
  readonly snapshot: HostSnapshot;
  /** Paths some entry already names; updated as entries are made. */
  readonly known: Set<string>;
}

async function entriesOf(host: Host, batch: readonly Mutation[], run: number, facts: EntryFacts): Promise<JournalEntry[]> {
  const entries: JournalEntry[] = [];
  // Reset restores a path's state from its FIRST entry: later ones keep no copy of what tskubeadm itself wrote, and
  // a first entry for a path the snapshot says was absent replaces what a killed run made, not the user's file.
  const previousOf = async (path: string, previous: PreviousState): Promise<JournalPrevious> => {
    const first = !facts.known.has(path);
    facts.known.add(path);
    if (!previous.existed) return { existed: false };
    if (!first) return { existed: true, kind: previous.kind, mode: previous.mode };
    if (preexisted(facts.snapshot, path) === false) return { existed: false };
    return journalPrevious(host, previous);
  };
  for (const [i, m] of batch.entries()) {
    if (m.action === 'exec') {
      entries.push({ run, action: 'exec', argv: [...m.argv] });
      continue;
    }
    if (underJournal(m.path)) {
      // The journal itself is never journaled, but a directory its writes created is, so reset removes it.
      const created = (m.action === 'write' ? m.createdDirs ?? [] : m.action === 'mkdir' ? m.created : []).filter(journalOrAbove);
      if (created.length > 0) entries.push({ run, action: 'mkdir', path: journalDir, mode: 0o700, created: [...created] });
      continue;
    }
    switch (m.action) {
      case 'write':
        for (const c of m.createdDirs ?? []) facts.known.add(c);
        entries.push({
          run, action: 'write', path: m.path, mode: m.mode,
          sha256: m.sha256 ?? await writtenHash(host, batch, i),
          previous: await previousOf(m.path, m.previous),
          ...(m.createdDirs === undefined || m.createdDirs.length === 0 ? {} : { createdDirs: [...m.createdDirs] }),
        });
        break;
      case 'mkdir':
        for (const c of [m.path, ...m.created]) facts.known.add(c);
        entries.push({ run, action: 'mkdir', path: m.path, mode: m.mode, created: [...m.created] });
        break;
      case 'remove':
        entries.push({ run, action: 'remove', path: m.path, previous: await previousOf(m.path, m.previous) });
        break;
    }
  }
  return entries;
}

/**
 * SHA-256 of what write `i` left on disk, for a host that does not record it (fakes): when a later change in the
 * same batch replaced or removed the file, its `previous` content is exactly what this write left; otherwise the
 * file is read back. Empty when neither can tell (a later change of a file over 1 MiB): reset then sees the
 * file as changed since, which only makes it more careful.
 */
async function writtenHash(host: Host, batch: readonly Mutation[], i: number): Promise<string> {
  const path = (batch[i] as { path: string }).path;
  for (const later of batch.slice(i + 1)) {
    if ((later.action === 'write' || later.action === 'remove') && later.path === path) {
      return later.previous.existed && later.previous.content !== undefined ? sha256Hex(later.previous.content) : '';
    }
  }
  const content = await host.fs.read(path).catch(() => undefined);
  return content === undefined ? '' : sha256Hex(content);
}

async function journalPrevious(host: Host, previous: PreviousState): Promise<JournalPrevious> {
  if (!previous.existed) return { existed: false };
  const blob = previous.kind === 'file' && previous.content !== undefined ? await storePrevious(host, previous.content) : undefined;
  return { existed: true, kind: previous.kind, mode: previous.mode, ...(blob === undefined ? {} : { blob }) };
}
