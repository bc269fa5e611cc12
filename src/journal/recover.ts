// A run killed between two journal flushes (SIGKILL, power loss) left files and directories that no entry
// names. The next run finds them before it changes anything: in a watched directory, whatever is there now
// but was neither in the snapshot nor in an entry can only have come from that run (the snapshot is on disk
// before a run's first change, recorder.ts), so it is recorded as that run's creation and reset removes it.
import type { Host } from '../host/host.js';
import type { HostJournal, JournalEntry } from './journal.js';
import { journalDir } from './journal.js';
import { sha256Hex } from '../sha256.js';

/** Entries for what the interrupted run `run` left unrecorded, parents before children. */
export async function recoverInterrupted(host: Host, journal: HostJournal, run: number): Promise<JournalEntry[]> {
  const known = recordedPaths(journal);
  const out: JournalEntry[] = [];
  for (const [dir, listed] of Object.entries(journal.snapshot.dirs)) {
    if (listed.truncated) continue;
    const info = await host.fs.stat(dir);
    if (info?.kind !== 'directory') continue;
    if (!listed.exists && !known.has(dir)) {
      const created = chainFrom(listed.missingFrom ?? dir, dir).filter((d) => !known.has(d));
      out.push({ run, action: 'mkdir', path: dir, mode: info.mode, created });
      for (const d of created) known.add(d);
    }
    const before = new Set(listed.entries);
    await walk(host, dir, '', async (rel, kind, mode) => {
      const path = `${dir}/${rel}`;
      if (before.has(rel) || known.has(path) || path === journalDir || path.startsWith(`${journalDir}/`)) return;
      if (kind === 'directory') out.push({ run, action: 'mkdir', path, mode, created: [path] });
      else if (kind === 'file') {
        const content = await host.fs.read(path);
        if (content === undefined) return;
        out.push({ run, action: 'write', path, mode, sha256: sha256Hex(content), previous: { existed: false } });
      }
      known.add(path);
    });
  }
  return out;
}

/** Every path an entry wrote, made or removed. */
export function recordedPaths(journal: HostJournal): Set<string> {
  const known = new Set<string>();
  for (const e of journal.entries) {
    if (e.action === 'exec') continue;
    known.add(e.path);
    if (e.action === 'mkdir') for (const c of e.created) known.add(c);
    if (e.action === 'write') for (const c of e.createdDirs ?? []) known.add(c);
  }
  return known;
}

/** `from`, then each directory below it down to `to` ('/etc', '/etc/kubernetes'). */
function chainFrom(from: string, to: string): string[] {
  if (!to.startsWith(from)) return [to];
  const chain = [from];
  for (const part of to.slice(from.length).split('/').filter((p) => p !== '')) chain.push(`${chain[chain.length - 1]}/${part}`);
  return chain;
}

/** Depth first, names sorted, symlinks reported and never followed. */
async function walk(host: Host, dir: string, rel: string, visit: (rel: string, kind: string, mode: number) => Promise<void>): Promise<void> {
  for (const name of (await host.fs.list(rel === '' ? dir : `${dir}/${rel}`)) ?? []) {
    const child = rel === '' ? name : `${rel}/${name}`;
    const info = await host.fs.stat(`${dir}/${child}`);
    if (info === undefined) continue;
    await visit(child, info.kind, info.mode);
    if (info.kind === 'directory') await walk(host, dir, child, visit);
  }
}
