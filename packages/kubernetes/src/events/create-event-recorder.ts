import { CancelledError, type Clock, type Logger, type RolloutEvent, systemClock } from '@gradual/core';
import { CoreV1Api, type CoreV1Event, type KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { kubeCall } from '../kube/kube-call.js';
import { KubernetesApiError } from '../kube/kubernetes-api-error.js';
import { argoEventReason } from './argo-event-reason.js';
import { eventName } from './event-name.js';

/** Options of `createEventRecorder`. */
export interface EventRecorderOptions {
  /** Where the API server is and who records (needs create/patch on events). */
  kubeConfig: KubeConfig;
  /** `source.component` and `reportingComponent` of every Event; default `gradual-controller`. */
  component?: string | undefined;
  /** `reportingInstance` (e.g. the pod name), when known. */
  instance?: string | undefined;
  /** Timestamps and the aggregation window; default the system clock. */
  clock?: Clock | undefined;
  /** Where failed Event writes are logged when a call brings no logger of its own. */
  logger?: Logger | undefined;
  /** How many (object, reason, message) keys are remembered for aggregation; default 4096, as client-go. */
  cacheSize?: number | undefined;
}

/** The Rollout an Event is about (`involvedObject`). */
export interface RolloutReference {
  /** The Rollout's name. */
  name: string;
  /** The Rollout's namespace, where the Event is written. */
  namespace: string;
  /** The Rollout's `metadata.uid`, so that Events of a deleted and re-created Rollout are told apart. */
  uid?: string | undefined;
}

/** Options of one `record` call. */
export interface RecordEventOptions {
  /** Cancels the write; a cancelled record resolves `cancelled`. */
  signal?: AbortSignal | undefined;
  /** Where a failed write is logged; default the recorder's logger. */
  logger?: Logger | undefined;
}

/** What `record` did. It never rejects: a failed Event write must not fail the reconcile. */
export interface RecordedEvent {
  /** `created` a new Event, `aggregated` into an existing one (count + 1), `failed`, or `cancelled` by the signal. */
  outcome: 'created' | 'aggregated' | 'failed' | 'cancelled';
  /** The Event's name, when one was written. */
  name?: string | undefined;
  /** Its `count` after the write. */
  count?: number | undefined;
  /** Why it failed. */
  error?: Error | undefined;
}

/** Counters of a recorder since it was made. */
export interface EventRecorderStats {
  /** New Events written. */
  created: number;
  /** Existing Events whose count went up. */
  aggregated: number;
  /** Writes that failed (logged, not thrown). */
  failed: number;
}

/** Records a rollout's events as core v1 Events on its Rollout. */
export interface EventRecorder {
  /** Writes `event` as an Event on the Rollout `ref`, or counts it into the same Event seen within 10 minutes. */
  record(ref: RolloutReference, event: RolloutEvent, options?: RecordEventOptions): Promise<RecordedEvent>;
  /** Live counters (the failed count is what a metric would export). */
  readonly stats: Readonly<EventRecorderStats>;
}

/** client-go aggregates the same event within this window (`defaultAggregateIntervalInSeconds`). */
const aggregationWindowMs = 10 * 60 * 1000;
/** Kept below the 1 kB that events.k8s.io allows for a note, so a copy to the new API never fails. */
const maxMessageLength = 1024;

interface Seen {
  name: string;
  count: number;
  lastMs: number;
}

/**
 * Core v1 Events on a Rollout (`involvedObject` kind Rollout, `argoproj.io/v1alpha1`), with Argo's reasons
 * (`argoEventReason`), `source.component`, first/last timestamps from the clock, and client-go's
 * aggregation: the same (object, type, reason, message) within 10 minutes of its last occurrence increments
 * `count` on the existing Event (merge PATCH) instead of creating one; a PATCH of an Event that expired (404)
 * creates a new one. Writes for one key are serialized, so concurrent duplicates aggregate. A failed write is
 * logged and counted and never thrown: Events are for people, the reconcile must go on without them.
 */
export function createEventRecorder(options: EventRecorderOptions): EventRecorder {
  const api = options.kubeConfig.makeApiClient(CoreV1Api);
  const component = options.component ?? 'gradual-controller';
  const clock = options.clock ?? systemClock;
  const cacheSize = Math.max(1, options.cacheSize ?? 4096);
  const seen = new Map<string, Seen>();
  const queues = new Map<string, Promise<unknown>>();
  const stats: EventRecorderStats = { created: 0, aggregated: 0, failed: 0 };
  let sequence = 0;

  const remember = (key: string, entry: Seen) => {
    seen.delete(key);
    seen.set(key, entry);
    // Least recently used first: a Map iterates in insertion order.
    if (seen.size > cacheSize) seen.delete(seen.keys().next().value as string);
  };

  const create = async (ref: RolloutReference, event: CoreV1Event, signal: AbortSignal) =>
    kubeCall({ verb: 'create', resource: 'events', namespace: ref.namespace, signal }, (configuration) =>
      api.createNamespacedEvent({ namespace: ref.namespace, body: event }, configuration),
    );

  const patch = async (ref: RolloutReference, name: string, body: object, signal: AbortSignal) =>
    kubeCall({ verb: 'patch', resource: 'events', name, namespace: ref.namespace, signal }, (configuration) =>
      api.patchNamespacedEvent(
        { name, namespace: ref.namespace, body },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch, configuration),
      ),
    );

  const write = async (ref: RolloutReference, event: RolloutEvent, key: string, signal: AbortSignal): Promise<RecordedEvent> => {
    const now = clock.now();
    const previous = seen.get(key);
    if (previous && now - previous.lastMs <= aggregationWindowMs) {
      const count = previous.count + 1;
      try {
        await patch(ref, previous.name, { count, lastTimestamp: new Date(now).toISOString() }, signal);
        remember(key, { name: previous.name, count, lastMs: now });
        stats.aggregated++;
        return { outcome: 'aggregated', name: previous.name, count };
      } catch (error) {
        // The Event expired (the API server's TTL) or was deleted: record it anew, as client-go does.
        if (!KubernetesApiError.isNotFound(error)) throw error;
        seen.delete(key);
      }
    }
    const at = new Date(now);
    const body = (name: string): CoreV1Event => ({
      metadata: { name, namespace: ref.namespace },
      involvedObject: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        name: ref.name,
        namespace: ref.namespace,
        ...(ref.uid ? { uid: ref.uid } : {}),
      },
      type: event.type,
      reason: argoEventReason(event),
      message: capped(event.message),
      source: { component },
      reportingComponent: component,
      reportingInstance: options.instance ?? '',
      firstTimestamp: at,
      lastTimestamp: at,
      count: 1,
    });
    let name = eventName(ref.name, now, sequence++);
    try {
      await create(ref, body(name), signal);
    } catch (error) {
      // Another recorder (a second controller replica) took the name in the same millisecond: one more try.
      if (!KubernetesApiError.isConflict(error)) throw error;
      name = eventName(ref.name, now, sequence++);
      await create(ref, body(name), signal);
    }
    remember(key, { name, count: 1, lastMs: now });
    stats.created++;
    return { outcome: 'created', name, count: 1 };
  };

  return {
    stats,
    record(ref, event, call = {}) {
      const signal = call.signal ?? new AbortController().signal;
      const key = JSON.stringify([
        ref.namespace,
        ref.name,
        ref.uid ?? '',
        event.type,
        argoEventReason(event),
        capped(event.message),
      ]);
      const before = queues.get(key) ?? Promise.resolve();
      const done = before.then(() =>
        write(ref, event, key, signal).catch((error: unknown): RecordedEvent => {
          if (CancelledError.isCancellation(error) || signal.aborted) return { outcome: 'cancelled' };
          stats.failed++;
          const failure = error instanceof Error ? error : new Error(String(error));
          (call.logger ?? options.logger)?.warn('could not record a Kubernetes Event on the Rollout', {
            rollout: `${ref.namespace}/${ref.name}`,
            reason: event.reason,
            error: failure.message,
          });
          return { outcome: 'failed', error: failure };
        }),
      );
      queues.set(key, done);
      // Forget the queue once it drained, so the map holds only keys with writes in flight.
      void done.then(() => {
        if (queues.get(key) === done) queues.delete(key);
      });
      return done;
    },
  };
}

function capped(message: string): string {
  return message.length <= maxMessageLength ? message : `${message.slice(0, maxMessageLength - 3)}...`;
}
