// The host lock's file: who holds the host, as JSON, so the next run can name the holder and tell a live
// holder from one that died (a PID that no longer exists).
import { shellWords } from '../output/shell-words.js';

/** Under the host root, so --rootfs trees (and test roots) have locks of their own. /run is cleared at boot,
 *  which also clears a lock left by a crash before the reboot. */
export const hostLockPath = '/run/tskubeadm.lock';

export interface LockHolder {
  readonly pid: number;
  /** The workflow: 'init', 'join', 'reset', 'certs renew'. */
  readonly command: string;
  /** The command line as typed, secret flag values redacted: ['tskubeadm', 'init', '--config', 'x']. */
  readonly argv: readonly string[];
  /** RFC 3339. */
  readonly startedAt: string;
}

export function encodeLockHolder(h: LockHolder): string {
  return `${JSON.stringify({ pid: h.pid, command: h.command, argv: h.argv, startedAt: h.startedAt })}\n`;
}

/** The holder a lock file names, or undefined when it is not one (empty, half written, damaged, foreign). */
export function parseLockHolder(text: string): LockHolder | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.pid !== 'number' || !Number.isSafeInteger(o.pid) || o.pid <= 0) return undefined;
  if (typeof o.command !== 'string' || typeof o.startedAt !== 'string') return undefined;
  if (!Array.isArray(o.argv) || !o.argv.every((a) => typeof a === 'string')) return undefined;
  return { pid: o.pid, command: o.command, argv: o.argv as string[], startedAt: o.startedAt };
}

/** How a holder is named in messages: its command line, or the workflow when it recorded none. */
export function holderCommandLine(h: LockHolder): string {
  return h.argv.length > 0 ? shellWords(h.argv) : `tskubeadm ${h.command}`;
}
