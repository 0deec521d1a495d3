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
  args?: AnalysisRunArgument[];
  dryRun?: { metricName: string }[];
  measurementRetention?: { metricName: string; limit: number }[];
  analysisRunMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

/** `strategy.canary.analysis`: runs in the background from `startingStep` on. */
export interface RolloutAnalysisBackground extends RolloutAnalysis {
  startingStep?: number;
}

export interface SetWeightStep {
  setWeight: number;
}

export interface PauseStep {
  /** Absent duration: wait for promote. A number is seconds; a string is a Go duration. */
  pause: { duration?: number | string };
}

export interface AnalysisStep {
  analysis: RolloutAnalysis;
}

export interface SetCanaryScaleStep {
  setCanaryScale: { replicas?: number; weight?: number; matchTrafficWeight?: boolean };
}

export interface SetHeaderRouteStep {
  /** No `match`: remove the route. */
  setHeaderRoute: { name: string; match?: HeaderRouteMatch[] };
}

export interface SetMirrorRouteStep {
  /** No `match`: remove the route. */
  setMirrorRoute: { name: string; percentage?: number; match?: MirrorRouteMatch[] };
}

export interface RolloutExperimentTemplate {
  name: string;
  specRef: 'stable' | 'canary';
  replicas?: number;
  weight?: number;
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  selector?: JsonObject;
  service?: { name?: string };
}

export interface RolloutExperimentAnalysis {
  name: string;
  templateName: string;
  clusterScope?: boolean;
  args?: AnalysisRunArgument[];
  requiredForCompletion?: boolean;
}

export interface ExperimentStep {
  experiment: {
    duration?: number | string;
    templates: RolloutExperimentTemplate[];
    analyses?: RolloutExperimentAnalysis[];
    dryRun?: { metricName: string }[];
    analysisRunMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    scaleDownDelaySeconds?: number;
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
  managedRoutes?: { name: string }[];
  maxTrafficWeight?: number;
  [router: string]: unknown;
}

export interface CanaryStrategy {
  canaryService?: string;
  stableService?: string;
  steps: CanaryStep[];
  trafficRouting?: RolloutTrafficRouting;
  analysis?: RolloutAnalysisBackground;
  maxSurge: number | string;
  maxUnavailable: number | string;
  scaleDownDelaySeconds?: number;
  abortScaleDownDelaySeconds?: number;
  dynamicStableScale?: boolean;
  minPodsPerReplicaSet?: number;
  canaryMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  stableMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

export interface BlueGreenStrategy {
  activeService: string;
  previewService?: string;
  previewReplicaCount?: number;
  autoPromotionEnabled: boolean;
  autoPromotionSeconds: number;
  prePromotionAnalysis?: RolloutAnalysis;
  postPromotionAnalysis?: RolloutAnalysis;
  scaleDownDelaySeconds: number;
  abortScaleDownDelaySeconds: number;
  activeMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  previewMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

/** Exactly one of `canary` and `blueGreen` is set. */
export interface RolloutStrategy {
  canary?: CanaryStrategy;
  blueGreen?: BlueGreenStrategy;
}

/** A parsed, defaulted and validated Rollout. */
export interface RolloutSpec {
  /** `metadata.name`; `rollout` when a bare spec was given. */
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  replicas: number;
  selector?: JsonObject;
  /** The pod template, as written. */
  template: JsonObject;
  /** Pod-template hash of `template`: the revision the rollout ships. */
  revision: string;
  paused: boolean;
  /** Rolling back to one of the last `revisions` stable versions skips the steps (Argo's rollbackWindow). */
  rollbackWindow?: { revisions: number };
  progressDeadlineSeconds: number;
  progressDeadlineAbort: boolean;
  strategy: RolloutStrategy;
}
