// The poller on a fake clock: it pauses between attempts (never spins), counts them, bounds each one by
// the time left, stops at the deadline with the last reason, and honours an abort.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Clock } from '../../src/host/host.js';
import { defaultPollIntervalMs, minAttemptTimeoutMs, pollUntil, type AttemptResult } from '../../src/wait/poll.js';
import { fakeHost } from '../helpers/fake-host.js';

/** The fake host's clock, recording every sleep. */
function recordingClock(): { clock: Clock; sleeps: number[]; advance: (ms: number) => void } {
  const fake = fakeHost().clock;
  const sleeps: number[] = [];
  return {
    sleeps,
    advance: (ms) => fake.advance(ms),
    clock: { now: () => fake.now(), sleep: async (ms, signal) => { sleeps.push(ms); await fake.sleep(ms, signal); } },
  };
}

const notYet = <T = string>(reason: string): AttemptResult<T> => ({ done: false, reason });

describe('pollUntil', () => {
  test('the default pause lets health be noticed within 100 ms', () => {
    assert.ok(defaultPollIntervalMs > 0 && defaultPollIntervalMs <= 50);
  });

  test('tries at once, then after a pause following each "not yet", until done', async () => {
    const { clock, sleeps } = recordingClock();
    const seen: number[] = [];
    const r = await pollUntil(async (a) => {
      seen.push(a.attempt);
      return a.attempt < 5 ? notYet(`try ${a.attempt}`) : { done: true, value: 'ok' };
    }, { clock, timeoutMs: 60_000 });
    assert.deepEqual(r, { ok: true, value: 'ok', attempts: 5, elapsedMs: 4 * defaultPollIntervalMs });
    assert.deepEqual(seen, [1, 2, 3, 4, 5]);
    // One pause between two attempts, each the interval: no busy loop, no long gap.
    assert.deepEqual(sleeps, [50, 50, 50, 50]);
  });

  test('a first success does not sleep at all', async () => {
    const { clock, sleeps } = recordingClock();
    const r = await pollUntil(async () => ({ done: true, value: 1 }), { clock, timeoutMs: 1000 });
    assert.equal(r.attempts, 1);
    assert.deepEqual(sleeps, []);
  });

  test('gives up at the deadline with the last reason, having paused between every attempt', async () => {
    const { clock, sleeps } = recordingClock();
    const r = await pollUntil(async (a) => notYet(`HTTP 500 #${a.attempt}`), { clock, timeoutMs: 1000, intervalMs: 50 });
    assert.equal(r.ok, false);
    // Attempts at 0, 50, …, 950 ms; the wait ends at the deadline.
    assert.equal(r.attempts, 20);
    assert.equal(r.elapsedMs, 1000);
    assert.equal(r.ok ? undefined : r.reason, 'HTTP 500 #20');
    assert.equal(sleeps.length, 20);
    assert.ok(sleeps.every((s) => s === 50));
  });

  test('the last pause is cut to the deadline', async () => {
    const { clock, sleeps } = recordingClock();
    const r = await pollUntil(async () => notYet('no'), { clock, timeoutMs: 120, intervalMs: 50 });
    assert.deepEqual(sleeps, [50, 50, 20]);
    assert.equal(r.attempts, 3);
    assert.equal(r.elapsedMs, 120);
  });

  test('each attempt may take the attempt bound, cut to the time left but never below the floor', async () => {
    const { clock, advance } = recordingClock();
    const given: number[] = [];
    await pollUntil(async (a) => {
      given.push(a.timeoutMs);
      advance(100); // a slow answer
      return notYet('slow');
    }, { clock, timeoutMs: 1000, intervalMs: 50, attemptTimeoutMs: 600 });
    // t=0: the 600 ms bound; t=150: 600; t=300: 600; t=450: 550 left; t=600: 400; t=750: 250; t=900: 100 left, the floor.
    assert.deepEqual(given, [600, 600, 600, 550, 400, minAttemptTimeoutMs, minAttemptTimeoutMs]);
    assert.equal(minAttemptTimeoutMs, 250);
  });

  test('a zero timeout still makes one attempt', async () => {
    const { clock } = recordingClock();
    const r = await pollUntil(async () => notYet('down'), { clock, timeoutMs: 0 });
    assert.equal(r.attempts, 1);
    assert.equal(r.ok, false);
  });

  test('an abort stops the wait with its reason', async () => {
    const { clock } = recordingClock();
    const ac = new AbortController();
    const stop = new Error('interrupted');
    await assert.rejects(pollUntil(async (a) => {
      if (a.attempt === 3) ac.abort(stop);
      return notYet('not yet');
    }, { clock, timeoutMs: 10_000, signal: ac.signal }), (err) => err === stop);
  });

  test('an attempt that throws ends the poll with its error', async () => {
    const { clock } = recordingClock();
    await assert.rejects(pollUntil(async () => { throw new TypeError('bug'); }, { clock, timeoutMs: 1000 }), TypeError);
  });
});
