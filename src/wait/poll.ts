// Polling until something holds, on the host's clock: the health checks of wait-control-plane, and later
// join's TLS bootstrap and discovery. Time comes only from the Clock passed in, so a fake clock drives it.
//
// Not p-retry: that retries a failing call with exponential backoff on real timers; here the condition is
// polled at a short fixed pause (health must be noticed within ~100 ms of it turning good), until an overall
// deadline, and the last "not yet" answer is kept to explain a timeout.
import type { Clock } from '../host/host.js';

/** Pause between two attempts: small enough to notice health quickly, large enough not to spin. */
export const defaultPollIntervalMs = 50;
/** Longest single attempt (one HTTP request): a server that accepts but never answers cannot stall the wait. */
export const defaultAttemptTimeoutMs = 2_000;
/** Shortest: an attempt started just before the deadline still gets a real answer (a TLS handshake, a refusal)
 *  rather than timing out at once and hiding the reason of the ones before it. */
export const minAttemptTimeoutMs = 250;

export interface PollOptions {
  readonly clock: Clock;
  /** Overall deadline, from the first attempt. */
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** Upper bound handed to each attempt; cut to the time left, but not below minAttemptTimeoutMs. */
  readonly attemptTimeoutMs?: number;
  /** Aborting stops the wait: the poll rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

export interface AttemptContext {
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** How long this attempt may take. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** One attempt's verdict: done with a value, or not yet and why (kept for the timeout message). */
export type AttemptResult<T> = { readonly done: true; readonly value: T } | { readonly done: false; readonly reason: string };

export type PollOutcome<T> =
  | { readonly ok: true; readonly value: T; readonly attempts: number; readonly elapsedMs: number }
  | { readonly ok: false; readonly reason: string | undefined; readonly attempts: number; readonly elapsedMs: number };

/**
 * Runs `attempt` at once, then again `intervalMs` after each "not yet", until one is done or `timeoutMs` has
 * passed (the last pause is cut to the deadline, and no attempt starts at or after it). Each attempt may take
 * the attempt bound, cut to the time left but not below minAttemptTimeoutMs, so the wait can end that much
 * after the deadline. An attempt that throws ends the poll with that error: "not yet" must be answered, not thrown.
 */
export async function pollUntil<T>(attempt: (a: AttemptContext) => Promise<AttemptResult<T>>, opts: PollOptions): Promise<PollOutcome<T>> {
  const { clock, signal } = opts;
  const intervalMs = Math.max(1, opts.intervalMs ?? defaultPollIntervalMs);
  const attemptTimeoutMs = Math.max(1, opts.attemptTimeoutMs ?? defaultAttemptTimeoutMs);
  const start = clock.now().getTime();
  const deadline = start + Math.max(0, opts.timeoutMs);
  let reason: string | undefined;
  for (let n = 1; ; n++) {
    signal?.throwIfAborted();
    const left = deadline - clock.now().getTime();
    // The first attempt always runs (a zero timeout still asks once); later ones only with time left.
    if (n > 1 && left <= 0) return { ok: false, reason, attempts: n - 1, elapsedMs: clock.now().getTime() - start };
    const timeoutMs = Math.min(attemptTimeoutMs, Math.max(left, minAttemptTimeoutMs));
    const r = await attempt({ attempt: n, timeoutMs, ...(signal === undefined ? {} : { signal }) });
    const elapsedMs = clock.now().getTime() - start;
    if (r.done) return { ok: true, value: r.value, attempts: n, elapsedMs };
    reason = r.reason;
    const remaining = deadline - clock.now().getTime();
    if (remaining <= 0) return { ok: false, reason, attempts: n, elapsedMs };
    await clock.sleep(Math.min(intervalMs, remaining), signal);
  }
}
