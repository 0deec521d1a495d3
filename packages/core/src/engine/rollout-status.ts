import type { AnalysisRunRequest, AnalysisRunState } from '../contracts/analysis-runner.js';
import type { TrafficState } from '../contracts/traffic-state.js';
import type { WorkloadState } from '../contracts/workload.js';

/** Why a rollout waits. Argo's names: CanaryPauseStep, BlueGreenPause, InconclusiveAnalysisRun, InconclusiveExperiment. */
export type PauseReason = 'CanaryPauseStep' | 'BlueGreenPause' | 'InconclusiveAnalysisRun' | 'InconclusiveExperiment';

export interface PauseCondition {
  reason: PauseReason;
  /** ISO 8601; timed pauses are measured from here. */
  startTime: string;
}

/** Phases as Argo computes them. */
export type RolloutPhase = 'Progressing' | 'Paused' | 'Healthy' | 'Degraded';

/** An analysis run the rollout owns, with the runner's state as it last reported it. */
export interface StoredAnalysisRun {
  kind: AnalysisRunRequest['kind'];
  /** For step analysis: the step it belongs to. */
  stepIndex?: number;
  /** For experiment analyses: the analysis name in the experiment step. */
  analysisName?: string;
  state: AnalysisRunState;
  /** ISO time the runner last reported on it. */
  checkedAt?: string;
}

/**
 * The last failure of an adapter (router, analysis runner, workload). A
 * retryable one is tried again with capped backoff until the progress
 * deadline; a non-retryable one is never repeated (the rollout is Degraded).
 */
export interface AdapterError {
  message: string;
  code?: string;
  /** Consecutive failures. */
  attempts: number;
  /** False when the adapter said that the same call cannot succeed later (e.g. `TrafficRouterError({ retryable: false })`). */
  retryable: boolean;
  /** Epoch ms of the first of these consecutive failures: the progress deadline counts from here. */
  since: number;
  /** Epoch ms before which the engine does not try again. */
  retryAt: number;
  /** Identifies the call that failed; a non-retryable failure blocks only that call. */
  call: string;
  /** Set once the failures lasted longer than `progressDeadlineSeconds`. */
  deadlineExceeded?: boolean;
}

/** An experiment step in flight (see the experiment step docs). */
export interface ExperimentStatus {
  name: string;
  stepIndex: number;
  phase: 'Pending' | 'Running' | 'Successful' | 'Failed' | 'Inconclusive' | 'Error';
  message?: string;
  /** ISO time all template replicas became available; the duration counts from here. */
  availableAt?: string;
  finishedAt?: string;
}

/** Blue/green progress. */
export interface BlueGreenStatus {
  /** ISO time the new version was promoted to active (post-promotion analysis runs after this). */
  promotedAt?: string;
  /** The version that was active before the cut-over; active again if post-promotion analysis fails. */
  previousRevision?: string;
  /**
   * A version already cut over to, whose verification a newer spec interrupted: it stays active
   * (Argo keeps the active selector) until the newer one is promoted, or an abort goes back to stable.
   */
  activeRevision?: string;
  /** Inconclusive pre/post-promotion runs a human promoted past: their verdict counts as accepted. */
  acceptedRuns?: string[];
  /** With previewReplicaCount: the new version is being scaled to full size before the cut-over. */
  scaleUpPreview?: boolean;
}

/**
 * Everything a rollout needs to resume: plain JSON (no Dates, no class
 * instances); `JSON.parse(JSON.stringify(status))` resumes exactly.
 * Field names follow Argo's RolloutStatus where one exists.
 */
export interface RolloutStatus {
  phase: RolloutPhase;
  message: string;
  /** Revision (pod-template hash) of the spec being rolled out: Argo's currentPodHash. */
  currentRevision: string;
  /** Revision that serves production; null while it is not known (nothing observed, nothing promoted). */
  stableRevision: string | null;
  /** Index into the canary steps; equal to their number once all are done. */
  currentStepIndex: number;
  currentStepHash: string;
  /** Earlier stable revisions, most recent first (at most 10), for `rollbackWindow`. */
  previousStableRevisions?: string[];
  /** Bumped on every restart (spec change, retry) so that analysis runs get fresh names. */
  attempt: number;
  abort: boolean;
  abortedAt?: string;
  /** Why it was aborted: the command's reason or the analysis verdict. */
  abortMessage?: string;
  promoteFull: boolean;
  /** "I paused here"; with no pause condition left it means a human resumed. */
  controllerPause: boolean;
  pauseConditions: PauseCondition[];
  /** The traffic state the router last confirmed; null before the first apply. */
  traffic: TrafficState | null;
  trafficError?: AdapterError;
  /** The analysis runner failed (not a verdict: the runner itself); its intents wait until `retryAt`. */
  analysisError?: AdapterError;
  /** The Workload failed to scale; retried at `retryAt`. */
  workloadError?: AdapterError;
  analysisRuns: StoredAnalysisRun[];
  /** Background runs started so far in this attempt (a resumed inconclusive run is replaced by a new one). */
  backgroundRuns?: number;
  experiment?: ExperimentStatus;
  blueGreen?: BlueGreenStatus;
  /** The replicas last asked of the Workload, when one is used. */
  workloadTarget?: WorkloadState;
  /** A version kept running after it lost its role, until `at` (Argo's scale-down delay). */
  scaleDown?: { revision: string; at: string };
  /** ISO time the rollout started waiting for pods (progress deadline). */
  waitingSince?: string;
  /** Set once the progress deadline passed while waiting: what it waits for. */
  stalled?: string;
  startedAt: string;
  completedAt?: string;
}
