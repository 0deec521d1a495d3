import type { AnalysisMetric, ValidationIssue } from '@gradual/core';
import type { V1JobSpec, V1ObjectMeta } from '@kubernetes/client-node';

/** Argo's `provider.job` of a metric: labels and annotations for the Job, and its batch/v1 JobSpec. */
export interface JobMetric {
  /** Labels and annotations added to the Job (Argo adds its `analysisrun.argoproj.io/*` ones). */
  metadata?: Pick<V1ObjectMeta, 'labels' | 'annotations'> | undefined;
  /** The Job's spec, as sent; its pod template is required. */
  spec: V1JobSpec;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isStringMap = (value: unknown) => isObject(value) && Object.values(value).every((v) => typeof v === 'string');

/** Problems with a metric's `provider.job`, paths relative to the metric (`provider.job.spec.template`...). */
export function jobMetricIssues(metric: AnalysisMetric): ValidationIssue[] {
  const job = metric.provider?.job;
  if (!isObject(job)) return [{ path: 'provider.job', message: 'must be an object with a Job spec' }];
  const issues: ValidationIssue[] = [];
  const metadata = job.metadata;
  if (metadata !== undefined) {
    if (!isObject(metadata)) issues.push({ path: 'provider.job.metadata', message: 'must be an object' });
    else
      for (const field of ['labels', 'annotations'] as const)
        if (metadata[field] !== undefined && !isStringMap(metadata[field]))
          issues.push({ path: `provider.job.metadata.${field}`, message: 'must map names to strings' });
  }
  if (!isObject(job.spec)) issues.push({ path: 'provider.job.spec', message: 'is required: a batch/v1 JobSpec' });
  else if (!isObject(job.spec.template))
    issues.push({ path: 'provider.job.spec.template', message: 'is required: the pod template the Job runs' });
  return issues;
}

/** The metric's `provider.job`, once {@link jobMetricIssues} found nothing. */
export function readJobMetric(metric: AnalysisMetric): JobMetric {
  return metric.provider.job as unknown as JobMetric;
}
