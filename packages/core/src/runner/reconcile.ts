import { type Clock, systemClock } from '../clock/clock.js';
import { throwIfAborted } from '../clock/throw-if-aborted.js';
import type { AnalysisRunner } from '../contracts/analysis-runner.js';
import type { CallOptions } from '../contracts/call-options.js';
import { type Logger, noopLogger } from '../contracts/logger.js';
import type { TrafficRouter } from '../contracts/traffic-router.js';
import type { Workload, WorkloadObservation } from '../contracts/workload.js';
import { applyCommand } from '../engine/apply-command.js';
import { applyIntentResult } from '../engine/apply-intent-result.js';
import { checkCapabilities } from '../engine/check-capabilities.js';
import { initialStatus } from '../engine/initial-status.js';
import type { Intent } from '../engine/intent.js';
import { planRollout } from '../engine/plan-rollout.js';
import { restartOnSpecChange } from '../engine/restart-on-spec-change.js';
import type { RolloutCommand } from '../engine/rollout-command.js';
import type { RolloutEvent } from '../engine/rollout-event.js';
import type { RolloutStatus } from '../engine/rollout-status.js';
import { stepHashOf } from '../engine/step-hash.js';
import { CancelledError } from '../errors/cancelled-error.js';
import { parseRollout } from '../spec/parse-rollout.js';
import type { RolloutSpec } from '../spec/rollout-types.js';
import { executeIntent } from './execute-intent.js';
import { preflightAnalysis } from './preflight-analysis.js';
import { readStatus } from './read-status.js';
import { verifyTraffic } from './verify-traffic.js';

export interface ReconcileInput {
  /** A parsed spec, or anything `parseRollout` accepts. */
  spec: RolloutSpec | string | object;
  /** The status the previous reconcile returned (after any JSON round trip); absent on the first call. */
  status?: RolloutStatus | null | undefined;
  router: TrafficRouter;
  analysis?: AnalysisRunner | undefined;
  workload?: Workload | undefined;
  clock?: Clock | undefined;
  logger?: Logger | undefined;
  signal?: AbortSignal | undefined;
  /** Commands to apply before planning: promote, abort, retry. */
  commands?: RolloutCommand[] | undefined;
  /** For the first call only: the revision serving production now (see `initialStatus`). */
  stableRevision?: string | null | undefined;
  /** For the first call only: nothing serves yet; promote at once, as Argo's initial deploy. */
  initialDeploy?: boolean | undefined;
  /**
   * Read the traffic back with `router.observe` first and put it right if
   * someone changed it by hand (one read per call). Off by default here;
   * `createRollout` turns it on.
   */
  verifyTraffic?: boolean | undefined;
  /** Called after each intent with the status so far, e.g. to persist it at once. */
  onProgress?: ((progress: { intent?: Intent | undefined; status: RolloutStatus }) => void) | undefined;
  /** Called for each event as it happens (they are also returned at the end). */
  onEvent?: ((event: RolloutEvent) => void) | undefined;
}

export interface ReconcileResult {
  /** Persist this and pass it to the next call. */
  status: RolloutStatus;
  /** Call again after this long; undefined when only a command (promote, abort, retry) can move the rollout. */
  requeueAfterMs: number | undefined;
  events: RolloutEvent[];
}

// One reconcile plans and acts until nothing is left to do now; the bound
// only guards against an adapter that never converges.
const maxPasses = 64;
const workloadRetryMs = 5_000;
// Shared: creating a signal per call costs more than a steady-state pass.
const neverAborted = new AbortController().signal;

/**
 * One idempotent pass for controllers: applies the commands, then plans and
 * carries out intents until the rollout is where it should be at this
 * moment. Called again with the returned status and unchanged inputs, it
 * changes nothing and calls no adapter.
 */
export async function reconcile(input: ReconcileInput): Promise<ReconcileResult> {
  const clock = input.clock ?? systemClock;
  const signal = input.signal ?? neverAborted;
  const logger = input.logger ?? noopLogger;
  const options: CallOptions = { signal, clock, logger };
  throwIfAborted(signal, 'reconcile');
  const spec = isParsed(input.spec) ? input.spec : parseRollout(input.spec);
  checkCapabilities(spec, input.router);
  const events: RolloutEvent[] = [];
  const record = (more: RolloutEvent[]) => {
    for (const event of more) {
      events.push(event);
      logger[event.type === 'Warning' ? 'warn' : 'info'](event.message, { reason: event.reason, rollout: spec.name });
      try {
        input.onEvent?.(event);
      } catch (error) {
        // A listener's bug must not stop a rollout half-way through a batch; it is reported, not hidden.
        logger.error('an event listener threw', { reason: event.reason, error });
        process.emitWarning(
          `gradual: an event listener threw on ${event.reason}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  };
  let status = input.status
    ? readStatus(input.status)
    : initialStatus(spec, {
        now: clock.now(),
        ...(input.stableRevision === undefined ? {} : { stableRevision: input.stableRevision }),
        ...(input.initialDeploy ? { initialDeploy: true } : {}),
      });
  // A new spec restarts the rollout before commands apply, so a command sent with it acts on the new revision.
  const specChanged =
    input.status !== undefined &&
    input.status !== null &&
    (status.currentRevision !== spec.revision || status.currentStepHash !== stepHashOf(spec));
  const restarted = restartOnSpecChange(spec, status, clock.now());
  status = restarted.status;
  record(restarted.events);
  if (!input.status || specChanged) await preflightAnalysis(spec, status, input.analysis, options);
  if (input.verifyTraffic) {
    const verified = await verifyTraffic(status, input.router, options);
    status = verified.status;
    record(verified.events);
  }
  for (const command of input.commands ?? []) {
    const applied = applyCommand(spec, status, command, clock.now());
    status = applied.status;
    record(applied.events);
  }
  // Commands changed the status before any adapter is called: report it, so a cancellation now cannot lose them.
  if ((input.commands ?? []).length > 0) input.onProgress?.({ status });
  for (let pass = 0; pass < maxPasses; pass++) {
    throwIfAborted(signal, 'reconcile');
    let workload: WorkloadObservation | undefined;
    if (input.workload) {
      try {
        workload = await input.workload.observe(options);
      } catch (error) {
        if (CancelledError.isCancellation(error)) throw error;
        // Without an observation nothing may count as ready: wait and look again.
        const message = `could not observe the workload: ${error instanceof Error ? error.message : String(error)}`;
        record([{ reason: 'WorkloadError', type: 'Warning', message, at: new Date(clock.now()).toISOString() }]);
        return { status, requeueAfterMs: workloadRetryMs, events };
      }
    }
    const plan = planRollout({ spec, status, now: clock.now(), ...(workload ? { workload } : {}) });
    status = plan.status;
    record(plan.events);
    if (plan.intents.length === 0) {
      return { status, requeueAfterMs: plan.wakeAt === undefined ? undefined : Math.max(0, plan.wakeAt - clock.now()), events };
    }
    for (const intent of plan.intents) {
      const result = await executeIntent(intent, status, input, options);
      const before = status;
      const folded = applyIntentResult(status, intent, result, clock.now());
      status = folded.status;
      input.onProgress?.({ intent, status });
      record(folded.events);
      // A new verdict (or a failing adapter) may change what comes next, e.g. abort instead of raising the weight:
      // plan again before carrying out the rest of the batch.
      if (changesThePlan(before, status)) break;
    }
  }
  logger.warn('reconcile did not settle; requeueing at once', { passes: maxPasses });
  return { status, requeueAfterMs: 0, events };
}

function changesThePlan(before: RolloutStatus, after: RolloutStatus): boolean {
  if (
    before.analysisError !== after.analysisError ||
    before.trafficError !== after.trafficError ||
    before.workloadError !== after.workloadError
  ) {
    return true;
  }
  return after.analysisRuns.some(
    (run) => before.analysisRuns.find((old) => old.state.name === run.state.name)?.state.phase !== run.state.phase,
  );
}

function isParsed(spec: unknown): spec is RolloutSpec {
  const candidate = spec as Partial<RolloutSpec>;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.revision === 'string' &&
    typeof candidate.name === 'string'
  );
}
