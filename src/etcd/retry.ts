// Asking etcd again while it answers with a state that passes on its own (a learner catching up, a leader
// election, another node's learner not yet promoted), on the host's clock, until etcd's API-call timeout.
// kubeadm polls member add and promote every 500 ms for timeouts.etcdAPICall (2 min by default).
import { formatGoDuration } from '../config/duration.js';
import { TimeoutError, TskubeadmError } from '../errors.js';
import type { Clock } from '../host/host.js';
import { pollUntil } from '../wait/poll.js';
import { isTransientEtcdError } from './etcd-error.js';

/** kubeadm's EtcdAPICallRetryInterval. */
export const etcdRetryIntervalMs = 500;

export interface RetryOptions {
  readonly clock: Clock;
  /** Overall bound (timeouts.etcdAPICall). */
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** Told of each transient failure before the next try (for a verbose line). */
  readonly onRetry?: (err: Error, attempt: number) => void;
}

/**
 * Runs `op` until it succeeds. A transient etcd failure (isTransientEtcdError) is tried again after the
 * interval; any other error ends it at once. At the deadline a TimeoutError names `what` and etcd's last answer.
 */
export async function retryTransient<T>(what: string, op: () => Promise<T>, opts: RetryOptions): Promise<T> {
  let last: Error | undefined;
  const outcome = await pollUntil<T>(async ({ attempt }) => {
    try {
      return { done: true, value: await op() };
    } catch (err) {
      if (!isTransientEtcdError(err)) throw err;
      last = err as Error;
      opts.onRetry?.(last, attempt);
      return { done: false, reason: last.message };
    }
  }, { clock: opts.clock, timeoutMs: opts.timeoutMs, intervalMs: opts.intervalMs ?? etcdRetryIntervalMs });
  if (outcome.ok) return outcome.value;
  const fix = last instanceof TskubeadmError ? last.fix : undefined;
  throw new TimeoutError(`${what}: etcd still refused after ${formatGoDuration(outcome.elapsedMs)} (${outcome.attempts} attempts): ` +
    `${outcome.reason ?? 'no answer'}`, {
    fix: `${fix === undefined ? '' : `${fix}; `}timeouts.etcdAPICall (${formatGoDuration(opts.timeoutMs)}) bounds the wait`,
    ...(last === undefined ? {} : { cause: last }),
  });
}
