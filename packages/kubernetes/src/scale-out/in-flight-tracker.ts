/**
 * Counts the API calls in flight so a test (or a fake-clock driver) can wait until none is: moving a fake
 * clock while a request is on the wire would time it out. `track` wraps one call; `whenIdle` resolves once
 * none is in flight.
 */
export function createInFlightTracker(): {
  track<T>(work: () => Promise<T>): Promise<T>;
  whenIdle(): Promise<void>;
} {
  let busy = 0;
  let idle: (() => void)[] = [];
  return {
    async track(work) {
      busy++;
      try {
        return await work();
      } finally {
        if (--busy === 0) {
          const waiting = idle;
          idle = [];
          for (const resolve of waiting) resolve();
        }
      }
    },
    whenIdle: () => (busy === 0 ? Promise.resolve() : new Promise((resolve) => idle.push(resolve))),
  };
}
