import type { AnalysisRunRequest } from '../../contracts/analysis-runner.js';
import type { TrafficRouterCapabilities } from '../../contracts/traffic-router.js';
import type { RolloutSpec } from '../../manifest/rollout-types.js';
import type { PlanContext } from '../plan-context.js';
import type { RolloutStatus } from '../rollout-status.js';

/** A capability a step needs and the router lacks, located under the step's path. */
export interface MissingCapability {
  capability: string;
  /** Appended to the step's path, e.g. `.setHeaderRoute`. */
  field: string;
  detail?: string | undefined;
}

/**
 * Everything the engine needs to know about one kind of canary step. Adding
 * a kind means one entry in `stepKinds` and one object of this shape.
 */
export interface StepKind<S> {
  /** As Argo prints it in "Rollout step i/n completed (…)". */
  describe(step: S): string;
  /**
   * The step's own decision this pass: true when it is done. It may want
   * analysis runs (`ctx.want`), add a pause, abort, or shape the desired
   * traffic and workload (`ctx.desiredTraffic`, `ctx.desiredWorkload`).
   */
  complete(ctx: PlanContext, step: S, index: number): boolean;
  /** The step completes only once the canary has the pods it wants (a pause waits for time or a human only). */
  needsPods: boolean;
  /** Time in the step (a pause, analysis, an experiment) does not count against the progress deadline (Argo). */
  exemptFromProgressDeadline: boolean;
  /** `spec.paused` freezes the step before it starts (a pause does not start its clock). */
  frozenByManualPause?: boolean | undefined;
  /** The step keeps an experiment running; any other step ends one. */
  keepsExperiment?: boolean | undefined;
  /** What the step needs from the router that it does not have. */
  missingCapability?(step: S, capabilities: TrafficRouterCapabilities): MissingCapability | undefined;
  /** Every analysis run the step can ask for, for the checks before step 1; `field` is appended to the step's path. */
  analysisRequests?(input: { spec: RolloutSpec; status: RolloutStatus; step: S; index: number }): {
    field: string;
    request: AnalysisRunRequest;
  }[];
}
