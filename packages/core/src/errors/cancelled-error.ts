import { GradualError, hasMarker } from './gradual-error.js';

const marker = Symbol.for('gradual.error.CancelledError');

/** The caller's AbortSignal fired. Never counted as a failed measurement or a failed step. */
export class CancelledError extends GradualError {
  readonly [marker] = true;

  /** True for a CancelledError, also one from another copy of @gradual/core (where `instanceof` fails). */
  static override isInstance(error: unknown): error is CancelledError {
    return hasMarker(error, marker);
  }

  constructor(what: string, reason?: unknown) {
    super('CANCELLED', `${what} was cancelled`, reason === undefined ? {} : { cause: reason });
    this.name = 'CancelledError';
  }

  /**
   * True for our CancelledError and for the DOM `AbortError` that fetch and
   * timers throw when the caller's signal fires. A `TimeoutError` (from
   * `AbortSignal.timeout`) is not a cancellation: a call that timed out failed.
   */
  static isCancellation(error: unknown): boolean {
    if (GradualError.hasCode(error, 'CANCELLED')) return true;
    return error instanceof Error && error.name === 'AbortError';
  }
}
