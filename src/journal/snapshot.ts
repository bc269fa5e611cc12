// The journal's snapshot: the names under the watched directories when the first init or join started, so
// that reset keeps what was there before (a user's CA, notes) and removes what appeared after. Names only:
// contents are not the point, existence is.
import type { Host } from '../host/host.js';
import { rfc3339 } from '../config/rfc3339.js';
import type { HostSnapshot, SnapshotDir } from './journal.js';

/** Entries listed per watched directory before the listing stops (and is marked truncated). */
export const snapshotEntryLimit = 20000;

export interface SnapshotOptions {
  /** Tests lower it to exercise truncation. */
  readonly maxEntries?: number;
}

/** Lists each directory recursively through the host (lstat first: a symlink is listed, never descended),
 *  and the network interfaces of the running kernel. */
export async function takeSnapshot(host: Host, dirs: readonly string[], o: SnapshotOptions = {}): Promise<HostSnapshot> {
  const max = o.maxEntries ?? snapshotEntryLimit;
  const listed: Record<string, SnapshotDir> = {};
  for (const dir of dirs) listed[dir] = await snapshotDir(host, dir, max);
  const interfaces = (await host.system.listKernelDir('/sys/class/net')) ?? [];
  return {
    takenAt: rfc3339(host.clock.now()),
    dirs: listed,
    interfaces: [...interfaces].sort(),
  };
}

async function snapshotDir(host: Host, dir: string, max: number): Promise<SnapshotDir> {
  const info = await host.fs.stat(dir);
  if (info === undefined) return { exists: false, entries: [], truncated: false, missingFrom: await outermostMissing(host, dir) };
  // A watched directory that is itself a link (or not a directory) is not listed through: reset must then
  // leave everything there that the journal did not create, which is what `truncated` says.
  if (info.kind !== 'directory') return { exists: true, entries: [], truncated: true };
  const entries: string[] = [];
  // Depth first, names sorted: a parent always comes before what it holds.
  const walk = async (rel: string): Promise<boolean> => {
    const names = (await host.fs.list(rel === '' ? dir : `${dir}/${rel}`)) ?? [];
    for (const name of names) {
      if (entries.length >= max) return false;
      const child = rel === '' ? name : `${rel}/${name}`;
      entries.push(child);
      const st = await host.fs.stat(`${dir}/${child}`);
      if (st?.kind === 'directory' && !(await walk(child))) return false;
    }
    return true;
  };
  const complete = await walk('');
  return { exists: true, entries, truncated: !complete };
}

/** The outermost ancestor of a missing `dir` (or `dir` itself) that does not exist either. */
async function outermostMissing(host: Host, dir: string): Promise<string> {
  let missing = dir;
  for (let up = parentOf(dir); up !== '/' && (await host.fs.stat(up)) === undefined; up = parentOf(up)) missing = up;
  return missing;
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** The watched directory holding `path` (the deepest one, should they nest), with the path relative to it. */
function locate(snapshot: HostSnapshot, path: string): { dir: SnapshotDir; rel: string } | undefined {
  let best: { dir: SnapshotDir; rel: string; depth: number } | undefined;
  for (const [dirPath, dir] of Object.entries(snapshot.dirs)) {
    const rel = path === dirPath ? '' : path.startsWith(`${dirPath}/`) ? path.slice(dirPath.length + 1) : undefined;
    if (rel === undefined) continue;
    if (best === undefined || dirPath.length > best.depth) best = { dir, rel, depth: dirPath.length };
  }
  return best === undefined ? undefined : { dir: best.dir, rel: best.rel };
}

/** Whether `path` (absolute, normalized) existed when the snapshot was taken: 'unknown' when it lies in no
 *  watched directory, or in one whose listing was truncated and does not name it. */
export function preexisted(snapshot: HostSnapshot, path: string): boolean | 'unknown' {
  const at = locate(snapshot, path);
  if (at === undefined) return 'unknown';
  if (at.rel === '') return at.dir.exists;
  if (!at.dir.exists) return false;
  if (at.dir.entries.includes(at.rel)) return true;
  return at.dir.truncated ? 'unknown' : false;
}

/** Whether something that existed at snapshot time lies strictly under `dirPath`: reset then descends into the
 *  directory instead of removing it. True as well where a truncated listing cannot tell. */
export function holdsPreexisting(snapshot: HostSnapshot, dirPath: string): boolean {
  const prefix = dirPath === '/' ? '/' : `${dirPath}/`;
  for (const [watched, dir] of Object.entries(snapshot.dirs)) {
    if (!dir.exists) continue;
    // A watched directory below dirPath that existed is itself a pre-existing path under it.
    if (watched.startsWith(prefix)) return true;
    if (watched !== dirPath && !dirPath.startsWith(`${watched}/`)) continue;
    const rel = watched === dirPath ? '' : dirPath.slice(watched.length + 1);
    if (rel === '' ? dir.entries.length > 0 : dir.entries.some((e) => e.startsWith(`${rel}/`))) return true;
    if (dir.truncated) return true;
  }
  return false;
}
