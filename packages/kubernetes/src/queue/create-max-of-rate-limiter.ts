import type { RateLimiter } from './rate-limiter.js';

/** The longest delay of several limiters, as client-go's `MaxOfRateLimiter`; every one counts each requeue. */
export function createMaxOfRateLimiter(limiters: readonly RateLimiter[]): RateLimiter {
  return {
    when: (key) => limiters.reduce((longest, limiter) => Math.max(longest, limiter.when(key)), 0),
    forget: (key) => {
      for (const limiter of limiters) limiter.forget(key);
    },
    numRequeues: (key) => limiters.reduce((most, limiter) => Math.max(most, limiter.numRequeues(key)), 0),
  };
}
