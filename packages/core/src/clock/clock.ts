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

// Node's timers hold at most 2^31-1 ms (about 24.8 days): a longer delay fires after 1 ms with a
// TimeoutOverflowWarning. A longer sleep (a `pause: {duration: 600h}`) is taken in chunks of that size.
const MAX_TIMER_MS = 2_147_483_647;

/** The real clock. This module is the only place that reads wall time or sets timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new CancelledError('sleep', signal.reason));
        return;
      }
      // Infinity sleeps until cancelled; NaN or a negative delay is no delay.
      let remaining = ms > 0 ? ms : 0;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => {
        clearTimeout(timer);
        reject(new CancelledError('sleep', signal?.reason));
      };
      const arm = () => {
        const chunk = Math.min(remaining, MAX_TIMER_MS);
        timer = setTimeout(() => {
          remaining -= chunk;
          if (remaining > 0) {
            arm();
            return;
          }
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, chunk);
      };
      arm();
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
