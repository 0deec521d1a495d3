import type { CallOptions } from './call-options.js';
import type { JsonValue } from './json.js';

/** Phases of an analysis run and of a measurement, as Argo names them. */
export type AnalysisPhase = 'Pending' | 'Running' | 'Successful' | 'Failed' | 'Inconclusive' | 'Error';

/** `templates[]` of a Rollout's analysis: which AnalysisTemplate (or ClusterAnalysisTemplate) to run. */
export interface AnalysisTemplateRef {
  templateName: string;
  clusterScope?: boolean | undefined;
}

/** An argument passed to a run; the engine has already resolved `valueFrom.podTemplateHashValue` into `value`. */
export interface AnalysisRunArgument {
  name: string;
  value?: string | undefined;
  valueFrom?:
    | {
        secretKeyRef?: { name: string; key: string } | undefined;
        fieldRef?: { fieldPath: string } | undefined;
        podTemplateHashValue?: 'Stable' | 'Latest' | undefined;
      }
    | undefined;
}

/** What the engine asks for when a rollout needs an analysis run. */
export interface AnalysisRunRequest {
  /** Unique and deterministic, e.g. `rollouts-demo-6d4f8b-2-step-3`. */
  name: string;
  /** Why it runs: a canary step, background, blue/green pre/post promotion, an experiment. */
  kind: 'step' | 'background' | 'prePromotion' | 'postPromotion' | 'experiment';
  templates: AnalysisTemplateRef[];
  args: AnalysisRunArgument[];
  dryRun?: { metricName: string }[] | undefined;
  measurementRetention?: { metricName: string; limit: number }[] | undefined;
  /** Rollout name, revisions and step index, for labels, messages and `fieldRef`. */
  labels?: Record<string, string> | undefined;
}

/**
 * The state of one run, persisted by the engine in the rollout status. It
 * is JSON: a runner that resumes from it must behave as if never stopped.
 */
export interface AnalysisRunState {
  name: string;
  phase: AnalysisPhase;
  message?: string | undefined;
  /** Epoch ms at which the runner next wants `reconcile` (next measurement, retry); absent once completed. */
  nextReconcileAt?: number | undefined;
  /** Owned by the runner (measurements, counters); the engine stores it and never reads it. */
  data?: JsonValue | undefined;
}

/**
 * Starts, advances and ends analysis runs, without the engine knowing how
 * they measure. `@gradual/analysis` implements it in process; a controller
 * may implement it with real Argo `AnalysisRun` objects.
 *
 * Setup problems (an unknown template, an unresolved argument) resolve as a
 * run in phase `Error`, as Argo reports them; methods reject only for
 * cancellation or a fault of the runner itself, which the engine also
 * records as `Error`.
 */
export interface AnalysisRunner {
  readonly specificationVersion: 'v1';
  start(request: AnalysisRunRequest, options: CallOptions): Promise<AnalysisRunState>;
  /** Takes the measurements due at `options.clock.now()` and reassesses the run. */
  reconcile(run: AnalysisRunState, options: CallOptions): Promise<AnalysisRunState>;
  /** Stops measuring; open-ended metrics end Successful, as Argo's `terminate`. */
  terminate(run: AnalysisRunState, options: CallOptions): Promise<AnalysisRunState>;
  /** Checks, before the rollout's first step, that a run could start (templates exist, args resolve). */
  validate?(request: AnalysisRunRequest, options: CallOptions): Promise<void>;
}
