import { fillAbsent } from '@gradual/core/adapter';
import type { AnalysisRunData, MetricResult } from './run-types.js';

// Copies as literals of the required fields, the rest filled in after (`fillAbsent` says why not a spread):
// every measurement makes a new run data and metric result, and the host keeps both in the status.

/** A copy of a run's data with `patch` applied. */
export function runDataWith(data: AnalysisRunData, patch: Partial<AnalysisRunData>): AnalysisRunData {
  const copy: AnalysisRunData = {
    version: data.version,
    startedAt: data.startedAt,
    metrics: data.metrics,
    fingerprint: data.fingerprint,
    request: data.request,
    secretArgs: data.secretArgs,
    retention: data.retention,
    metricResults: data.metricResults,
    runSummary: data.runSummary,
  };
  fillAbsent(copy, data);
  return Object.assign(copy, patch);
}

/** A copy of a metric's result with `patch` applied. */
export function metricResultWith(result: MetricResult, patch: Partial<MetricResult>): MetricResult {
  const copy: MetricResult = {
    name: result.name,
    phase: result.phase,
    count: result.count,
    successful: result.successful,
    failed: result.failed,
    inconclusive: result.inconclusive,
    error: result.error,
    consecutiveError: result.consecutiveError,
    consecutiveSuccess: result.consecutiveSuccess,
    measurements: result.measurements,
  };
  fillAbsent(copy, result);
  return Object.assign(copy, patch);
}
