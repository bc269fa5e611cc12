// Keys for one run, generated concurrently. A run that will make 16 RSA keys asks for them all
// up front (reserve), so the cores stay busy across phases instead of idling at each phase's
// end; a phase then takes one as it needs it. Nothing is generated that no one asked for.
//
// At most `concurrency` generations run at once, never the whole of libuv's thread pool:
// WebCrypto signing and digests run on that same pool, and behind a queue of key generations
// a signature would wait for seconds.
import type { KeyObject } from 'node:crypto';
import type { EncryptionAlgorithm } from '../config/types.js';
import { generatePrivateKey } from './keys.js';

export interface KeyPool {
  /** Queues `count` more keys; they are generated `concurrency` at a time. */
  reserve(count: number): void;
  /** Reserves what `count` says, the first time it is called; later calls wait for that first one. */
  reserveOnce(count: () => Promise<number>): Promise<void>;
  /** A reserved key (the first one ready), or a new one when none is left. */
  take(): Promise<KeyObject>;
}

/** libuv's thread pool size (UV_THREADPOOL_SIZE, 4 by default). */
function threadPoolSize(env: Readonly<Record<string, string | undefined>>): number {
  const n = Number(env.UV_THREADPOOL_SIZE);
  return Number.isInteger(n) && n > 0 ? n : 4;
}

/** How many keys to generate at once: more than the cores (so a core never idles while the main thread
 *  is busy before starting the next one), but never the whole thread pool (signing needs a thread). */
export function keyConcurrency(cpus: number, env: Readonly<Record<string, string | undefined>>): number {
  return Math.max(1, Math.min(cpus + 1, threadPoolSize(env) - 1));
}

export function createKeyPool(algorithm: EncryptionAlgorithm, concurrency = 2): KeyPool {
  // RSA generation times vary several-fold from key to key, so a taker gets whichever key is
  // ready first rather than the first one asked for.
  const ready: Promise<KeyObject>[] = [];
  const waiters: ((key: Promise<KeyObject>) => void)[] = [];
  let queued = 0;
  let running = 0;
  let planned: Promise<void> | undefined;

  const startMore = (): void => {
    while (queued > 0 && running < concurrency) {
      queued--;
      running++;
      const p = generatePrivateKey(algorithm);
      const settle = () => {
        running--;
        const waiter = waiters.shift();
        if (waiter) waiter(p);
        else ready.push(p);
        startMore();
      };
      // A key nobody takes (the run failed first) must not become an unhandled rejection.
      p.then(settle, settle);
    }
  };

  const pool: KeyPool = {
    reserveOnce(count) {
      planned ??= count().then((n) => pool.reserve(n));
      return planned;
    },
    reserve(count) {
      queued += count;
      startMore();
    },
    take() {
      const done = ready.shift();
      if (done !== undefined) return done;
      if (queued + running > waiters.length) return new Promise<Promise<KeyObject>>((resolve) => waiters.push(resolve)).then((p) => p);
      return generatePrivateKey(algorithm);
    },
  };
  return pool;
}
