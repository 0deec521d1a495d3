import { performance } from 'node:perf_hooks';

/**
 * Waits, turn by turn of the event loop (no timers), until `condition`
 * holds; fails after `withinMs` of wall time, so a loaded machine is not a
 * failure but a hang is.
 */
export async function waitFor(condition: () => boolean, withinMs = 5000): Promise<void> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > withinMs) throw new Error(`condition not met within ${withinMs} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
