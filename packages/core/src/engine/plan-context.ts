import type { AnalysisRunRequest } from '../contracts/analysis-runner.js';
import type { TrafficState } from '../contracts/traffic-state.js';
import type { WorkloadObservation, WorkloadState } from '../contracts/workload.js';
import type { RolloutSpec } from '../manifest/rollout-types.js';
import type { Intent } from './intent.js';
import { type RolloutEvent, rolloutEvent } from './rollout-event.js';
import type { PauseReason, RolloutStatus, StoredAnalysisRun } from './rollout-status.js';
import { statusWith } from './status-with.js';

/** How often a rollout waiting for pods looks at the workload again. */
export const workloadPollMs = 5_000;

/** A run the strategy wants to exist during this pass. */
export interface WantedRun {
  request: AnalysisRunRequest;
  stepIndex?: number | undefined;
  analysisName?: string | undefined;
}

/**
 * The working state of one planning pass. `status` is a shallow copy of the
 * input: nested values are replaced, never mutated, so the caller's status
 * is untouched and the pass stays a pure function.
 */
export class PlanContext {
  readonly intents: Intent[] = [];
  readonly events: RolloutEvent[] = [];
  readonly wantedRuns: WantedRun[] = [];
  desiredTraffic: TrafficState | undefined;
  /** Why `desiredTraffic` may not be applied yet (its pods are not there); the traffic stays as it is. */
  trafficOnHold: string | undefined;
  desiredWorkload: WorkloadState | undefined;
  wakeAt: number | undefined;
  // Taken from the status the pass started with: one promote clears every pause at once, and the
  // step and a restarted background run may both act on it in the same pass.
  private readonly resumed: boolean;
  private resumeConsumed = false;
  // The copy `update` made; `status` may be replaced wholesale (settleResume), which ends the ownership.
  private ownStatus: RolloutStatus | undefined;
  /** The resume restarted an inconclusive background run this pass. */
  backgroundResumed = false;

  /**
   * After the pass: a promote stays requested only while nothing took it and the rollout is still where the
   * human found it (paused by us, no condition left); one only the background run used must not let a later step pass.
   */
  settleResume(): void {
    const s = this.status;
    if (!s.resumeRequested) return;
    const used = this.resumeConsumed || this.backgroundResumed;
    if (used && s.controllerPause && s.pauseConditions.length === 0) this.update({ controllerPause: false });
    if (used || !this.status.controllerPause || s.pauseConditions.length > 0 || s.abort) {
      const { resumeRequested: _taken, ...rest } = this.status;
      this.status = rest;
    }
  }

  constructor(
    readonly spec: RolloutSpec,
    public status: RolloutStatus,
    readonly now: number,
    /** What the Workload reported this pass; absent when there is no Workload (everything counts as available). */
    readonly observedWorkload?: WorkloadObservation,
  ) {
    this.resumed = status.resumeRequested === true;
  }

  event(
    reason: string,
    message: string,
    extra?: { type?: 'Normal' | 'Warning' | undefined; stepIndex?: number | undefined },
  ): void {
    this.events.push(rolloutEvent({ reason, message, now: this.now, type: extra?.type, stepIndex: extra?.stepIndex }));
  }

  /**
   * Available replicas of `revision` in `role`; without a Workload, `wanted`
   * (treated as ready). Short of `wanted`, the pass asks to be woken to look
   * again: pods become ready without any command.
   */
  available(role: 'stable' | 'canary', revision: string | null, wanted: number): number {
    if (!this.observedWorkload) return wanted;
    const seen = this.observedWorkload[role];
    const available = seen && seen.revision === revision ? seen.availableReplicas : 0;
    if (available < wanted) this.wakeNoLaterThan(this.now + workloadPollMs);
    return available;
  }

  /** Available replicas of an experiment template; without a Workload, `wanted`. */
  availableExperiment(name: string, wanted: number): number {
    if (!this.observedWorkload) return wanted;
    const available = this.observedWorkload.experiments.find((template) => template.name === name)?.availableReplicas ?? 0;
    if (available < wanted) this.wakeNoLaterThan(this.now + workloadPollMs);
    return available;
  }

  /** Paused by hand: `spec.paused`, or a `pause` command not yet answered by a promote. */
  get paused(): boolean {
    return this.spec.paused || this.status.pausedByCommand === true;
  }

  wakeNoLaterThan(at: number): void {
    if (this.wakeAt === undefined || at < this.wakeAt) this.wakeAt = at;
  }

  /**
   * Sets top-level fields. The first update of a pass copies the status given (the caller's is never
   * changed); later ones write into that copy, which only this pass has seen.
   */
  update(patch: Partial<RolloutStatus>): void {
    if (this.ownStatus === this.status) Object.assign(this.status, patch);
    else this.ownStatus = this.status = statusWith(this.status, patch);
  }

  /**
   * A human promoted (`resumeRequested`) and no step has taken it yet this
   * pass. Any condition added since means the rollout waits on something new.
   */
  get resumedByHuman(): boolean {
    return this.resumed && !this.resumeConsumed && this.status.pauseConditions.length === 0;
  }

  /** A step (or the cut-over) used the human's resume; later steps in this pass must not. */
  consumeResume(): void {
    this.resumeConsumed = true;
  }

  // Loops here and below, not callbacks: each pass asks these several times, and a callback that reads its
  // argument is a closure allocated per call.
  hasPause(reason: PauseReason): boolean {
    for (const condition of this.status.pauseConditions) if (condition.reason === reason) return true;
    return false;
  }

  addPause(reason: PauseReason): void {
    if (this.hasPause(reason)) return;
    this.update({
      // concat copies exactly; a spread and an added item leave 16 spare slots, which a host keeping the status keeps.
      pauseConditions: this.status.pauseConditions.concat([{ reason, startTime: this.now }]),
      controllerPause: true,
    });
    this.event('RolloutPaused', `Rollout is paused (${reason})`, { stepIndex: this.status.currentStepIndex });
  }

  clearPauses(): void {
    if (this.status.pauseConditions.length === 0 && !this.status.controllerPause) return;
    this.update({ pauseConditions: [], controllerPause: false });
  }

  run(name: string): StoredAnalysisRun | undefined {
    return storedRun(this.status.analysisRuns, name);
  }

  want(run: WantedRun): StoredAnalysisRun | undefined {
    if (!isWanted(this.wantedRuns, run.request.name)) this.wantedRuns.push(run);
    return this.run(run.request.name);
  }

  /** Aborts the update: traffic goes back to stable and the reason is kept. */
  abort(message: string): void {
    if (this.status.abort) return;
    this.update({
      abort: true,
      abortedAt: this.now,
      abortMessage: message,
      pauseConditions: [],
      controllerPause: false,
      promoteFull: false,
      currentStepIndex: 0,
    });
    this.event('RolloutAborted', `Rollout aborted update to revision ${this.spec.revision}: ${message}`, { type: 'Warning' });
  }
}

/** The stored run named `name`. */
export function storedRun(runs: readonly StoredAnalysisRun[], name: string): StoredAnalysisRun | undefined {
  for (const run of runs) if (run.state.name === name) return run;
  return undefined;
}

/** Whether a run named `name` is among the wanted. */
export function isWanted(wanted: readonly WantedRun[], name: string): boolean {
  for (const run of wanted) if (run.request.name === name) return true;
  return false;
}
