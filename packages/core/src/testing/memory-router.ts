import { throwIfAborted } from '../clock/throw-if-aborted.js';
import type { TrafficApplyResult, TrafficRouter, TrafficRouterCapabilities } from '../contracts/traffic-router.js';
import type { TrafficState } from '../contracts/traffic-state.js';
import { trafficStatesEqual } from '../engine/traffic-states-equal.js';

export interface MemoryRouterOptions {
  name?: string | undefined;
  capabilities?: Partial<TrafficRouterCapabilities> | undefined;
  /** What the data plane holds before the first apply: all on stable by default. */
  initial?: TrafficState | undefined;
  /**
   * Keep `history` and `calls` (default true). Off for load tests and simulations of many rollouts, where
   * a copy of every state applied would be most of the heap and of the time.
   */
  record?: boolean | undefined;
}

/** A TrafficRouter over an in-memory data plane that records every call; it passes the conformance suite. */
export interface MemoryRouter extends TrafficRouter {
  /** The data plane now. */
  readonly current: TrafficState;
  /** Every state written, in order (repeated applies that changed nothing are not here); empty with `record: false`. */
  readonly history: readonly TrafficState[];
  /** Every state passed to `apply`, including repeats and failures; empty with `record: false`. */
  readonly calls: readonly TrafficState[];
  /** The next `times` applies reject with `error` (default once). */
  failNext(error: Error, times?: number): void;
}

const emptyState: TrafficState = { canaryWeight: 0, headerRoutes: [], mirrorRoutes: [], experiments: [] };

export function createMemoryRouter(options: MemoryRouterOptions = {}): MemoryRouter {
  let current: TrafficState = structuredClone(options.initial ?? emptyState);
  const history: TrafficState[] = [];
  const calls: TrafficState[] = [];
  const failures: Error[] = [];
  const record = options.record ?? true;
  return {
    specificationVersion: 'v1',
    name: options.name ?? 'memory',
    capabilities: { headerRoutes: true, mirrorRoutes: true, experiments: true, weightGranularity: 1, ...options.capabilities },
    get current() {
      return structuredClone(current);
    },
    history,
    calls,
    failNext(error, times = 1) {
      for (let i = 0; i < times; i++) failures.push(error);
    },
    async apply(desired, callOptions): Promise<TrafficApplyResult> {
      throwIfAborted(callOptions.signal, 'memory router apply');
      if (record) calls.push(structuredClone(desired));
      const failure = failures.shift();
      if (failure) throw failure;
      if (trafficStatesEqual(current, desired)) return { changed: false };
      current = structuredClone(desired);
      if (record) history.push(structuredClone(desired));
      return { changed: true };
    },
    async observe(callOptions) {
      throwIfAborted(callOptions.signal, 'memory router observe');
      return structuredClone(current);
    },
  };
}
