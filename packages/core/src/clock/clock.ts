import { CancelledError } from '../errors/cancelled-error.js';

/**
 * Rollout time: pauses, measurement intervals, retry backoff. Everything in
 * gradual that waits asks an injected Clock, so a test can run a two-hour
 * rollout on a fake clock in milliseconds.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with a CancelledError as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. This module is the only place that reads wall time or sets timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new CancelledError('sleep', signal.reason));
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(new CancelledError('sleep', signal?.reason));
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
