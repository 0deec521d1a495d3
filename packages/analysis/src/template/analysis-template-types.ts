import type { AnalysisMetric, AnalysisRunArgument, AnalysisTemplateRef } from '@gradual/core';

/** An argument a template declares: `{ name, value?, valueFrom? }`, as Argo writes it (the same shape a rollout passes). */
export type TemplateArgument = AnalysisRunArgument;

/** `dryRun[]`: metrics (by regular expression, or `*`) whose outcome never affects the run. */
export interface DryRunRule {
  metricName: string;
}

/** `measurementRetention[]`: how many measurements to keep for metrics matching `metricName`. */
export interface MeasurementRetentionRule {
  metricName: string;
  limit: number;
}

/** `spec` of an AnalysisTemplate or ClusterAnalysisTemplate. */
export interface AnalysisTemplateSpec {
  metrics: AnalysisMetric[];
  args?: TemplateArgument[] | undefined;
  dryRun?: DryRunRule[] | undefined;
  measurementRetention?: MeasurementRetentionRule[] | undefined;
  /** Other templates this one includes (Argo's template nesting). */
  templates?: AnalysisTemplateRef[] | undefined;
}

/** A parsed `AnalysisTemplate` or `ClusterAnalysisTemplate`. */
export interface AnalysisTemplate {
  apiVersion: string;
  kind: 'AnalysisTemplate' | 'ClusterAnalysisTemplate';
  metadata: {
    name: string;
    namespace?: string | undefined;
    labels?: Record<string, string> | undefined;
    annotations?: Record<string, string> | undefined;
  };
  spec: AnalysisTemplateSpec;
}
