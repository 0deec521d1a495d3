import { assessMeasurement } from '@gradual/analysis';
import type { AnalysisMetric } from '@gradual/core';

// Results as providers return them: a vector of one series, or a scalar.
const healthyCandidates: unknown[] = [[1], 1, [0.99], 0.99, [0], 0, [100], 100, true, 'ok'];
const failingCandidates: unknown[] = [[0], 0, [0.5], 0.5, [1], 1, [1000], 1000, false, 'error'];

/**
 * A value the metric's own conditions judge healthy (Successful) or failing
 * (Failed, else anything but Successful), so a scenario can say "healthy"
 * without knowing the thresholds.
 */
export function pickValue(metric: AnalysisMetric, wanted: 'healthy' | 'failing'): unknown {
  const conditions = { successCondition: metric.successCondition, failureCondition: metric.failureCondition };
  const phase = (value: unknown) => {
    try {
      return assessMeasurement(conditions, value).phase;
    } catch {
      return 'Error';
    }
  };
  if (wanted === 'healthy') return healthyCandidates.find((value) => phase(value) === 'Successful') ?? healthyCandidates[0];
  return (
    failingCandidates.find((value) => phase(value) === 'Failed') ??
    failingCandidates.find((value) => phase(value) !== 'Successful') ??
    failingCandidates[0]
  );
}
