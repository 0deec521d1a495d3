import { metricResultWith } from './copy-run-records.js';
import type { MeasurementRecord, MetricResult } from './run-types.js';

/** Argo's default number of measurements kept per metric. */
export const DEFAULT_MEASUREMENT_RETENTION = 10;

/**
 * Adds a finished measurement to a metric's counters (Argo's
 * `runMeasurements`): errors count in `error` and `consecutiveError` but not
 * in `count`; keeps only the newest `retention` measurements. Pure.
 */
export function recordMeasurement(
  result: MetricResult,
  measurement: MeasurementRecord,
  retention = DEFAULT_MEASUREMENT_RETENTION,
): MetricResult {
  // concat copies exactly: a spread and an added item would leave 16 spare slots in every kept history.
  const next = metricResultWith(result, { measurements: result.measurements.concat([measurement]) });
  switch (measurement.phase) {
    case 'Successful':
      next.successful++;
      next.count++;
      next.consecutiveError = 0;
      next.consecutiveSuccess++;
      break;
    case 'Failed':
      next.failed++;
      next.count++;
      next.consecutiveError = 0;
      next.consecutiveSuccess = 0;
      break;
    case 'Inconclusive':
      next.inconclusive++;
      next.count++;
      next.consecutiveError = 0;
      next.consecutiveSuccess = 0;
      break;
    case 'Error':
      next.error++;
      next.consecutiveError++;
      next.consecutiveSuccess = 0;
      break;
  }
  if (measurement.noData !== undefined) next.noData = { count: (result.noData?.count ?? 0) + 1, message: measurement.noData };
  // Argo sets the metric's message from each new measurement, so an old error never explains a later verdict.
  // Cleared by writing undefined (JSON drops it), not `delete`, which turns the object into a slow dictionary.
  if (measurement.message) next.message = measurement.message;
  else if (next.message !== undefined) next.message = undefined;
  if (next.measurements.length > retention)
    next.measurements = next.measurements.slice(next.measurements.length - Math.max(retention, 1));
  return next;
}
