import { CancelledError } from '../errors/cancelled-error.js';

/** Rejects promptly with a CancelledError when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new CancelledError(what, signal.reason);
}
