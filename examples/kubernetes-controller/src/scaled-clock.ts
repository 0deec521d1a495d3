import { type Clock, systemClock } from '@gradual/core';

/**
 * The real clock, sped up: `speed` times faster than wall time, so the demo's one- and two-minute pauses
 * take a second or two. Waits go through `systemClock`, so cancellation works as on the real one.
 */
export function createScaledClock(speed: number): Clock {
  if (speed === 1) return systemClock;
  const origin = systemClock.now();
  return {
    now: () => origin + (systemClock.now() - origin) * speed,
    sleep: (ms, signal) => systemClock.sleep(ms / speed, signal),
  };
}
