// How the network cleanup reads a command's result: one short reason for messages and the report.
import type { ExecResult } from '../../host/host.js';

export { commandSucceeded as succeeded } from '../../host/exec-result.js';

/** Why a command failed, in one line: the spawn error, a timeout, or its first line of stderr. */
export function failureText(argv0: string, r: ExecResult): string {
  if (r.spawnError !== undefined) return `${argv0}: ${r.spawnError}`;
  if (r.timedOut) return `${argv0}: timed out`;
  const first = r.stderr.split('\n').map((l) => l.trim()).find((l) => l !== '');
  return `${argv0} exited with status ${r.exitCode}${first === undefined ? '' : `: ${first}`}`;
}

/** Commands that only read get this long; the tables of a big cluster take a while to dump. */
export const readTimeoutMs = 60_000;
/** Commands that change the kernel's state. */
export const changeTimeoutMs = 120_000;

/** At most `max` names, then how many more: detail lines stay readable with thousands of service chains. */
export function someNames(names: readonly string[], max = 20): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
