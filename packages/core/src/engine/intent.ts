import type { AnalysisRunRequest, AnalysisRunState } from '../contracts/analysis-runner.js';
import type { TrafficState } from '../contracts/traffic-state.js';
import type { WorkloadState } from '../contracts/workload.js';

/** Make the data plane match `state`. */
export interface ApplyTrafficIntent {
  type: 'applyTraffic';
  state: TrafficState;
  /** The traffic read back differed from what the rollout set (a hand edit): this apply puts it back. */
  drifted?: boolean | undefined;
}

/** Start a run and store it with this kind and step. */
export interface StartAnalysisIntent {
  type: 'startAnalysis';
  request: AnalysisRunRequest;
  stepIndex?: number | undefined;
  analysisName?: string | undefined;
}

/** Let the runner take the measurements that are due. */
export interface ReconcileAnalysisIntent {
  type: 'reconcileAnalysis';
  name: string;
  /** The run as last reported, for `AnalysisRunner.reconcile`. */
  run: AnalysisRunState;
}

/** Stop a run that is no longer wanted. */
export interface TerminateAnalysisIntent {
  type: 'terminateAnalysis';
  name: string;
  /** The run as last reported, for `AnalysisRunner.terminate`. */
  run: AnalysisRunState;
}

/** Scale the versions of the workload. */
export interface ApplyWorkloadIntent {
  type: 'applyWorkload';
  state: WorkloadState;
}

/** A side effect the engine wants; the runner carries it out and feeds the result back. */
export type Intent =
  | ApplyTrafficIntent
  | StartAnalysisIntent
  | ReconcileAnalysisIntent
  | TerminateAnalysisIntent
  | ApplyWorkloadIntent;
