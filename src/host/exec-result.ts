// Reading a command's result the same way everywhere: it ran, finished in time, and exited 0.
import type { ExecResult } from './host.js';

export function commandSucceeded(r: ExecResult): boolean {
  return r.exitCode === 0 && r.spawnError === undefined && r.timedOut !== true;
}
