import { type Clock, type RolloutSpec, type RolloutStatus, systemClock } from '@gradual/core';
import { throwIfAborted } from '@gradual/core/adapter';
import { CustomObjectsApi, type KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { KubernetesApiError, toKubernetesApiError } from '../kube/kubernetes-api-error.js';
import { gradualStatusAnnotation } from '../kube/labels.js';
import { type KubeCallConfiguration, signalConfiguration } from '../kube/signal-configuration.js';
import { argoCommandFields } from './argo-command-fields.js';
import type { ArgoRolloutStatus } from './argo-rollout-status.js';
import { canonicalJson } from './canonical-json.js';
import { rfc3339 } from './rfc3339.js';
import { RolloutStatusConflictError } from './rollout-status-conflict-error.js';
import { type RolloutStatusRead, rolloutStatusFromObject, type StoredRolloutStatus } from './rollout-status-from-object.js';
import { RolloutStatusTooLargeError } from './rollout-status-too-large-error.js';
import { statusWriteStamp, statusWriteStampType } from './status-write-stamp.js';
import { type ArgoWorkloadCounts, toArgoRolloutStatus } from './to-argo-rollout-status.js';

/** A Rollout by namespace and name. */
export interface RolloutRef {
  namespace: string;
  name: string;
}

/** What `write` persists. */
export interface RolloutStatusUpdate {
  /** What the status was computed from: its resourceVersion makes the write conditional, its fields are the baseline. */
  read: RolloutStatusRead;
  /** gradual's new status (what `reconcile` returned). */
  status: RolloutStatus;
  /** The parsed spec the status belongs to (for Argo's fields: steps, services, revision). */
  spec: RolloutSpec;
  /** Replica counts of the rollout's ReplicaSets, for Argo's replica fields and the Available condition. */
  workload?: ArgoWorkloadCounts | undefined;
}

/** Options of one store call. */
export interface RolloutStatusCallOptions {
  signal: AbortSignal;
}

/** Reads and writes gradual's status on `argoproj.io/v1alpha1` Rollouts, with optimistic concurrency. */
export interface RolloutStatusStore {
  /** GETs the Rollout. A missing Rollout is a `KubernetesApiError` (`isNotFound`). */
  read(ref: RolloutRef, options: RolloutStatusCallOptions): Promise<RolloutStatusRead>;
  /** The same as `read`, from an object the caller already has (an informer's cache): no request. */
  fromObject(object: Record<string, unknown>): RolloutStatusRead;
  /**
   * Writes gradual's status to the annotation, then Argo's fields to the
   * status subresource, each conditional on the resourceVersion it
   * follows; a stale read gets `RolloutStatusConflictError`. A write that
   * would change nothing makes no request. Returns the new resourceVersion.
   */
  write(ref: RolloutRef, update: RolloutStatusUpdate, options: RolloutStatusCallOptions): Promise<string>;
}

/** Options of {@link createRolloutStatusStore}. */
export interface RolloutStatusStoreOptions {
  kubeConfig: KubeConfig;
  /** For the times of Argo's conditions; the system clock by default. */
  clock?: Clock | undefined;
}

// The API server refuses an object whose annotations (keys and values) exceed 256 KiB in total.
const annotationsLimit = 256 * 1024;
const group = 'argoproj.io';
const version = 'v1alpha1';
const plural = 'rollouts';

/**
 * A status store on Rollout objects. gradual's status (the truth) lives in
 * the `rollouts.gradual.dev/status` annotation, because the API server
 * prunes fields unknown to Argo's CRD from `.status`; Argo's own fields are
 * a projection of it on the status subresource. The annotation is written
 * first, and records the command fields of the projection it goes with and
 * of the status it replaces, so that `commandsFromRollout` never takes a
 * crash between the two writes for a command.
 */
export function createRolloutStatusStore(options: RolloutStatusStoreOptions): RolloutStatusStore {
  const api = options.kubeConfig.makeApiClient(CustomObjectsApi);
  const clock = options.clock ?? systemClock;

  const call = async <T>(
    verb: string,
    resource: string,
    ref: RolloutRef,
    signal: AbortSignal,
    run: (configuration: KubeCallConfiguration) => Promise<T>,
    resourceVersion?: string,
  ): Promise<T> => {
    throwIfAborted(signal, `kubernetes ${verb} of rollout '${ref.name}'`);
    try {
      return await run(signalConfiguration(signal));
    } catch (error) {
      const failure = toKubernetesApiError(error, { verb, resource, name: ref.name, namespace: ref.namespace, signal });
      if (resourceVersion !== undefined && KubernetesApiError.isConflict(failure)) {
        throw new RolloutStatusConflictError(ref, { resourceVersion, cause: failure });
      }
      throw failure;
    }
  };
  const target = (ref: RolloutRef) => ({ group, version, plural, namespace: ref.namespace, name: ref.name });

  return {
    async read(ref, callOptions) {
      const object = await call('get', 'rollouts.argoproj.io', ref, callOptions.signal, (configuration) =>
        api.getNamespacedCustomObject(target(ref), configuration),
      );
      return rolloutStatusFromObject(object as Record<string, unknown>);
    },

    fromObject: rolloutStatusFromObject,

    async write(ref, update, callOptions) {
      const { read } = update;
      const now = clock.now();
      const projection = toArgoRolloutStatus({
        spec: update.spec,
        status: update.status,
        generation: read.generation,
        workload: update.workload,
        previous: read.argoStatus,
        now,
      });
      const spec = (read.object.spec ?? {}) as { paused?: unknown };
      const intended = argoCommandFields(projection);
      const paused = spec.paused === true;
      const written = read.written;
      const annotationChanges =
        !written ||
        written.paused !== paused ||
        canonicalJson(written.intended) !== canonicalJson(intended) ||
        canonicalJson(read.status) !== canonicalJson(update.status);
      const write = annotationChanges ? (written?.write ?? 0) + 1 : (written?.write ?? 0);
      projection.conditions = [...(projection.conditions ?? []), stampFor(write, read.argoStatus, rfc3339(now))];

      let object = read.object;
      if (annotationChanges) {
        const stored: StoredRolloutStatus = {
          format: 1,
          written: { write, intended, previous: argoCommandFields(read.argoStatus), paused },
          status: update.status,
        };
        const text = JSON.stringify(stored);
        const metadata = (object.metadata ?? {}) as Record<string, unknown>;
        const annotations = {
          ...((metadata.annotations ?? {}) as Record<string, string>),
          [gradualStatusAnnotation]: text,
        };
        const bytes = Object.entries(annotations).reduce(
          (sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value),
          0,
        );
        if (bytes > annotationsLimit) throw new RolloutStatusTooLargeError(ref, { bytes, limit: annotationsLimit });
        // A merge patch touches only this annotation; with the resourceVersion in it, it is conditional.
        const patch = { metadata: { resourceVersion: read.resourceVersion, annotations: { [gradualStatusAnnotation]: text } } };
        object = (await call(
          'patch',
          'rollouts.argoproj.io',
          ref,
          callOptions.signal,
          (configuration) =>
            api.patchNamespacedCustomObject(
              { ...target(ref), body: patch },
              setHeaderOptions('Content-Type', PatchStrategy.MergePatch, configuration),
            ),
          read.resourceVersion,
        )) as Record<string, unknown>;
      }
      const resourceVersion = String((object.metadata as { resourceVersion?: unknown } | undefined)?.resourceVersion);
      if (!annotationChanges && canonicalJson(projection) === canonicalJson(read.argoStatus)) return resourceVersion;

      const body = { ...object, status: projection };
      const after = (await call(
        'update',
        'rollouts.argoproj.io/status',
        ref,
        callOptions.signal,
        (configuration) => api.replaceNamespacedCustomObjectStatus({ ...target(ref), body }, configuration),
        resourceVersion,
      )) as { metadata?: { resourceVersion?: unknown } | undefined };
      return String(after.metadata?.resourceVersion);
    },
  };
}

// The stamp keeps its times while it names the same write, so an unchanged status compares equal.
function stampFor(write: number, previous: ArgoRolloutStatus | null, now: string) {
  const stamp = statusWriteStamp(write, now);
  const before = previous?.conditions?.find((condition) => condition.type === statusWriteStampType);
  return before && before.message === stamp.message ? before : stamp;
}
