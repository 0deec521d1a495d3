export { assessMeasurement, type MeasurementAssessment, type MeasurementConditions } from './condition/assess-measurement.js';
export { CheckedResult, checkResult } from './condition/check-result.js';
export { type CompiledCondition, compileCondition, type EvaluateOptions } from './condition/compile-condition.js';
export { ConditionError } from './condition/condition-error.js';
export { conditionLimits } from './condition/condition-limits.js';
export { evaluateCondition } from './condition/evaluate-condition.js';
export type {
  CanaryClassifierConfig,
  CanaryConfig,
  CanaryMetricConfig,
  CanaryMetricQuery,
  CanaryMetricSettings,
  EffectSizeSettings,
  ScoreThresholds,
} from './judge/canary-config.js';
export type { MetricClassificationLabel, ShiftInterval, TieRule } from './judge/classify-metric.js';
export type { SeriesStatistics } from './judge/descriptive-statistics.js';
export { type JudgeCanaryInput, judgeCanary, type MetricSeries } from './judge/judge-canary.js';
export type { CanaryJudgement, CanaryVerdict, GroupJudgement, MetricJudgement, SeriesFacts } from './judge/judgement-types.js';
export { parseCanaryConfig } from './judge/parse-canary-config.js';
export { buildPrometheusQuery, type QueryScope } from './kayenta/build-prometheus-query.js';
export {
  type CanaryConfigSource,
  createKayentaProvider,
  type FetchSeries,
  type KayentaProviderOptions,
  type SeriesRequest,
} from './kayenta/create-kayenta-provider.js';
export type { KayentaMetric, KayentaScope, KayentaScopeDetail } from './kayenta/kayenta-metric.js';
export { type AssessingMetricProvider, isAssessingProvider } from './kayenta/measurement-assessor.js';
export {
  type AnalysisRunnerOptions,
  createAnalysisRunner,
  DEFAULT_MEASUREMENT_TIMEOUT_MS,
} from './run/create-analysis-runner.js';
export {
  type AnalysisMetricWithNoData,
  isNoData,
  type NoDataPolicy,
  noDataPolicies,
} from './run/no-data.js';
export { REDACTED } from './run/redact.js';
export { type RunAnalysisOptions, resultOf, runAnalysis } from './run/run-analysis.js';
export type {
  AnalysisRunData,
  AnalysisRunResult,
  MeasurementRecord,
  MetricResult,
  RunSummary,
  StoredMetric,
} from './run/run-types.js';
export type { SecretResolver } from './run/secret-resolver.js';
export type { AnalysisTemplateInput } from './run/template-inputs.js';
export type {
  AnalysisTemplate,
  AnalysisTemplateSpec,
  DryRunRule,
  MeasurementRetentionRule,
  TemplateArgument,
} from './template/analysis-template-types.js';
export { parseAnalysisTemplate } from './template/parse-analysis-template.js';
export { substituteArgs } from './template/substitute-args.js';
export { templateLimits } from './template/template-limits.js';
export { createWebProvider, type WebProviderOptions } from './web/create-web-provider.js';
export type { WebMetric } from './web/web-metric.js';
