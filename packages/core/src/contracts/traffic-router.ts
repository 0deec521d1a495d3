import type { ValidationIssue } from '../errors/validation-error.js';
import type { RolloutSpec } from '../manifest/rollout-types.js';
import type { CallOptions } from './call-options.js';
import type { TrafficState } from './traffic-state.js';

/** What a router can do. The engine refuses, before step 1, a rollout that needs more. */
export interface TrafficRouterCapabilities {
  /** Can route requests by header to the canary (`setHeaderRoute`). */
  headerRoutes: boolean;
  /** Can mirror requests to the canary (`setMirrorRoute`). */
  mirrorRoutes: boolean;
  /** Can send weighted traffic to experiment destinations. */
  experiments: boolean;
  /** Smallest weight step in percent: 1 for Istio; a weight that is not a multiple is refused. */
  weightGranularity: number;
}

/** What `apply` did. */
export interface TrafficApplyResult {
  /** False when the data plane already matched and nothing was written. */
  changed: boolean;
  /** Human-readable notes, e.g. drift that was put back. Surfaced as events. */
  notes?: string[] | undefined;
}

/** Options of `apply`: the call options, and why the engine applies. */
export interface TrafficApplyOptions extends CallOptions {
  /**
   * The engine read the data plane back (`observe`) and found it changed by
   * hand: this apply puts the rollout's state back. A router may report what
   * it restored in `notes`.
   */
  drifted?: boolean | undefined;
}

/**
 * Moves traffic. Declarative: `apply` makes the data plane match `desired`
 * and is idempotent (no write when nothing changed). A router that cannot
 * finish rejects, and the engine keeps the step where it is and retries.
 */
export interface TrafficRouter {
  readonly specificationVersion: 'v1';
  /** Shown in errors and events, e.g. `istio`. */
  readonly name: string;
  readonly capabilities: TrafficRouterCapabilities;
  apply(desired: TrafficState, options: TrafficApplyOptions): Promise<TrafficApplyResult>;
  /** Reads the data plane back (verification, drift). Optional. */
  observe?(options: CallOptions): Promise<TrafficState>;
  /**
   * Checks the router's own part of the Rollout (e.g. `trafficRouting.istio`) before step 1 and returns every
   * problem with its manifest path; empty when it is fine. Core knows no router's config. Optional.
   */
  validate?(spec: RolloutSpec): readonly ValidationIssue[];
}
