import type { WorkloadObservation } from '../contracts/workload.js';
import type { RolloutSpec } from '../spec/rollout-types.js';
import { trackAdapterFailures } from './adapter-deadline.js';
import { mayAttempt } from './adapter-retry.js';
import type { Intent } from './intent.js';
import { planBlueGreen } from './plan-blue-green.js';
import { planCanary } from './plan-canary.js';
import { PlanContext } from './plan-context.js';
import { reconcileAnalysisRuns } from './reconcile-analysis-runs.js';
import { restartOnSpecChange } from './restart-on-spec-change.js';
import type { RolloutEvent } from './rollout-event.js';
import { rolloutPhase } from './rollout-phase.js';
import type { RolloutStatus } from './rollout-status.js';
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
  const restarted = restartOnSpecChange(input.spec, ctx.status, input.now);
  ctx.status = restarted.status;
  ctx.events.push(...restarted.events);
  trackAdapterFailures(ctx);
  if (input.spec.strategy.canary) planCanary(ctx, input.spec.strategy.canary);
  else planBlueGreen(ctx);
  rememberPreviousStable(ctx, input.status.stableRevision);
  ctx.settleResume();
  reconcileAnalysisRuns(ctx);
  // Traffic first: a version leaving the workload must stop receiving requests before its pods go.
  planTraffic(ctx);
  planWorkload(ctx);
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

/** Keeps the versions that were stable before, for rollbackWindow. */
function rememberPreviousStable(ctx: PlanContext, before: string | null): void {
  const after = ctx.status.stableRevision;
  if (!before || after === before) return;
  const previous = [before, ...(ctx.status.previousStableRevisions ?? []).filter((revision) => revision !== before)].slice(0, 10);
  ctx.update({ previousStableRevisions: previous });
}

/** Emits the traffic change the strategy wants, unless a failed apply is still backing off. */
function planTraffic(ctx: PlanContext): void {
  const desired = ctx.desiredTraffic;
  if (!desired) return;
  if (trafficStatesEqual(desired, ctx.status.traffic)) {
    // Nothing left to apply: an old failure no longer describes the rollout.
    if (ctx.status.trafficError) ctx.update({ trafficError: undefined });
    return;
  }
  const intent = { type: 'applyTraffic', state: desired } as const;
  if (mayAttempt(ctx, ctx.status.trafficError, intent)) ctx.intents.push(intent);
}

/** Asks the Workload for the replicas the strategy wants, once per change. */
function planWorkload(ctx: PlanContext): void {
  const desired = ctx.desiredWorkload;
  if (!desired || !ctx.observedWorkload) return;
  if (JSON.stringify(desired) === JSON.stringify(ctx.status.workloadTarget)) return;
  const intent = { type: 'applyWorkload', state: desired } as const;
  if (mayAttempt(ctx, ctx.status.workloadError, intent)) ctx.intents.push(intent);
}
