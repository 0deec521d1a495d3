import type { TrafficState } from '../contracts/traffic-state.js';
import type { WorkloadObservation } from '../contracts/workload.js';
import type { RolloutSpec } from '../manifest/rollout-types.js';
import { trackAdapterFailures } from './adapter-deadline.js';
import { mayAttempt } from './adapter-retry.js';
import { applyCommand } from './apply-command.js';
import { applyIntentResult, type IntentResult } from './apply-intent-result.js';
import type { Intent } from './intent.js';
import { noticeDrift } from './notice-drift.js';
import { planBlueGreen } from './plan-blue-green.js';
import { planCanary } from './plan-canary.js';
import { PlanContext } from './plan-context.js';
import { reconcileAnalysisRuns } from './reconcile-analysis-runs.js';
import { type AdapterFailure, recordAdapterFailure } from './record-adapter-failure.js';
import { restartOnSpecChange } from './restart-on-spec-change.js';
import type { RolloutCommand } from './rollout-command.js';
import type { RolloutEvent } from './rollout-event.js';
import { rolloutPhase } from './rollout-phase.js';
import type { RolloutStatus } from './rollout-status.js';
import { trafficStatesEqual } from './traffic-states-equal.js';
import { splitVerdicts } from './verdict-batch.js';

/** What the adapters reported since the last plan: the engine's only window on the world. */
export interface Observations {
  /** The workload as observed now, when a Workload is used; without one every version counts as available. */
  workload?: WorkloadObservation | undefined;
  /** The traffic the router read back (`observe`), to find hand edits: drift is put back. */
  traffic?: TrafficState | undefined;
  /** The name of the router that read it, for messages. */
  router?: string | undefined;
  /** The router could not read the traffic back: why (reported, not acted on). */
  trafficReadError?: string | undefined;
  /**
   * The Workload could not be observed: why. Nothing may count as ready then, so the strategy waits; the
   * failure is retried and counts against the progress deadline like any adapter failure.
   */
  workloadReadError?: AdapterFailure | undefined;
  /**
   * Results of intents carried out since the status was last updated, in order. `applyIntentResult` folds
   * one at a time (the runner does, to save the status after each); a controller may hand a whole batch here.
   */
  results?: { intent: Intent; result: IntentResult }[] | undefined;
}

export interface PlanInput {
  spec: RolloutSpec;
  status: RolloutStatus;
  /** Epoch ms; the engine never reads a clock. */
  now: number;
  /** Commands received since the last plan, applied in order and recorded in `status.commands`. */
  commands?: readonly RolloutCommand[] | undefined;
  observed?: Observations | undefined;
}

export interface Plan {
  status: RolloutStatus;
  /**
   * Side effects to carry out, in order. Each runs only if the ones before it succeeded: the runner stops the
   * batch at the first failure and plans again. An analysis run due for its verdict comes in a batch of its own
   * (actions wait for it). Empty when the rollout is where it should be.
   */
  intents: Intent[];
  /**
   * The traffic and workload changes held back while `intents` is a verdict batch. When that batch reconciled
   * runs that kept their phase and are not due again, and nothing else fell due meanwhile
   * (`heldIntentsStillWanted`), they are what the next plan would want, and a caller may carry them out
   * without planning again; otherwise it plans again. Absent when nothing is held.
   */
  heldForVerdict?: Intent[] | undefined;
  events: RolloutEvent[];
  /** Epoch ms when something is next due (a pause ends, a measurement, a retry); absent when only a command can move it. */
  wakeAt?: number | undefined;
}

/** What a pass observed when it observed nothing (the default); shared, so frozen. */
export const nothingObserved: Observations = Object.freeze({});

/**
 * The step engine, one pure transition: (spec, status, now, commands,
 * observations) to the next status, the side effects wanted, the events and
 * when to plan again. In order: results of earlier intents are folded in, a
 * spec change restarts the rollout, commands apply, drift is noticed, and
 * the strategy decides. It performs no I/O and reads no clock.
 */
export function planRollout(input: PlanInput): Plan {
  const { spec, now, observed = nothingObserved } = input;
  const events: RolloutEvent[] = [];
  let status = input.status;
  for (const { intent, result } of observed.results ?? []) {
    const folded = applyIntentResult(status, intent, result, now);
    status = folded.status;
    events.push(...folded.events);
  }
  // A new spec restarts the rollout before commands apply, so a command sent with it acts on the new revision.
  const restarted = restartOnSpecChange(spec, status, now);
  status = restarted.status;
  events.push(...restarted.events);
  for (const command of input.commands ?? []) {
    const applied = applyCommand(spec, status, command, now);
    status = applied.status;
    events.push(...applied.events);
  }
  const drift = noticeDrift(status, observed, now);
  status = drift.status;
  events.push(...drift.events);
  if (observed.workload && status.workloadError?.call === 'observeWorkload') {
    // The Workload answers again: its earlier read failure no longer describes the rollout.
    const { workloadError: _seen, ...rest } = status;
    status = rest;
  }
  if (observed.workloadReadError) {
    const failed = recordAdapterFailure({
      status,
      field: 'workloadError',
      reason: 'WorkloadError',
      failure: {
        ...observed.workloadReadError,
        message: `could not observe the workload: ${observed.workloadReadError.message}`,
      },
      call: 'observeWorkload',
      now,
    });
    status = failed.status;
    events.push(...failed.events);
  }

  const ctx = new PlanContext(spec, status, now, observed.workload);
  ctx.events.push(...events);
  trackAdapterFailures(ctx);
  // Without a workload observation nothing may count as ready: the rollout stays as it is until it can look
  // again (an abort still plans, to send traffic back to stable).
  const blind = observed.workloadReadError !== undefined && !ctx.status.abort;
  if (blind) {
    const error = ctx.status.workloadError;
    if (error?.retryable) ctx.wakeNoLaterThan(error.retryAt);
  } else {
    if (spec.strategy.canary) planCanary(ctx, spec.strategy.canary);
    else planBlueGreen(ctx);
    rememberPreviousStable(ctx, input.status.stableRevision);
    ctx.settleResume();
    reconcileAnalysisRuns(ctx);
    // Traffic first: a version leaving the workload must stop receiving requests before its pods go.
    planTraffic(ctx, drift.drifted);
    planWorkload(ctx);
  }
  const { phase, message } = rolloutPhase(ctx);
  if (phase !== ctx.status.phase || message !== ctx.status.message) ctx.update({ phase, message });
  if (phase === 'Healthy' && ctx.status.completedAt === undefined) ctx.update({ completedAt: ctx.now });
  const { intents, held } = splitVerdicts(ctx.intents);
  // Written out: conditional spreads cost an object each, on every pass.
  const plan: Plan = { status: ctx.status, intents, events: ctx.events };
  if (held.length > 0) plan.heldForVerdict = held;
  if (ctx.wakeAt !== undefined) plan.wakeAt = ctx.wakeAt;
  return plan;
}

/** Keeps the versions that were stable before, for rollbackWindow. */
function rememberPreviousStable(ctx: PlanContext, before: string | null): void {
  const after = ctx.status.stableRevision;
  if (!before || after === before) return;
  const previous = [before, ...(ctx.status.previousStableRevisions ?? []).filter((revision) => revision !== before)].slice(0, 10);
  ctx.update({ previousStableRevisions: previous });
}

/** Emits the traffic change the strategy wants (or drift to put back), unless a failed apply is still backing off. */
function planTraffic(ctx: PlanContext, drifted: boolean): void {
  const desired = ctx.desiredTraffic;
  if (!desired) return;
  if (ctx.trafficOnHold && !drifted) return;
  if (!drifted && trafficStatesEqual(desired, ctx.status.traffic)) {
    // Nothing left to apply: an old failure no longer describes the rollout.
    if (ctx.status.trafficError) ctx.update({ trafficError: undefined });
    return;
  }
  const intent: Intent = { type: 'applyTraffic', state: desired, ...(drifted ? { drifted: true } : {}) };
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
