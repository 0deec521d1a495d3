import type { RateLimiter } from './rate-limiter.js';

/** Options of {@link createExponentialRateLimiter}; client-go's controller defaults. */
export interface ExponentialRateLimiterOptions {
  /** Delay of the first requeue; default 5 ms. */
  baseDelayMs?: number | undefined;
  /** Cap on the delay; default 1000 s. */
  maxDelayMs?: number | undefined;
}

/**
 * Per-key exponential backoff, as client-go's `ItemExponentialFailureRateLimiter`:
 * the n-th requeue of a key (from 0) waits `baseDelayMs * 2^n`, capped at `maxDelayMs`.
 */
export function createExponentialRateLimiter(options: ExponentialRateLimiterOptions = {}): RateLimiter {
  const base = options.baseDelayMs ?? 5;
  const max = options.maxDelayMs ?? 1_000_000;
  const failures = new Map<string, number>();
  return {
    when(key) {
      const exponent = failures.get(key) ?? 0;
      failures.set(key, exponent + 1);
      // 2^n overflows to Infinity long after it passed the cap; min() handles both.
      return Math.min(max, base * 2 ** exponent);
    },
    forget: (key) => {
      failures.delete(key);
    },
    numRequeues: (key) => failures.get(key) ?? 0,
  };
}
