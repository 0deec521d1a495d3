export type {
  AnalysisPhase,
  AnalysisRunArgument,
  AnalysisRunner,
  AnalysisRunRequest,
  AnalysisRunState,
  AnalysisTemplateRef,
} from './analysis-runner.js';
export type { CallOptions } from './call-options.js';
export type { JsonObject, JsonValue } from './json.js';
export { type Logger, noopLogger } from './logger.js';
export type { AnalysisMetric, Measurement, MetricProvider } from './metric-provider.js';
export type {
  TrafficApplyOptions,
  TrafficApplyResult,
  TrafficRouter,
  TrafficRouterCapabilities,
} from './traffic-router.js';
export {
  type ExperimentDestination,
  type HeaderRoute,
  type HeaderRouteMatch,
  type MirrorRoute,
  type MirrorRouteMatch,
  type StringMatch,
  stableWeightOf,
  type TrafficState,
} from './traffic-state.js';
export type {
  ReplicaObservation,
  ReplicaTarget,
  Workload,
  WorkloadObservation,
  WorkloadState,
} from './workload.js';
