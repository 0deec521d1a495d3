import type { Clock } from '@gradual/core';
import type { RateLimiter } from './rate-limiter.js';

/** Options of {@link createBucketRateLimiter}; client-go's controller defaults. */
export interface BucketRateLimiterOptions {
  /** Tokens added per second; default 10. */
  qps?: number | undefined;
  /** Bucket size: requeues allowed at once; default 100. */
  burst?: number | undefined;
  clock: Clock;
}

/**
 * One token bucket for all keys, as client-go's `BucketRateLimiter` (golang.org/x/time/rate
 * reservations): a requeue takes a token; once the bucket is empty it waits for the next one.
 * It bounds the overall requeue rate; it keeps no per-key history.
 */
export function createBucketRateLimiter(options: BucketRateLimiterOptions): RateLimiter {
  const qps = options.qps ?? 10;
  const burst = options.burst ?? 100;
  let tokens = burst;
  let last = options.clock.now();
  return {
    when() {
      const now = options.clock.now();
      tokens = Math.min(burst, tokens + ((now - last) * qps) / 1000);
      last = now;
      // A reservation is taken even when it must wait: the bucket goes negative, later callers wait longer.
      tokens -= 1;
      return tokens >= 0 ? 0 : Math.ceil((-tokens * 1000) / qps);
    },
    forget: () => {},
    numRequeues: () => 0,
  };
}
