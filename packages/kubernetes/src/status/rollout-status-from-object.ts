import { migrateStatus, type RolloutStatus, ValidationError } from '@gradual/core';
import { gradualStatusAnnotation } from '../kube/labels.js';
import type { ArgoCommandFields } from './argo-command-fields.js';
import type { ArgoRolloutStatus } from './argo-rollout-status.js';

/**
 * What gradual recorded about the projection with its last annotation
 * write, so that a command the plugin wrote is told apart from a
 * projection a crash left unwritten.
 */
export interface WrittenProjection {
  /** Number of the annotation write; the projection it belongs to carries it in its stamp condition. */
  write: number;
  /** Command fields of the projection this write goes with. */
  intended: ArgoCommandFields;
  /** Command fields that were on the Rollout when it was written (what a crash before the projection leaves). */
  previous: ArgoCommandFields;
  /** `spec.paused` when it was written (the write was conditional, so exact). */
  paused: boolean;
}

/** The JSON in the `rollouts.gradual.dev/status` annotation. */
export interface StoredRolloutStatus {
  format: 1;
  written: WrittenProjection;
  status: RolloutStatus;
}

/** A Rollout as the status store reads it. */
export interface RolloutStatusRead {
  /** The Rollout object as read (plain JSON). */
  object: Record<string, unknown>;
  /** gradual's status, migrated to the current format; null when gradual never wrote one. */
  status: RolloutStatus | null;
  resourceVersion: string;
  generation: number;
  /** Argo's status fields as found on the status subresource; null when there are none. */
  argoStatus: ArgoRolloutStatus | null;
  /** What the last annotation write recorded; null when gradual never wrote one. */
  written: WrittenProjection | null;
}

type Json = Record<string, unknown>;

/**
 * Reads a Rollout object (from a GET or an informer's cache) as the status
 * store sees it. A malformed annotation is refused, never taken for "no
 * status", which would restart the rollout.
 */
export function rolloutStatusFromObject(object: Record<string, unknown>): RolloutStatusRead {
  const metadata = isObject(object.metadata) ? object.metadata : {};
  const name = `rollout '${String(metadata.name)}' in namespace '${String(metadata.namespace)}'`;
  const annotations = isObject(metadata.annotations) ? metadata.annotations : {};
  const text = annotations[gradualStatusAnnotation];
  let status: RolloutStatus | null = null;
  let written: WrittenProjection | null = null;
  if (text !== undefined) {
    const path = `metadata.annotations["${gradualStatusAnnotation}"]`;
    let stored: unknown;
    try {
      stored = JSON.parse(String(text));
    } catch (error) {
      throw new ValidationError(`the gradual status of ${name}`, [{ path, message: 'is not JSON' }], { cause: error });
    }
    if (!isObject(stored) || stored.format !== 1 || !isObject(stored.written) || !isObject(stored.status)) {
      throw new ValidationError(`the gradual status of ${name}`, [
        { path, message: 'must be {"format":1,"written":{...},"status":{...}} as gradual writes it' },
      ]);
    }
    status = migrateStatus(stored.status);
    written = stored.written as unknown as WrittenProjection;
  }
  return {
    object,
    status,
    resourceVersion: String(metadata.resourceVersion ?? ''),
    generation: typeof metadata.generation === 'number' ? metadata.generation : 0,
    argoStatus: isObject(object.status) ? (object.status as ArgoRolloutStatus) : null,
    written,
  };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
