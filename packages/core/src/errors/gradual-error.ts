const marker = Symbol.for('gradual.error');

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
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }

  /** True when `error` is a GradualError with this code. */
  static hasCode(error: unknown, code: string): error is GradualError {
    return GradualError.isInstance(error) && error.code === code;
  }
}
