import { GradualError } from '@gradual/core';

const marker = Symbol.for('gradual.error.MissingReplicaSetError');

/**
 * A version the engine wants running has no ReplicaSet and no template to create one from: only the canary's
 * template is known (`spec.template`); any other revision runs from the template of its existing ReplicaSet.
 * Not retryable: someone deleted that ReplicaSet, and the rollout needs a human (or a new spec).
 */
export class MissingReplicaSetError extends GradualError {
  readonly [marker] = true;
  readonly retryable = false;
  /** The pod-template hash that has no ReplicaSet. */
  readonly revision: string;

  constructor(message: string, options: { revision: string }) {
    super('KUBERNETES_REPLICASET_MISSING', message);
    this.name = 'MissingReplicaSetError';
    this.revision = options.revision;
  }

  static override isInstance(error: unknown): error is MissingReplicaSetError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
