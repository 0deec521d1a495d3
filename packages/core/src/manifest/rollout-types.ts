import type { AnalysisRunArgument, AnalysisTemplateRef } from '../contracts/analysis-runner.js';
import type { JsonObject } from '../contracts/json.js';
import type { HeaderRouteMatch, MirrorRouteMatch } from '../contracts/traffic-state.js';

// Types of a Rollout as Argo Rollouts writes it (field names and nesting
// unchanged), after parseRollout has applied defaults. Hand-written rather
// than taken from @kubernetes-models/argo-rollouts: those generated types
// make every field optional and carry no defaults, which is what parseRollout
// exists to settle; docs link the two field by field.

/** `analysis` of a step, of `strategy.canary.analysis`, or of blue/green pre/post promotion. */
export interface RolloutAnalysis {
  templates: AnalysisTemplateRef[];
  args?: AnalysisRunArgument[] | undefined;
  dryRun?: { metricName: string }[] | undefined;
  measurementRetention?: { metricName: string; limit: number }[] | undefined;
  analysisRunMetadata?:
    | { labels?: Record<string, string> | undefined; annotations?: Record<string, string> | undefined }
    | undefined;
}

/** `strategy.canary.analysis`: runs in the background from `startingStep` on. */
export interface RolloutAnalysisBackground extends RolloutAnalysis {
  startingStep?: number | undefined;
}

export interface SetWeightStep {
  setWeight: number;
}

export interface PauseStep {
  /** Absent duration: wait for promote. A number is seconds; a string is a Go duration. */
  pause: { duration?: number | string | undefined };
}

export interface AnalysisStep {
  analysis: RolloutAnalysis;
}

export interface SetCanaryScaleStep {
  setCanaryScale: { replicas?: number | undefined; weight?: number | undefined; matchTrafficWeight?: boolean | undefined };
}

export interface SetHeaderRouteStep {
  /** No `match`: remove the route. */
  setHeaderRoute: { name: string; match?: HeaderRouteMatch[] | undefined };
}

export interface SetMirrorRouteStep {
  /** No `match`: remove the route. */
  setMirrorRoute: { name: string; percentage?: number | undefined; match?: MirrorRouteMatch[] | undefined };
}

export interface RolloutExperimentTemplate {
  name: string;
  specRef: 'stable' | 'canary';
  replicas?: number | undefined;
  weight?: number | undefined;
  metadata?: { labels?: Record<string, string> | undefined; annotations?: Record<string, string> | undefined } | undefined;
  selector?: JsonObject | undefined;
  service?: { name?: string | undefined } | undefined;
}

export interface RolloutExperimentAnalysis {
  name: string;
  templateName: string;
  clusterScope?: boolean | undefined;
  args?: AnalysisRunArgument[] | undefined;
  requiredForCompletion?: boolean | undefined;
}

export interface ExperimentStep {
  experiment: {
    duration?: number | string | undefined;
    templates: RolloutExperimentTemplate[];
    analyses?: RolloutExperimentAnalysis[] | undefined;
    dryRun?: { metricName: string }[] | undefined;
    analysisRunMetadata?:
      | { labels?: Record<string, string> | undefined; annotations?: Record<string, string> | undefined }
      | undefined;
    scaleDownDelaySeconds?: number | undefined;
  };
}

/** One step of `strategy.canary.steps`: exactly one key is set. */
export type CanaryStep =
  | SetWeightStep
  | PauseStep
  | AnalysisStep
  | SetCanaryScaleStep
  | SetHeaderRouteStep
  | SetMirrorRouteStep
  | ExperimentStep;

/**
 * `trafficRouting`. Each router's own block (`istio`, `nginx`, `alb`,
 * `plugins`, ...) is kept as written: the router reads and checks it
 * (`TrafficRouter.validate`), core names no router.
 */
export interface RolloutTrafficRouting {
  managedRoutes?: { name: string }[] | undefined;
  maxTrafficWeight?: number | undefined;
  [router: string]: unknown;
}

export interface CanaryStrategy {
  canaryService?: string | undefined;
  stableService?: string | undefined;
  steps: CanaryStep[];
  trafficRouting?: RolloutTrafficRouting | undefined;
  analysis?: RolloutAnalysisBackground | undefined;
  maxSurge: number | string;
  maxUnavailable: number | string;
  scaleDownDelaySeconds?: number | undefined;
  abortScaleDownDelaySeconds?: number | undefined;
  dynamicStableScale?: boolean | undefined;
  minPodsPerReplicaSet?: number | undefined;
  canaryMetadata?: { labels?: Record<string, string> | undefined; annotations?: Record<string, string> | undefined } | undefined;
  stableMetadata?: { labels?: Record<string, string> | undefined; annotations?: Record<string, string> | undefined } | undefined;
}

export interface BlueGreenStrategy {
  activeService: string;
  previewService?: string | undefined;
  previewReplicaCount?: number | undefined;
  autoPromotionEnabled: boolean;
  autoPromotionSeconds: number;
  prePromotionAnalysis?: RolloutAnalysis | undefined;
  postPromotionAnalysis?: RolloutAnalysis | undefined;
  scaleDownDelaySeconds: number;
  abortScaleDownDelaySeconds: number;
  activeMetadata?: { labels?: Record<string, string> | undefined; annotations?: Record<string, string> | undefined } | undefined;
  previewMetadata?: { labels?: Record<string, string> | undefined; annotations?: Record<string, string> | undefined } | undefined;
}

/** Exactly one of `canary` and `blueGreen` is set. */
export interface RolloutStrategy {
  canary?: CanaryStrategy | undefined;
  blueGreen?: BlueGreenStrategy | undefined;
}

/**
 * `spec.workloadRef`: the pod template lives in an existing Deployment (how most teams adopt Argo Rollouts).
 * `scaleDown` says what becomes of that Deployment: `never` (Argo's default), `onsuccess` (to 0 once the
 * rollout is Healthy), `progressively` (down as the rollout's pods become available).
 */
export interface WorkloadRef {
  apiVersion: 'apps/v1';
  kind: 'Deployment';
  name: string;
  scaleDown: 'never' | 'onsuccess' | 'progressively';
}

/** Options of `parseRollout`. */
export interface ParseRolloutOptions {
  /**
   * With `spec.workloadRef`: the pod template read from the referenced Deployment (`spec.template` of it,
   * e.g. from `readWorkloadRef` in @gradual/kubernetes). Its hash is the revision, as for an inline template.
   */
  workloadTemplate?: JsonObject | undefined;
  /** With `spec.workloadRef` and no `spec.selector`: the Deployment's selector (Argo takes it from there). */
  workloadSelector?: JsonObject | undefined;
}

/** A parsed, defaulted and validated Rollout. */
export interface RolloutSpec {
  /** `metadata.name`; `rollout` when a bare spec was given. */
  name: string;
  namespace?: string | undefined;
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
  replicas: number;
  selector?: JsonObject | undefined;
  /** The pod template, as written (with `workloadRef`: as read from the Deployment). */
  template: JsonObject;
  /** Set when the template comes from a Deployment; `template` is then the Deployment's. */
  workloadRef?: WorkloadRef | undefined;
  /** Pod-template hash of `template`: the revision the rollout ships. */
  revision: string;
  paused: boolean;
  /** `spec.minReadySeconds`: how long a new pod must be ready before it counts as available (default 0). */
  minReadySeconds?: number | undefined;
  /** `spec.revisionHistoryLimit`: old ReplicaSets kept scaled to 0 (Argo's default 10). */
  revisionHistoryLimit?: number | undefined;
  /** Rolling back to one of the last `revisions` stable versions skips the steps (Argo's rollbackWindow). */
  rollbackWindow?: { revisions: number } | undefined;
  progressDeadlineSeconds: number;
  progressDeadlineAbort: boolean;
  strategy: RolloutStrategy;
}
