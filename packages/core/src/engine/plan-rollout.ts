import type { WorkloadObservation } from '../contracts/workload.js';
import type { RolloutSpec } from '../spec/rollout-types.js';
import type { Intent } from './intent.js';
import { planBlueGreen } from './plan-blue-green.js';
import { planCanary } from './plan-canary.js';
import { PlanContext } from './plan-context.js';
import { reconcileAnalysisRuns } from './reconcile-analysis-runs.js';
import type { RolloutEvent } from './rollout-event.js';
import { rolloutPhase } from './rollout-phase.js';
import type { RolloutStatus } from './rollout-status.js';
import { stepHashOf } from './step-hash.js';
import { trafficStatesEqual } from './traffic-states-equal.js';

export interface PlanInput {
  spec: RolloutSpec;
  status: RolloutStatus;
  /** Epoch ms; the engine never reads a clock. */
  now: number;
  /** The workload as observed this pass, when a Workload is used. */
  workload?: WorkloadObservation;
}

export interface Plan {
  status: RolloutStatus;
  /** Side effects to carry out, in order; empty when the rollout is where it should be. */
  intents: Intent[];
  events: RolloutEvent[];
  /** Epoch ms when something is next due (a pause ends, a measurement, a retry); absent when only a command can move it. */
  wakeAt?: number;
}

/**
 * The step engine: a pure function of (spec, status, now) to the next
 * status and the side effects wanted. It performs no I/O and keeps no state;
 * the runner carries out the intents and feeds their results back.
 */
export function planRollout(input: PlanInput): Plan {
  const ctx = new PlanContext(input.spec, { ...input.status }, input.now, input.workload);
  restartOnSpecChange(ctx);
  if (input.spec.strategy.canary) planCanary(ctx, input.spec.strategy.canary);
  else planBlueGreen(ctx);
  reconcileAnalysisRuns(ctx);
  planWorkload(ctx);
  planTraffic(ctx);
  const { phase, message } = rolloutPhase(ctx);
  if (phase !== ctx.status.phase || message !== ctx.status.message) ctx.update({ phase, message });
  if (phase === 'Healthy' && !ctx.status.completedAt) ctx.update({ completedAt: ctx.nowIso });
  return {
    status: ctx.status,
    intents: ctx.intents,
    events: ctx.events,
    ...(ctx.wakeAt === undefined ? {} : { wakeAt: ctx.wakeAt }),
  };
}

/**
 * A new pod template or a new step list restarts the rollout at step 0, as
 * Argo's step hash does; going back to the stable revision skips the steps.
 */
function restartOnSpecChange(ctx: PlanContext): void {
  const { spec, status } = ctx;
  const stepHash = stepHashOf(spec);
  if (status.currentRevision === spec.revision && status.currentStepHash === stepHash) return;
  const reset = {
    currentRevision: spec.revision,
    currentStepHash: stepHash,
    attempt: status.attempt + 1,
    abort: false,
    promoteFull: false,
    pauseConditions: [],
    controllerPause: false,
    backgroundRuns: 0,
    startedAt: ctx.nowIso,
  };
  const { abortedAt: _a, abortMessage: _m, completedAt: _c, experiment: _e, blueGreen: _b, ...kept } = status;
  ctx.status = { ...kept, ...reset, currentStepIndex: 0 };
  if (spec.revision === status.stableRevision) {
    ctx.update({ currentStepIndex: spec.strategy.canary?.steps.length ?? 0 });
    ctx.event('SkipSteps', `Rollback to stable revision ${spec.revision}: steps skipped`);
  } else {
    ctx.event('RolloutUpdated', `Rollout updated to revision ${spec.revision}; starting at step 0`);
  }
}

/** Emits the traffic change the strategy wants, unless a failed apply is still backing off. */
function planTraffic(ctx: PlanContext): void {
  const desired = ctx.desiredTraffic;
  if (!desired || trafficStatesEqual(desired, ctx.status.traffic)) return;
  const error = ctx.status.trafficError;
  if (error && ctx.now < error.retryAt) {
    ctx.wakeNoLaterThan(error.retryAt);
    return;
  }
  ctx.intents.push({ type: 'applyTraffic', state: desired });
}

/** Asks the Workload for the replicas the strategy wants, once per change. */
function planWorkload(ctx: PlanContext): void {
  const desired = ctx.desiredWorkload;
  if (!desired || !ctx.observedWorkload) return;
  if (JSON.stringify(desired) === JSON.stringify(ctx.status.workloadTarget)) return;
  const error = ctx.status.workloadError;
  if (error && ctx.now < error.retryAt) {
    ctx.wakeNoLaterThan(error.retryAt);
    return;
  }
  ctx.intents.push({ type: 'applyWorkload', state: desired });
}
