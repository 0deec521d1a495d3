import type { RolloutStatus } from '@gradual/core';

/** One measurement as the demo shows it. */
export interface MeasurementView {
  run: string;
  metric: string;
  phase: string;
  /** The value as the provider displayed it, e.g. `[0.973]`; absent for errors. */
  value?: string;
  message?: string;
  finishedAt?: string;
}

interface RunDataShape {
  metricResults?: { name: string; measurements?: { phase: string; value?: string; message?: string; finishedAt?: string }[] }[];
}

/**
 * The measurements kept in a rollout status, oldest first. They live in
 * each run's `state.data`, which the engine stores without reading; this
 * reads the shape `@gradual/analysis` writes there (its `AnalysisRunData`).
 */
export function measurementsOf(status: RolloutStatus | undefined): MeasurementView[] {
  const views: MeasurementView[] = [];
  for (const run of status?.analysisRuns ?? []) {
    const data = run.state.data as RunDataShape | undefined;
    for (const result of data?.metricResults ?? []) {
      for (const measurement of result.measurements ?? []) {
        views.push({
          run: run.state.name,
          metric: result.name,
          phase: measurement.phase,
          ...(measurement.value === undefined ? {} : { value: measurement.value }),
          ...(measurement.message === undefined ? {} : { message: measurement.message }),
          ...(measurement.finishedAt === undefined ? {} : { finishedAt: measurement.finishedAt }),
        });
      }
    }
  }
  return views.sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? ''));
}
