// Stand-ins for the controller's parts in the composition test: a plain work queue, a status store on an
// annotation, a recorder that keeps Events in memory. The package's real parts are tested in their own files
// and together in controller-scenarios.test.ts.
import { type CallOptions, type Clock, GradualError, parseRollout, type RolloutEvent, type RolloutStatus } from '@gradual/core';
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import type {
  ControllerEventRecorder,
  ControllerQueue,
  ControllerStatusStore,
  RolloutAdapters,
  StoredRollout,
} from '../src/controller/controller-parts.js';
import type { RolloutObject } from '../src/controller/rollout-object.js';

const statusAnnotation = 'test.gradual.dev/status';

/** A work queue with client-go's contract (one worker per key, dirty keys run again), no rate limiter. */
export function createPlainQueue(clock: Clock): ControllerQueue & { handled: string[] } {
  const queued: string[] = [];
  const queuedSet = new Set<string>();
  const processing = new Set<string>();
  const dirty = new Set<string>();
  const handled: string[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  const inFlight = new Set<Promise<void>>();
  const add = (key: string) => {
    if (closed) return;
    if (processing.has(key)) {
      dirty.add(key);
      return;
    }
    if (queuedSet.has(key)) return;
    queuedSet.add(key);
    queued.push(key);
    wake?.();
  };
  return {
    handled,
    add,
    addAfter(key, ms) {
      clock.sleep(ms).then(
        () => add(key),
        () => {},
      );
    },
    addRateLimited(key) {
      clock.sleep(5).then(
        () => add(key),
        () => {},
      );
    },
    forget() {},
    get length() {
      return queued.length;
    },
    async process(handler, options) {
      while (!closed && !options.signal.aborted) {
        const key = processing.size < options.concurrency ? queued.shift() : undefined;
        if (key === undefined) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            options.signal.addEventListener('abort', () => resolve(), { once: true });
          });
          wake = undefined;
          continue;
        }
        queuedSet.delete(key);
        processing.add(key);
        handled.push(key);
        const work = handler(key, { signal: options.signal }).finally(() => {
          processing.delete(key);
          inFlight.delete(work);
          if (dirty.delete(key)) add(key);
          wake?.();
        });
        inFlight.add(work);
      }
    },
    async shutdown() {
      closed = true;
      wake?.();
      await Promise.all(inFlight);
    },
  };
}

/** gradual's status as JSON in an annotation, written with the resourceVersion read. */
export function createAnnotationStore(kubeConfig: KubeConfig): ControllerStatusStore & { writes: number } {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const target = { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts' };
  const fromObject = (object: RolloutObject): StoredRollout => {
    const text = object.metadata?.annotations?.[statusAnnotation];
    return {
      object,
      status: text ? (JSON.parse(text) as RolloutStatus) : null,
      resourceVersion: object.metadata?.resourceVersion ?? '',
    };
  };
  const store = {
    writes: 0,
    fromObject,
    async read(ref: { namespace: string; name: string }) {
      return fromObject((await api.getNamespacedCustomObject({ ...target, ...ref })) as RolloutObject);
    },
    async write(
      ref: { namespace: string; name: string },
      update: { resourceVersion: string; status: RolloutStatus; stored: StoredRollout },
      _options: CallOptions,
    ) {
      const text = JSON.stringify(update.status);
      const object = update.stored.object;
      if (object.metadata?.annotations?.[statusAnnotation] === text) return update.resourceVersion;
      const body = {
        ...object,
        metadata: {
          ...object.metadata,
          resourceVersion: update.resourceVersion,
          annotations: { ...object.metadata?.annotations, [statusAnnotation]: text },
        },
      };
      try {
        const written = (await api.replaceNamespacedCustomObject({ ...target, ...ref, body })) as RolloutObject;
        store.writes++;
        return written.metadata?.resourceVersion ?? '';
      } catch (error) {
        if ((error as { code?: number }).code === 409)
          throw new GradualError('STATUS_CONFLICT', 'stale status', { cause: error });
        throw error;
      }
    },
    commands: () => [],
  };
  return store;
}

/** Adapters without a cluster behind them: the spec as parsed, no Workload, no Services. */
export const plainAdapters: RolloutAdapters = {
  resolveRevision: ({ spec }) => spec.revision,
  workloadTemplate: async () => undefined,
  parse: (object) => parseRollout(object),
  workload: () => undefined,
  serviceRouter: () => undefined,
};

/** Keeps every Event by rollout name. */
export function createMemoryRecorder(): ControllerEventRecorder & {
  events: (RolloutEvent & { rollout: string })[];
  onRecord?: ((object: RolloutObject) => void) | undefined;
} {
  const events: (RolloutEvent & { rollout: string })[] = [];
  const recorder = {
    events,
    onRecord: undefined as ((object: RolloutObject) => void) | undefined,
    async record(object: RolloutObject, event: RolloutEvent) {
      events.push({ ...event, rollout: object.metadata?.name ?? '' });
      recorder.onRecord?.(object);
    },
  };
  return recorder;
}
