import type { Clock } from '../clock/clock.js';
import { throwIfAborted } from '../clock/throw-if-aborted.js';
import type { ReplicaObservation, ReplicaTarget, Workload, WorkloadObservation, WorkloadState } from '../contracts/workload.js';

export interface TestWorkloadOptions {
  /** The clock pods become ready on; the rollout's clock (a fake clock in tests). */
  clock: Clock;
  /** How long after replicas are asked for they become available; default 0 (at once). */
  readyAfterMs?: number | undefined;
  /** Revisions whose pods never become available (an image that cannot be pulled). */
  neverReady?: string[] | undefined;
}

/** A Workload over in-memory replica sets that records every call. */
export interface TestWorkload extends Workload {
  /** Every desired state passed to `apply`, in order, including failures. */
  readonly asked: readonly WorkloadState[];
  /** Replicas per revision as they are now (available counts as of the clock's now). */
  replicaSets(): ReplicaObservation[];
  /** Overrides the available replicas of a revision until its replicas are asked for again. */
  setAvailable(revision: string, availableReplicas: number): void;
  /** The next `times` applies reject with `error` (default once). */
  failNext(error: Error, times?: number): void;
}

interface ReplicaSet {
  replicas: number;
  /** Available replicas when `replicas` last changed; they grow to `replicas` at `readyAt`. */
  availableBefore: number;
  readyAt: number;
  override?: number | undefined;
}

/**
 * A Workload for tests and simulations: one replica set per revision, scaled
 * as asked; new replicas become available `readyAfterMs` later on the given
 * clock, fewer replicas are fewer at once — as a ReplicaSet's pods behave.
 */
export function createTestWorkload(options: TestWorkloadOptions): TestWorkload {
  const { clock } = options;
  const readyAfterMs = options.readyAfterMs ?? 0;
  const neverReady = new Set(options.neverReady ?? []);
  const sets = new Map<string, ReplicaSet>();
  const asked: WorkloadState[] = [];
  const failures: Error[] = [];
  let desired: WorkloadState = { experiments: [] };

  const available = (revision: string): number => {
    const set = sets.get(revision);
    if (!set) return 0;
    if (set.override !== undefined) return Math.min(set.override, set.replicas);
    if (neverReady.has(revision)) return 0;
    return clock.now() >= set.readyAt ? set.replicas : Math.min(set.availableBefore, set.replicas);
  };
  const scale = (target: ReplicaTarget) => {
    const set = sets.get(target.revision);
    if (set?.replicas === target.replicas) return;
    const before = set ? available(target.revision) : 0;
    sets.set(target.revision, { replicas: target.replicas, availableBefore: before, readyAt: clock.now() + readyAfterMs });
  };
  const observe = (target: ReplicaTarget | undefined): ReplicaObservation | undefined =>
    target && { revision: target.revision, replicas: target.replicas, availableReplicas: available(target.revision) };

  return {
    specificationVersion: 'v1',
    asked,
    async apply(state, callOptions) {
      throwIfAborted(callOptions.signal, 'test workload apply');
      asked.push(structuredClone(state));
      const failure = failures.shift();
      if (failure) throw failure;
      desired = structuredClone(state);
      for (const target of [state.stable, state.canary, ...state.experiments, ...(state.retiring ?? [])]) {
        if (target) scale(target);
      }
    },
    async observe(callOptions): Promise<WorkloadObservation> {
      throwIfAborted(callOptions.signal, 'test workload observe');
      const stable = observe(desired.stable);
      const canary = observe(desired.canary);
      return {
        ...(stable ? { stable } : {}),
        ...(canary ? { canary } : {}),
        experiments: desired.experiments.map((e) => ({ name: e.name, ...observe(e)! })),
      };
    },
    replicaSets: () =>
      [...sets.entries()].map(([revision, set]) => ({
        revision,
        replicas: set.replicas,
        availableReplicas: available(revision),
      })),
    setAvailable(revision, availableReplicas) {
      const set = sets.get(revision) ?? { replicas: availableReplicas, availableBefore: 0, readyAt: clock.now() };
      sets.set(revision, { ...set, override: availableReplicas });
    },
    failNext(error, times = 1) {
      for (let i = 0; i < times; i++) failures.push(error);
    },
  };
}
