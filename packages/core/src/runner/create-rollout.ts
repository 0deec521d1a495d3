import { type Clock, systemClock } from '../clock/clock.js';
import type { AnalysisRunner } from '../contracts/analysis-runner.js';
import type { Logger } from '../contracts/logger.js';
import type { TrafficRouter } from '../contracts/traffic-router.js';
import type { Workload } from '../contracts/workload.js';
import type { Intent } from '../engine/intent.js';
import type { RolloutCommand } from '../engine/rollout-command.js';
import type { RolloutEvent } from '../engine/rollout-event.js';
import { type RolloutOutcome, rolloutOutcome } from '../engine/rollout-outcome.js';
import type { RolloutStatus } from '../engine/rollout-status.js';
import { CancelledError } from '../errors/cancelled-error.js';
import { GradualError } from '../errors/gradual-error.js';
import { parseRollout } from '../manifest/parse-rollout.js';
import type { RolloutSpec } from '../manifest/rollout-types.js';
import { EventStream } from './event-stream.js';
import { reconcile } from './reconcile.js';

export interface CreateRolloutOptions {
  /** A parsed spec, or anything `parseRollout` accepts. */
  spec: RolloutSpec | string | object;
  router: TrafficRouter;
  analysis?: AnalysisRunner | undefined;
  workload?: Workload | undefined;
  clock?: Clock | undefined;
  logger?: Logger | undefined;
  /** Resume from a status a previous run left (after any JSON round trip). */
  status?: RolloutStatus | undefined;
  /** Stops `run()` promptly; the status stays as the last completed action left it. */
  signal?: AbortSignal | undefined;
  /** The revision serving production now, when known (first run only). */
  stableRevision?: string | null | undefined;
  /** Nothing serves yet: promote at once, as Argo's initial deploy (first run only). */
  initialDeploy?: boolean | undefined;
  /** Read traffic back before each reconcile and undo hand edits (default true; needs `router.observe`). */
  verifyTraffic?: boolean | undefined;
  /** Called after each side effect with the status so far, e.g. to save it. */
  onProgress?: ((progress: { intent?: Intent | undefined; status: RolloutStatus }) => void) | undefined;
}

/** How `run()` ended. */
export interface RolloutResult {
  /**
   * Promoted: the new revision is stable and serves all traffic. Aborted: the update was aborted (traffic is back on
   * stable, or `message` says why the router could not put it there). Degraded: progress stopped (an adapter failed
   * for good, or the progress deadline passed without `progressDeadlineAbort`); `message` says why.
   */
  outcome: RolloutOutcome;
  status: RolloutStatus;
  message: string;
}

/** A rollout driven from a script or CI job. */
export interface RolloutHandle extends AsyncIterable<RolloutEvent> {
  /** Drives the rollout until it is promoted, aborted or degraded. Call again after `retry()`. */
  run(): Promise<RolloutResult>;
  /** Ends the current pause, or skips the current step; `full` skips every remaining step and analysis. */
  promote(options?: { full?: boolean | undefined }): void;
  /** Sends all traffic back to stable and stops; `reason` is kept in the status. */
  abort(reason?: string): void;
  /** After an abort: start again from step 0 with fresh analysis runs (then call `run()`). After a failed adapter: try it again. */
  retry(): void;
  /** Pauses the rollout where it is (as `kubectl argo rollouts pause`) until `promote()`. */
  pause(): void;
  /** The current status (JSON); undefined before the first reconcile. */
  readonly status: RolloutStatus | undefined;
  /** Subscribes to events; returns the unsubscribe function. */
  on(listener: (event: RolloutEvent) => void): () => void;
}

/**
 * The script-style runner: reconciles, sleeps on the clock until the next
 * thing is due (or a command arrives), and repeats until the rollout is
 * promoted or aborted.
 */
export function createRollout(options: CreateRolloutOptions): RolloutHandle {
  const spec =
    typeof options.spec === 'object' && options.spec !== null && 'revision' in options.spec
      ? (options.spec as RolloutSpec)
      : parseRollout(options.spec);
  const clock = options.clock ?? systemClock;
  const events = new EventStream<RolloutEvent>();
  const queue: RolloutCommand[] = [];
  let status = options.status;
  let running = false;
  let wake: (() => void) | undefined;

  const command = (next: RolloutCommand) => {
    queue.push(next);
    wake?.();
  };

  // Ends the current wait early: a command or the caller's signal. One controller serves every wait until it fires
  // (a run waits between every reconcile, so a controller and a listener per wait would add up).
  let interrupt = new AbortController();
  const interruptWait = () => interrupt.abort();

  // Waits for the next due time, a command, or cancellation, whichever comes first.
  const waitForWork = async (ms: number | undefined, signal: AbortSignal) => {
    if (queue.length > 0) return;
    if (interrupt.signal.aborted) interrupt = new AbortController();
    const waitSignal = interrupt.signal;
    wake = interruptWait;
    try {
      if (ms === undefined) {
        await new Promise<void>((resolve) => waitSignal.addEventListener('abort', () => resolve(), { once: true }));
      } else {
        await clock.sleep(ms, waitSignal).catch((error: unknown) => {
          if (!CancelledError.isCancellation(error)) throw error;
        });
      }
    } finally {
      wake = undefined;
    }
    if (signal.aborted) throw new CancelledError(`rollout ${spec.name}`, signal.reason);
  };

  const run = async (): Promise<RolloutResult> => {
    if (running) throw new GradualError('ALREADY_RUNNING', `rollout ${spec.name} is already running`);
    running = true;
    const signal = options.signal ?? new AbortController().signal;
    signal.addEventListener('abort', interruptWait, { once: true });
    try {
      for (;;) {
        const commands = queue.splice(0);
        const result = await reconcile({
          spec,
          status: status ?? null,
          router: options.router,
          ...(options.analysis ? { analysis: options.analysis } : {}),
          ...(options.workload ? { workload: options.workload } : {}),
          clock,
          ...(options.logger ? { logger: options.logger } : {}),
          signal,
          commands,
          verifyTraffic: options.verifyTraffic ?? true,
          ...(options.stableRevision === undefined ? {} : { stableRevision: options.stableRevision }),
          ...(options.initialDeploy ? { initialDeploy: true } : {}),
          onProgress: (progress) => {
            status = progress.status;
            options.onProgress?.(progress);
          },
          onEvent: (event) => events.push(event),
        });
        status = result.status;
        const ended = rolloutOutcome(status);
        // With a Workload, the run also waits out the scale-down delays (old version after a promotion, the canary
        // after an abort), or nothing would ever scale them down; a Degraded rollout ends at once.
        const settled = !options.workload || result.requeueAfterMs === undefined || ended?.outcome === 'Degraded';
        if (ended && settled) return { ...ended, status };
        await waitForWork(result.requeueAfterMs, signal);
      }
    } finally {
      signal.removeEventListener('abort', interruptWait);
      running = false;
      events.endIterators();
    }
  };

  return {
    run,
    promote: (promoteOptions = {}) => command({ type: 'promote', ...(promoteOptions.full ? { full: true } : {}) }),
    abort: (reason) => command({ type: 'abort', ...(reason === undefined ? {} : { reason }) }),
    retry: () => command({ type: 'retry' }),
    pause: () => command({ type: 'pause' }),
    get status() {
      return status;
    },
    on: (listener) => events.subscribe(listener),
    [Symbol.asyncIterator]: () => events.iterate(),
  };
}
