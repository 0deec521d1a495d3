import { type CallOptions, systemClock } from '@gradual/core';
import { createFakeClock } from '@gradual/core/testing';

/** CallOptions on a fake clock in auto mode: backoff sleeps pass at once, no real waiting. */
export function fastCall(signal: AbortSignal = new AbortController().signal): CallOptions {
  return { signal, clock: createFakeClock({ auto: true, start: Date.UTC(2026, 0, 1) }) };
}

/** CallOptions on the real clock (no sleeps are expected). */
export function realCall(signal: AbortSignal = new AbortController().signal): CallOptions {
  return { signal, clock: systemClock };
}

let counter = 0;
/** A fresh object name per test, so tests sharing one server never meet. */
export function uniqueName(prefix: string): string {
  counter++;
  return `${prefix}-${counter}`;
}
