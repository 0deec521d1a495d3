import { GradualError } from '@gradual/core';

const marker = Symbol.for('gradual.error.RolloutStatusConflictError');

/**
 * Someone wrote the Rollout after this status was read (another controller
 * replica, a person with kubectl): the write was refused, nothing was lost.
 * Read again and reconcile from what is there. Code `STATUS_CONFLICT`.
 */
export class RolloutStatusConflictError extends GradualError {
  readonly [marker] = true;
  readonly retryable = true;
  readonly namespace: string;
  readonly rollout: string;

  constructor(ref: { namespace: string; name: string }, options: { resourceVersion: string; cause?: unknown }) {
    super(
      'STATUS_CONFLICT',
      `the status of rollout '${ref.name}' in namespace '${ref.namespace}' changed after it was read at resourceVersion ${options.resourceVersion}; read it again and reconcile`,
      { cause: options.cause },
    );
    this.name = 'RolloutStatusConflictError';
    this.namespace = ref.namespace;
    this.rollout = ref.name;
  }

  /** True for a RolloutStatusConflictError, also one from another copy of this package. */
  static override isInstance(error: unknown): error is RolloutStatusConflictError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
