import { type Clock, systemClock } from '../clock/clock.js';
import { throwIfAborted } from '../clock/throw-if-aborted.js';
import { yieldWhenBusy } from '../clock/yield-when-busy.js';
import type { AnalysisRunner } from '../contracts/analysis-runner.js';
import type { CallOptions } from '../contracts/call-options.js';
import { type Logger, noopLogger } from '../contracts/logger.js';
import type { TrafficRouter } from '../contracts/traffic-router.js';
import type { Workload } from '../contracts/workload.js';
import { noItems } from '../data/no-items.js';
import { applyIntentResult } from '../engine/apply-intent-result.js';
import { checkCapabilities } from '../engine/check-capabilities.js';
import { initialStatus } from '../engine/initial-status.js';
import type { Intent } from '../engine/intent.js';
import { driftVisible } from '../engine/notice-drift.js';
import { nothingObserved, type Observations, planRollout } from '../engine/plan-rollout.js';
import { specChanged } from '../engine/restart-on-spec-change.js';
import type { RolloutCommand } from '../engine/rollout-command.js';
import type { RolloutEvent } from '../engine/rollout-event.js';
import type { RolloutStatus } from '../engine/rollout-status.js';
import { heldIntentsStillWanted } from '../engine/verdict-batch.js';
import { CancelledError } from '../errors/cancelled-error.js';
import { isRetryable } from '../errors/is-retryable.js';
import type { RolloutSpec } from '../manifest/rollout-types.js';
import { checkRouterConfig } from './check-router-config.js';
import { executeIntent } from './execute-intent.js';
import { parseRolloutCached } from './parse-rollout-cached.js';
import { preflightAnalysis } from './preflight-analysis.js';
import { readStatus } from './read-status.js';

export interface ReconcileInput {
  /**
   * A parsed spec, or anything `parseRollout` accepts. A manifest is parsed once per content: YAML text
   * is cached by its text, an object only when deeply frozen (`Object.freeze` on every level).
   */
  spec: RolloutSpec | string | object;
  /** The status the previous reconcile returned (after any JSON round trip); absent on the first call. */
  status?: RolloutStatus | null | undefined;
  router: TrafficRouter;
  analysis?: AnalysisRunner | undefined;
  workload?: Workload | undefined;
  clock?: Clock | undefined;
  logger?: Logger | undefined;
  signal?: AbortSignal | undefined;
  /** Commands to apply before planning (promote, promote full, abort, retry, pause); each is recorded in `status.commands`. */
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
// Shared: creating a signal per call costs more than a steady-state pass.
const neverAborted = new AbortController().signal;
// Passes after the first have seen nothing new but their own results (folded already): `nothingObserved`.
const noCommands: RolloutCommand[] = noItems;

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
  // Before any work of this call (reading the status, parsing): thousands may start in one task.
  const entryTurn = yieldWhenBusy();
  if (entryTurn) await entryTurn;
  throwIfAborted(signal, 'reconcile');
  const spec = isParsed(input.spec) ? input.spec : parseRolloutCached(input.spec);
  checkCapabilities(spec, input.router);
  const events: RolloutEvent[] = [];
  const record = (more: RolloutEvent[]) => {
    for (const event of more) {
      events.push(event);
      // The fields object is skipped for the default logger, which drops it: a working pass has several events.
      if (logger !== noopLogger)
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
  // Before step 1 of a (new) spec: the router accepts its part, and every analysis run it can ask for is startable.
  if (!input.status || specChanged(spec, status)) {
    checkRouterConfig(spec, input.router);
    await preflightAnalysis(spec, status, input.analysis, options);
  }
  let commands = input.commands ?? noCommands;
  let observed: Observations =
    input.verifyTraffic && driftVisible(status) ? await readTraffic(input.router, options) : nothingObserved;
  for (let pass = 0; pass < maxPasses; pass++) {
    // Many rollouts in one process: give the event loop a turn when this task has held it for a slice.
    const turn = yieldWhenBusy();
    if (turn) await turn;
    throwIfAborted(signal, 'reconcile');
    if (input.workload) observed = { ...observed, ...(await readWorkload(input.workload, options)) };
    const plan = planRollout({ spec, status, now: clock.now(), commands, observed });
    status = plan.status;
    record(plan.events);
    // Commands changed the status before any adapter is called: report it, so a cancellation now cannot lose them.
    if (commands.length > 0) input.onProgress?.({ status });
    commands = noCommands;
    observed = nothingObserved;
    if (plan.intents.length === 0) {
      return { status, requeueAfterMs: plan.wakeAt === undefined ? undefined : Math.max(0, plan.wakeAt - clock.now()), events };
    }
    // The batch contract: intents run in order, each only if the ones before it succeeded.
    const planned = status;
    let batch = plan.intents;
    let held = plan.heldForVerdict;
    for (let i = 0; i < batch.length; i++) {
      const intent = batch[i] as Intent;
      const result = await executeIntent(intent, input, options);
      const folded = applyIntentResult(status, intent, result, clock.now());
      status = folded.status;
      input.onProgress?.({ intent, status });
      record(folded.events);
      if (!result.ok) break;
      // A verdict batch that changed no run's phase leaves the actions held behind it as planned: they go on
      // now, without another planning pass. Not with a Workload: its pods may have changed while the runs
      // were measured, and only a new pass reads it again.
      if (
        i === batch.length - 1 &&
        held &&
        !input.workload &&
        heldIntentsStillWanted({ batch, held, before: planned, after: status, now: clock.now(), wakeAt: plan.wakeAt })
      ) {
        batch = held;
        held = undefined;
        i = -1;
      }
    }
  }
  logger.warn('reconcile did not settle; requeueing at once', { passes: maxPasses });
  return { status, requeueAfterMs: 0, events };
}

/** The traffic as the router reads it back, for drift; a failed read is reported, not thrown. */
async function readTraffic(router: TrafficRouter, options: CallOptions): Promise<Observations> {
  if (!router.observe) return {};
  try {
    return { traffic: await router.observe(options), router: router.name };
  } catch (error) {
    if (CancelledError.isCancellation(error)) throw error;
    return { trafficReadError: `could not read traffic back from router "${router.name}": ${messageOf(error)}` };
  }
}

/** The workload as it is; a failed read becomes an observation the engine records and retries. */
async function readWorkload(workload: Workload, options: CallOptions): Promise<Observations> {
  try {
    return { workload: await workload.observe(options) };
  } catch (error) {
    if (CancelledError.isCancellation(error)) throw error;
    return { workloadReadError: { message: messageOf(error), retryable: isRetryable(error) } };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
