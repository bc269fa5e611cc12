// --lock-timeout: how long a run waits for another one on the same host.
import { parseGoDuration } from '../config/duration.js';
import { UsageError } from '../errors.js';

export const defaultLockTimeoutMs = 10_000;

/** Milliseconds of the flag's value (a Go duration such as 10s, 2m, 0s); the default when it was not given. */
export function lockTimeoutMs(value: unknown): number {
  if (value === undefined) return defaultLockTimeoutMs;
  const ms = typeof value === 'string' ? parseGoDuration(value.trim()) : undefined;
  if (ms === undefined || ms < 0) {
    throw new UsageError(`invalid --lock-timeout "${String(value)}"`, {
      fix: 'give a duration such as 10s, 2m or 0s (0s fails at once when another run holds the host)',
    });
  }
  return ms;
}
