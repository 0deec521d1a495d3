import type { RolloutSpec } from '../manifest/rollout-types.js';
import { type RolloutStatus, statusVersion } from './rollout-status.js';
import { stepHashOf } from './step-hash.js';

export interface InitialStatusOptions {
  /** Epoch ms. */
  now: number;
  /**
   * The revision serving production now, if known (e.g. from a previous
   * status or the router's `observe`). Unknown (null) is fine: the steps run
   * all the same.
   */
  stableRevision?: string | null | undefined;
  /**
   * Nothing serves yet: promote at once, skipping steps and analysis, as
   * Argo does on a first deploy. Off by default: gradual never sends all
   * traffic to a version unverified unless told so.
   */
  initialDeploy?: boolean | undefined;
}

/** The status of a rollout that has not started. */
export function initialStatus(spec: RolloutSpec, options: InitialStatusOptions): RolloutStatus {
  const steps = spec.strategy.canary?.steps.length ?? 0;
  return {
    version: statusVersion,
    phase: 'Progressing',
    message: 'starting',
    currentRevision: spec.revision,
    stableRevision: options.initialDeploy ? spec.revision : (options.stableRevision ?? null),
    currentStepIndex: options.initialDeploy ? steps : 0,
    currentStepHash: stepHashOf(spec),
    attempt: 0,
    abort: false,
    promoteFull: false,
    controllerPause: false,
    pauseConditions: [],
    traffic: null,
    analysisRuns: [],
    startedAt: options.now,
  };
}
