import type { AnalysisMetric, Measurement, MetricProvider } from '@gradual/core';
import type { MeasurementAssessment } from '../condition/assess-measurement.js';

/**
 * A MetricProvider that also decides a measurement's phase itself, as Argo's
 * kayenta provider does (score against `threshold`). The analysis run asks it
 * only when the metric states neither successCondition nor failureCondition.
 */
export interface AssessingMetricProvider extends MetricProvider {
  /** The phase of a measurement this provider took for `metric`. */
  assess(metric: AnalysisMetric, measurement: Measurement): MeasurementAssessment;
}

/** Whether `provider` decides phases itself. */
export function isAssessingProvider(provider: MetricProvider): provider is AssessingMetricProvider {
  return typeof (provider as Partial<AssessingMetricProvider>).assess === 'function';
}
