// The host lock: two tskubeadm runs that change one host (init, join, reset, certs renew) never interleave.
// The lock is a file made with createExclusive (the filesystem decides who gets it); the second run waits up to
// --lock-timeout for it, then stops naming the holder. A holder that died (SIGKILL, power loss: /run is a tmpfs
// on most systems, so a reboot clears it anyway) leaves the file behind; its PID is gone, so the next run takes
// it over (src/lock/stale-lock.ts). A dry run changes nothing and takes no lock.
import { TskubeadmError, exitCodes } from '../errors.js';
import { formatGoDuration } from '../config/duration.js';
import type { Host, Mutation } from '../host/host.js';
import type { Output } from '../output/output.js';
import { redactArgv } from '../output/log-event.js';
import { encodeLockHolder, holderCommandLine, hostLockPath, type LockHolder } from './lock-file.js';
import { lockState, removeStale } from './stale-lock.js';

export interface HostLockOptions {
  /** The workflow taking the lock: 'init', 'join', 'reset', 'certs renew'. */
  readonly command: string;
  /** How long to wait for another run to finish; 0 fails at once. */
  readonly timeoutMs: number;
  readonly out: Output;
  /** The command line to record (secret flag values redacted); default: the process's (host.system.self()). */
  readonly argv?: readonly string[];
  /** Stops the wait (SIGINT/SIGTERM): the sleep rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

export interface HostLock {
  /** Removes the lock file if it is still ours, and the directories acquiring it created, if empty. Idempotent. */
  release(): Promise<void>;
}

/** How often a waiting run looks again. */
export const lockPollMs = 200;
/** A takeover in progress by another run is given at least this long, whatever --lock-timeout says. */
const takeoverGraceMs = 2_000;

/** Another tskubeadm run holds this host's lock (exit 7). */
export class HostLockedError extends TskubeadmError {
  /** Undefined when the lock file names no holder. */
  readonly holder: LockHolder | undefined;
  constructor(holder: LockHolder | undefined, lockFile: string) {
    super(
      holder === undefined
        ? `another tskubeadm run holds this host: the lock ${lockFile} names no holder`
        : `another tskubeadm run holds this host: PID ${holder.pid} (${holderCommandLine(holder)}) since ${holder.startedAt}`,
      {
        exitCode: exitCodes.conflict,
        fix: holder === undefined
          ? `if no tskubeadm is running, remove ${lockFile}; --lock-timeout waits longer`
          : `wait for it to finish, or stop it (kill ${holder.pid}); --lock-timeout waits longer`,
      },
    );
    this.holder = holder;
  }
}
HostLockedError.prototype.name = 'HostLockedError';

/**
 * Takes the host lock, waiting up to `timeoutMs` for a live holder. Never call it with a dry-run host (use
 * withHostLock, which skips the lock for one). The lock's own write and removal are host mutations: take it before
 * the host journal opens and release it after the journal's last flush, so they never become journal entries.
 */
export async function acquireHostLock(host: Host, o: HostLockOptions): Promise<HostLock> {
  const self = host.system.self();
  // The file is world-readable and outlives a killed run, and its command line is quoted in other runs' messages:
  // a join token or certificate key given as a flag must not be in it.
  const argv = redactArgv(o.argv ?? self.argv);
  const start = host.clock.now().getTime();
  const deadline = start + Math.max(0, o.timeoutMs);
  let announced = false;
  for (;;) {
    const holder: LockHolder = { pid: self.pid, command: o.command, argv, startedAt: host.clock.now().toISOString() };
    const content = encodeLockHolder(holder);
    const before = host.mutations.length;
    if (await host.fs.createExclusive(hostLockPath, content, { mode: 0o644 })) {
      return heldLock(host, content, createdDirsOf(host.mutations.slice(before)));
    }
    const state = await lockState(host, hostLockPath);
    if (state.kind === 'gone') continue;
    const now = host.clock.now().getTime();
    if (state.kind === 'stale') {
      if (await removeStale(host, hostLockPath, state.content)) {
        o.out.detail(1, `[lock] took over ${hostLockPath} left by a run that is gone (${state.why})`);
        continue;
      }
      // Someone else is taking it over this very moment: they will hold it in a few milliseconds.
      if (now >= Math.max(deadline, start + takeoverGraceMs)) throw new HostLockedError(state.holder, host.fs.realPath(hostLockPath));
    } else {
      if (now >= deadline) throw new HostLockedError(state.holder, host.fs.realPath(hostLockPath));
      if (!announced && state.holder !== undefined) {
        announced = true;
        o.out.info(`[lock] waiting for PID ${state.holder.pid} (${holderCommandLine(state.holder)}) to finish (up to ${formatGoDuration(o.timeoutMs)})`);
      }
    }
    const waitMs = state.kind === 'stale' ? lockPollMs / 4 : Math.min(lockPollMs, deadline - now);
    await host.clock.sleep(Math.max(1, waitMs), o.signal);
  }
}

/** Runs `fn` holding the host lock, and releases it however `fn` ends (an error, a cancellation by a signal).
 *  A dry-run host takes no lock: nothing on the host changes, and a plan may be shown while another run works. */
export async function withHostLock<T>(host: Host, o: HostLockOptions, fn: () => Promise<T>): Promise<T> {
  if (host.dryRun) return fn();
  const lock = await acquireHostLock(host, o);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

function createdDirsOf(batch: readonly Mutation[]): readonly string[] {
  const write = batch.findLast((m) => m.action === 'write' && m.path === hostLockPath);
  return write?.action === 'write' ? write.createdDirs ?? [] : [];
}

function heldLock(host: Host, content: string, createdDirs: readonly string[]): HostLock {
  let released: Promise<void> | undefined;
  const release = async (): Promise<void> => {
    // Only ours: a lock that is no longer our content was taken over (we were judged dead) and is someone else's.
    if ((await host.fs.readText(hostLockPath)) === content) await host.fs.remove(hostLockPath);
    // Innermost first; host.fs.remove is rm -rf, so only a directory that is empty now goes.
    for (const dir of [...createdDirs].reverse()) {
      if ((await host.fs.list(dir))?.length !== 0) break;
      await host.fs.remove(dir);
    }
  };
  return { release: () => (released ??= release()) };
}
