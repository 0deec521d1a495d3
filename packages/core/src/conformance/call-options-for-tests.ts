import { type Clock, systemClock } from '../clock/clock.js';
import type { CallOptions } from '../contracts/call-options.js';

/** CallOptions for one conformance call: a fresh signal unless one is given. */
export function callOptions(input: { signal?: AbortSignal | undefined; clock?: Clock | undefined } = {}): CallOptions {
  return { signal: input.signal ?? new AbortController().signal, clock: input.clock ?? systemClock };
}
