import type { Clock } from '@gradual/core';
import { createBucketRateLimiter } from './create-bucket-rate-limiter.js';
import { createExponentialRateLimiter } from './create-exponential-rate-limiter.js';
import { createMaxOfRateLimiter } from './create-max-of-rate-limiter.js';
import type { RateLimiter } from './rate-limiter.js';

/**
 * client-go's `DefaultControllerRateLimiter`: per-key backoff from 5 ms to 1000 s,
 * and at most 10 requeues per second overall (bursts of 100), whichever waits longer.
 */
export function createDefaultControllerRateLimiter(options: { clock: Clock }): RateLimiter {
  return createMaxOfRateLimiter([
    createExponentialRateLimiter({ baseDelayMs: 5, maxDelayMs: 1_000_000 }),
    createBucketRateLimiter({ qps: 10, burst: 100, clock: options.clock }),
  ]);
}
