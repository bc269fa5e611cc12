// Keys for one run, generated concurrently. A run that will make 16 RSA keys asks for them all
// up front (reserve), so both cores stay busy across phases instead of idling at each phase's
// end; a phase then takes one as it needs it. Nothing is generated that no one asked for.
import type { KeyObject } from 'node:crypto';
import type { EncryptionAlgorithm } from '../config/types.js';
import { generatePrivateKey } from './keys.js';

export interface KeyPool {
  /** Starts generating `count` more keys now. */
  reserve(count: number): void;
  /** Reserves what `count` says, the first time it is called; later calls wait for that first one. */
  reserveOnce(count: () => Promise<number>): Promise<void>;
  /** A reserved key (the first one ready), or a new one when none is left. */
  take(): Promise<KeyObject>;
}

export function createKeyPool(algorithm: EncryptionAlgorithm): KeyPool {
  // RSA generation times vary several-fold from key to key, so a taker gets whichever key is
  // ready first rather than the first one asked for.
  const ready: Promise<KeyObject>[] = [];
  const waiters: ((key: Promise<KeyObject>) => void)[] = [];
  let generating = 0;
  let planned: Promise<void> | undefined;
  const pool: KeyPool = {
    reserveOnce(count) {
      planned ??= count().then((n) => pool.reserve(n));
      return planned;
    },
    reserve(count) {
      for (let i = 0; i < count; i++) {
        const p = generatePrivateKey(algorithm);
        generating++;
        const settle = () => {
          generating--;
          const waiter = waiters.shift();
          if (waiter) waiter(p);
          else ready.push(p);
        };
        // A key nobody takes (the run failed first) must not become an unhandled rejection.
        p.then(settle, settle);
      }
    },
    take() {
      const done = ready.shift();
      if (done !== undefined) return done;
      if (generating > waiters.length) return new Promise<Promise<KeyObject>>((resolve) => waiters.push(resolve)).then((p) => p);
      return generatePrivateKey(algorithm);
    },
  };
  return pool;
}
