// Taking over a lock file whose holder is gone. Removing a file that "looks stale" is racy: two runs that both
// judged it stale could each remove it, and the second removal would hit the lock the first run has just
// created, leaving both believing they hold the host. So a stale file is removed only under a guard: a second
// file, made with createExclusive, whose name is derived from the stale content itself. Whoever creates the guard
// re-reads the lock and removes it only if it still holds exactly that stale content; nobody else may remove that
// content meanwhile (they would need the same guard), and createExclusive never replaces an existing file, so the
// removal can only ever hit the stale file. A lock's content is unique (PID and start time to the millisecond), so
// a later lock never matches an old guard. A guard left by a run that died while taking over is itself stale
// content at a path, and is taken over the same way, one level down.
import type { Host } from '../host/host.js';
import { redactArgv } from '../output/log-event.js';
import { sha256Hex } from '../sha256.js';
import { encodeLockHolder, hostLockPath, parseLockHolder, type LockHolder } from './lock-file.js';

/** An unreadable lock file (empty, half written by a tool without hard links, foreign) this old is stale. */
export const unreadableStaleMs = 5_000;

/** What stands at a lock path now. */
export type LockState =
  | { readonly kind: 'gone' }
  | { readonly kind: 'held'; readonly holder?: LockHolder }
  | { readonly kind: 'stale'; readonly content: string; readonly holder?: LockHolder; readonly why: string };

/** Reads the file at `path` and judges it: a live holder, a dead one, or unreadable (stale once old enough). */
export async function lockState(host: Host, path: string): Promise<LockState> {
  const info = await host.fs.stat(path);
  if (info === undefined) return { kind: 'gone' };
  if (info.kind !== 'file') {
    // Not something a run made: refuse to remove it (it may be a directory someone keeps things in).
    return { kind: 'held' };
  }
  const content = await host.fs.readText(path);
  if (content === undefined) return { kind: 'gone' };
  const holder = parseLockHolder(content);
  if (holder === undefined) {
    const ageMs = host.clock.now().getTime() - info.mtimeMs;
    return ageMs >= unreadableStaleMs ? { kind: 'stale', content, why: 'it names no holder' } : { kind: 'held' };
  }
  // Our own PID in a file we did not write in this process: an earlier run had this PID and died (PID 1 in a
  // container is the usual case).
  if (holder.pid === host.system.self().pid) return { kind: 'stale', content, holder, why: `PID ${holder.pid} is this process` };
  if (!host.system.processAlive(holder.pid)) return { kind: 'stale', content, holder, why: `PID ${holder.pid} is not running` };
  return { kind: 'held', holder };
}

/** Guards nest at most this deep (each level needs a run killed in the middle of a takeover). */
const maxGuardDepth = 3;

/**
 * Removes `content` from `path` if it is still there, under the guard described above. True when the stale
 * content is gone (removed by us or by anyone); false when another run is taking it over right now (retry soon).
 */
export async function removeStale(host: Host, path: string, content: string, depth = 0): Promise<boolean> {
  const guard = `${hostLockPath}.takeover-${sha256Hex(content).slice(0, 16)}`;
  const self = host.system.self();
  const mine = encodeLockHolder({ pid: self.pid, command: 'lock takeover', argv: redactArgv(self.argv), startedAt: host.clock.now().toISOString() });
  if (!(await host.fs.createExclusive(guard, mine, { mode: 0o644 }))) {
    const state = await lockState(host, guard);
    if (state.kind === 'stale' && depth < maxGuardDepth) await removeStale(host, guard, state.content, depth + 1);
    return false;
  }
  try {
    if ((await host.fs.readText(path)) === content) await host.fs.remove(path);
    return true;
  } finally {
    // Ours while this process lives: only a dead guard holder's guard is ever taken over.
    if ((await host.fs.readText(guard)) === mine) await host.fs.remove(guard);
  }
}
