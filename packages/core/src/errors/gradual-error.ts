const marker = Symbol.for('gradual.error');

/**
 * Whether `error` carries `marker` (a `Symbol.for` key, so the check works
 * across duplicate installs). Every error class of gradual has one and a
 * static `isInstance` built on this.
 */
export function hasMarker(error: unknown, marker: symbol): boolean {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
}

export interface GradualErrorOptions {
  cause?: unknown;
}

/**
 * Base of every error gradual throws. `code` is stable and machine-readable;
 * `isInstance` works across duplicate installs of the package, where
 * `instanceof` does not.
 */
export class GradualError extends Error {
  readonly [marker] = true;
  readonly code: string;

  constructor(code: string, message: string, options: GradualErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GradualError';
    this.code = code;
  }

  static isInstance(error: unknown): error is GradualError {
    return hasMarker(error, marker);
  }

  /** True when `error` is a GradualError with this code. */
  static hasCode(error: unknown, code: string): error is GradualError {
    return GradualError.isInstance(error) && error.code === code;
  }
}
