import { isCompleted } from './assess-metric-status.js';
import { epochMsOf } from './iso-time.js';
import { ERROR_RETRY_INTERVAL_MS, type MetricSettings } from './metric-settings.js';
import type { MetricResult } from './run-types.js';

/**
 * When a metric next wants a measurement, in epoch ms, or undefined when it
 * wants none (Argo's `generateMetricTasks`): the first after `initialDelay`
 * from the run's start; after an `Error`, 10 s later; otherwise `interval`
 * after the last one finished, until the count is reached. Nothing once
 * completed or while the run terminates.
 */
export function nextMeasurementAt(input: {
  settings: MetricSettings;
  result: MetricResult;
  runStartedAt: number;
  terminating: boolean;
}): number | undefined {
  const { settings, result } = input;
  if (isCompleted(result.phase) || input.terminating) return undefined;
  const last = result.measurements[result.measurements.length - 1];
  if (!last) return input.runStartedAt + (settings.initialDelayMs ?? 0);
  if (settings.effectiveCount !== undefined && result.count >= settings.effectiveCount) return undefined;
  const finishedAt = epochMsOf(last.finishedAt ?? last.startedAt);
  if (last.phase === 'Error') return finishedAt + ERROR_RETRY_INTERVAL_MS;
  return finishedAt + (settings.intervalMs ?? ERROR_RETRY_INTERVAL_MS);
}
