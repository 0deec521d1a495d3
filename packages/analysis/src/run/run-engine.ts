import {
  type AnalysisMetric,
  type AnalysisRunState,
  type CallOptions,
  GradualError,
  type JsonValue,
  type MetricProvider,
  noopLogger,
} from '@gradual/core';
import type { CompiledCondition } from '../condition/compile-condition.js';
import { isCompleted } from './assess-metric-status.js';
import { assessRunStatus, isTerminating } from './assess-run-status.js';
import { runDataWith } from './copy-run-records.js';
import { type MetricSettings, metricSettings } from './metric-settings.js';
import { nextMeasurementAt } from './next-measurement-at.js';
import { recordMeasurement } from './record-measurement.js';
import type { AnalysisRunData, MetricResult, RunSummary } from './run-types.js';
import type { SecretResolver } from './secret-resolver.js';
import type { RunMetrics } from './start-run.js';
import { takeMeasurement } from './take-measurement.js';

/** How measurements are taken; shared by `runAnalysis` and the AnalysisRunner. */
export interface RunEngineOptions {
  providers: readonly MetricProvider[];
  resolveSecret?: SecretResolver | undefined;
  measurementTimeoutMs: number;
  compile: (expression: string) => CompiledCondition;
  /** The full metrics of a run (its state keeps no provider blocks). */
  metricsOf: (data: AnalysisRunData) => RunMetrics;
}

/** Reads the run data out of a state, refusing a state this package did not write. */
export function runDataOf(run: AnalysisRunState): AnalysisRunData | undefined {
  const data = run.data as unknown as AnalysisRunData | undefined;
  if (data === undefined || data === null) return undefined;
  if (typeof data !== 'object' || data.version !== 1 || !Array.isArray(data.metrics) || !Array.isArray(data.metricResults)) {
    throw new TypeError(`analysis run "${run.name}" has state this runner did not write`);
  }
  return data;
}

/** The run state for `data` after reassessing it at `now`. Pure. `settings` are `data.metrics`' when the caller has them. */
export function stateOf(
  name: string,
  input: AnalysisRunData,
  now: number,
  settings: readonly MetricSettings[] = input.metrics.map(metricSettings),
): AnalysisRunState {
  // Only top-level fields change here; the measurements are shared, not copied (a deep copy per reconcile
  // made a run with measurementRetention M cost M² in total).
  return assessedState(name, runDataWith(input, {}), input, now, settings);
}

/**
 * `stateOf` for a `data` this module has just copied from `previous` and owns. What the reassessment leaves
 * as it was (a summary with the same counts) stays the object `previous` has: a host keeps every state it
 * is given, and only what changed is new.
 */
function assessedState(
  name: string,
  data: AnalysisRunData,
  previous: AnalysisRunData,
  now: number,
  settings: readonly MetricSettings[],
): AnalysisRunState {
  const assessment = assessRunStatus({ settings, results: data.metricResults, ...(data.terminate ? { terminate: true } : {}) });
  data.metricResults = assessment.metricResults as MetricResult[];
  data.runSummary = sameSummary(previous.runSummary, assessment.runSummary) ? previous.runSummary : assessment.runSummary;
  if (assessment.dryRunSummary)
    data.dryRunSummary = sameSummary(previous.dryRunSummary, assessment.dryRunSummary)
      ? (previous.dryRunSummary as RunSummary)
      : assessment.dryRunSummary;
  const completed = isCompleted(assessment.phase);
  if (completed) data.completedAt ??= now;
  let nextReconcileAt: number | undefined;
  if (!completed) {
    const terminating = isTerminating(data.terminate, data.metricResults);
    for (let i = 0; i < data.metricResults.length; i++) {
      const at = nextMeasurementAt({
        settings: settings[i] as MetricSettings,
        result: data.metricResults[i] as MetricResult,
        runStartedAt: data.startedAt,
        terminating,
      });
      if (at !== undefined && (nextReconcileAt === undefined || at < nextReconcileAt)) nextReconcileAt = at;
    }
  }
  const message = withNoDataNotes(assessment.message, data.metricResults);
  // A running run's state as one literal: fields added after an object is made go to a property store of
  // their own, and a host keeps a state in every status.
  if (!message && nextReconcileAt !== undefined)
    return { name, phase: assessment.phase, nextReconcileAt, data: data as unknown as JsonValue };
  const state: AnalysisRunState = { name, phase: assessment.phase };
  if (message) state.message = message;
  if (nextReconcileAt !== undefined) state.nextReconcileAt = nextReconcileAt;
  state.data = data as unknown as JsonValue;
  return state;
}

function sameSummary(a: RunSummary | undefined, b: RunSummary): boolean {
  return (
    a !== undefined &&
    a.count === b.count &&
    a.successful === b.successful &&
    a.failed === b.failed &&
    a.inconclusive === b.inconclusive &&
    a.error === b.error
  );
}

const MAX_RUN_MESSAGE = 4_096;

/**
 * The run's message with a note per metric that had no data, so an empty
 * query shows in the status and in the engine's AnalysisRunCompleted event
 * even when the conditions let it pass (`len(result) == 0 || ...`).
 */
function withNoDataNotes(message: string | undefined, results: readonly MetricResult[]): string | undefined {
  if (!results.some((result) => result.noData)) return message;
  const notes = results
    .filter((result) => result.noData && !message?.includes(result.noData.message))
    .map((result) => {
      const noData = result.noData as NonNullable<MetricResult['noData']>;
      return `${noData.message} in ${noData.count} of ${result.count + result.error} measurements`;
    });
  if (notes.length === 0) return message;
  const text = [message, ...notes].filter(Boolean).join('; ');
  return text.length > MAX_RUN_MESSAGE ? `${text.slice(0, MAX_RUN_MESSAGE)}...` : text;
}

// What a reconcile with nothing due measures with (it never reads it).
const NO_METRICS: RunMetrics = { metrics: [], templates: [], args: {} };

/**
 * Takes every measurement due at `options.clock.now()` (concurrently), records
 * them and reassesses the run. A completed run is returned as it is.
 * Rejects only with a CancelledError; nothing is recorded then.
 */
export async function reconcileRunState(
  run: AnalysisRunState,
  engine: RunEngineOptions,
  options: CallOptions,
): Promise<AnalysisRunState> {
  const current = runDataOf(run);
  if (!current || isCompleted(run.phase) || current.completedAt !== undefined) return run;
  // recordMeasurement is pure: a new array of results is enough, the rest is shared with the input state.
  const data = runDataWith(current, { metricResults: [...current.metricResults] });
  const now = options.clock.now();
  const settings = data.metrics.map(metricSettings);
  const terminating = isTerminating(data.terminate, data.metricResults);
  const due: number[] = [];
  for (let i = 0; i < data.metricResults.length; i++) {
    const at = nextMeasurementAt({
      settings: settings[i] as MetricSettings,
      result: data.metricResults[i] as MetricResult,
      runStartedAt: data.startedAt,
      terminating,
    });
    if (at !== undefined && at <= now) due.push(i);
  }
  let metrics = NO_METRICS;
  if (due.length > 0) {
    try {
      metrics = engine.metricsOf(data);
    } catch (error) {
      if (!GradualError.isInstance(error)) throw error;
      // Argo would keep measuring its snapshot; without one, the honest answer is an Error run.
      const { completedAt: _, ...rest } = data;
      return {
        name: run.name,
        phase: 'Error',
        message: `cannot continue analysis run: ${error.message}`,
        data: { ...rest, completedAt: now } as unknown as JsonValue,
      };
    }
  }
  const measure = (i: number) =>
    takeMeasurement({
      metric: metrics.metrics[i] as AnalysisMetric,
      template: metrics.templates[i] as AnalysisMetric,
      args: metrics.args,
      secretArgs: data.secretArgs,
      providers: engine.providers,
      ...(engine.resolveSecret ? { resolveSecret: engine.resolveSecret } : {}),
      measurementTimeoutMs: engine.measurementTimeoutMs,
      compile: engine.compile,
      options,
    });
  // Usually one metric is due: no Promise.all for it.
  const taken = due.length === 1 ? [await measure(due[0] as number)] : await Promise.all(due.map(measure));
  due.forEach((i, k) => {
    const result = data.metricResults[i] as MetricResult;
    const measurement = taken[k] as (typeof taken)[number];
    data.metricResults[i] = recordMeasurement(result, measurement, data.retention[result.name]);
    // The default logger drops everything: no fields or messages built for it (one per measurement).
    if (!options.logger || options.logger === noopLogger) return;
    // Messages and values are already redacted; nothing here carries a secret.
    const fields = {
      run: run.name,
      metric: result.name,
      phase: measurement.phase,
      value: measurement.value,
      message: measurement.message,
    };
    if (measurement.noData !== undefined)
      options.logger?.warn(`analysis run "${run.name}": ${measurement.noData}`, { ...fields, noData: true });
    else if (measurement.phase === 'Error')
      options.logger?.warn(`analysis run "${run.name}": metric "${result.name}" could not be measured`, fields);
    else options.logger?.debug(`analysis run "${run.name}": metric "${result.name}" measured ${measurement.phase}`, fields);
  });
  return assessedState(run.name, data, current, options.clock.now(), settings);
}

/** Marks the run terminated (Argo's `spec.terminate`) and reassesses it: open-ended metrics end Successful. */
export function terminateRunState(run: AnalysisRunState, now: number): AnalysisRunState {
  const current = runDataOf(run);
  if (!current || isCompleted(run.phase) || current.completedAt !== undefined) return run;
  return stateOf(run.name, runDataWith(current, { terminate: true }), now);
}
