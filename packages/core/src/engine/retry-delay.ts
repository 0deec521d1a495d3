const capMs = 60_000;

/** Exponential backoff after `attempts` failures of an adapter: 1 s, 2 s, 4 s … up to a minute. */
export function retryDelayMs(attempts: number): number {
  return Math.min(capMs, 1000 * 2 ** Math.max(0, attempts - 1));
}
