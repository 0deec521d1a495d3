import { GradualError } from '@gradual/core';

const marker = Symbol.for('gradual.error.RolloutStatusTooLargeError');

/**
 * gradual's status does not fit in the Rollout's annotations (the API
 * server refuses more than 256 KiB of annotations in total). Code
 * `STATUS_TOO_LARGE`; not retryable: the same status will not fit later.
 */
export class RolloutStatusTooLargeError extends GradualError {
  readonly [marker] = true;
  readonly retryable = false;
  /** Bytes all annotations would take. */
  readonly bytes: number;

  constructor(ref: { namespace: string; name: string }, options: { bytes: number; limit: number }) {
    super(
      'STATUS_TOO_LARGE',
      `the status of rollout '${ref.name}' in namespace '${ref.namespace}' would make its annotations ${options.bytes} bytes, over the API server's limit of ${options.limit}; keep fewer measurements with the analysis's measurementRetention (or fewer metrics per template)`,
    );
    this.name = 'RolloutStatusTooLargeError';
    this.bytes = options.bytes;
  }

  /** True for a RolloutStatusTooLargeError, also one from another copy of this package. */
  static override isInstance(error: unknown): error is RolloutStatusTooLargeError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
