import type { AnalysisRunRequest, AnalysisRunState } from '../contracts/analysis-runner.js';
import type { TrafficState } from '../contracts/traffic-state.js';
import type { WorkloadState } from '../contracts/workload.js';
import type { RecordedCommand } from './rollout-command.js';

/** Why a rollout waits. Argo's names: CanaryPauseStep, BlueGreenPause, InconclusiveAnalysisRun, InconclusiveExperiment. */
export type PauseReason = 'CanaryPauseStep' | 'BlueGreenPause' | 'InconclusiveAnalysisRun' | 'InconclusiveExperiment';

export interface PauseCondition {
  reason: PauseReason;
  /** Epoch ms; timed pauses are measured from here. */
  startTime: number;
}

/** Phases as Argo computes them. */
export type RolloutPhase = 'Progressing' | 'Paused' | 'Healthy' | 'Degraded';

/** An analysis run the rollout owns, with the runner's state as it last reported it. */
export interface StoredAnalysisRun {
  kind: AnalysisRunRequest['kind'];
  /** For step analysis: the step it belongs to. */
  stepIndex?: number | undefined;
  /** For experiment analyses: the analysis name in the experiment step. */
  analysisName?: string | undefined;
  state: AnalysisRunState;
  /** Epoch ms the runner last reported on it. */
  checkedAt?: number | undefined;
}

/**
 * The last failure of an adapter (router, analysis runner, workload). A
 * retryable one is tried again with capped backoff until the progress
 * deadline; a non-retryable one is never repeated (the rollout is Degraded).
 */
export interface AdapterError {
  message: string;
  code?: string | undefined;
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
  deadlineExceeded?: boolean | undefined;
}

/** An experiment step in flight (see the experiment step docs). */
export interface ExperimentStatus {
  name: string;
  stepIndex: number;
  phase: 'Pending' | 'Running' | 'Successful' | 'Failed' | 'Inconclusive' | 'Error';
  message?: string | undefined;
  /** Epoch ms all template replicas became available; the duration counts from here. */
  availableAt?: number | undefined;
  /** Epoch ms. */
  finishedAt?: number | undefined;
}

/** Blue/green progress. */
export interface BlueGreenStatus {
  /** Epoch ms the new version was promoted to active (post-promotion analysis runs after this). */
  promotedAt?: number | undefined;
  /** The version that was active before the cut-over; active again if post-promotion analysis fails. */
  previousRevision?: string | undefined;
  /**
   * A version already cut over to, whose verification a newer spec interrupted: it stays active
   * (Argo keeps the active selector) until the newer one is promoted, or an abort goes back to stable.
   */
  activeRevision?: string | undefined;
  /** Inconclusive pre/post-promotion runs a human promoted past: their verdict counts as accepted. */
  acceptedRuns?: string[] | undefined;
  /** With previewReplicaCount: the new version is being scaled to full size before the cut-over. */
  scaleUpPreview?: boolean | undefined;
}

/** The status format this version of the engine writes (see `migrateStatus` for older ones). */
export const statusVersion = 2;

/**
 * Everything a rollout needs to resume: plain JSON (no Dates, no class
 * instances); `JSON.parse(JSON.stringify(status))` resumes exactly.
 * Field names follow Argo's RolloutStatus where one exists. Every time is
 * epoch milliseconds.
 */
export interface RolloutStatus {
  /** The status format; statuses of 0.1.0 have none and are migrated when read. */
  version: typeof statusVersion;
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
  previousStableRevisions?: string[] | undefined;
  /** Bumped on every restart (spec change, retry) so that analysis runs get fresh names. */
  attempt: number;
  abort: boolean;
  /** Epoch ms. */
  abortedAt?: number | undefined;
  /** Why it was aborted: the command's reason or the analysis verdict. */
  abortMessage?: string | undefined;
  promoteFull: boolean;
  /** "I paused here" (Argo's controllerPause). */
  controllerPause: boolean;
  pauseConditions: PauseCondition[];
  /** A human promoted while the rollout was paused; the step (or cut-over) that waited takes it. */
  resumeRequested?: boolean | undefined;
  /** Paused by a `pause` command (as Argo's `spec.paused`), until a promote. */
  pausedByCommand?: boolean | undefined;
  /** The last commands received, oldest first (at most 10), with what each did. */
  commands?: RecordedCommand[] | undefined;
  /** The traffic state the router last confirmed; null before the first apply. */
  traffic: TrafficState | null;
  trafficError?: AdapterError | undefined;
  /** The analysis runner failed (not a verdict: the runner itself); its intents wait until `retryAt`. */
  analysisError?: AdapterError | undefined;
  /** The Workload failed to scale; retried at `retryAt`. */
  workloadError?: AdapterError | undefined;
  analysisRuns: StoredAnalysisRun[];
  /** Background runs started so far in this attempt (a resumed inconclusive run is replaced by a new one). */
  backgroundRuns?: number | undefined;
  experiment?: ExperimentStatus | undefined;
  blueGreen?: BlueGreenStatus | undefined;
  /** The replicas last asked of the Workload, when one is used. */
  workloadTarget?: WorkloadState | undefined;
  /** A version kept running after it lost its role, until `at` (epoch ms; Argo's scale-down delay). */
  scaleDown?: { revision: string; at: number } | undefined;
  /** Epoch ms the rollout started waiting for pods (progress deadline). */
  waitingSince?: number | undefined;
  /** Set once the progress deadline passed while waiting: what it waits for. */
  stalled?: string | undefined;
  /** Epoch ms. */
  startedAt: number;
  /** Epoch ms. */
  completedAt?: number | undefined;
}
