import type { AnalysisPhase } from '@gradual/core';
import { assessMetricStatus, isCompleted, limitViolation, noSuccessViolation } from './assess-metric-status.js';
import { metricResultWith } from './copy-run-records.js';
import type { MetricSettings } from './metric-settings.js';
import type { MetricResult, RunSummary } from './run-types.js';

/** What `assessRunStatus` decided for the run. */
export interface RunAssessment {
  phase: AnalysisPhase;
  message?: string | undefined;
  runSummary: RunSummary;
  dryRunSummary?: RunSummary | undefined;
  /** The results with their new phases: the array given when no phase changed, else a copy (the input is never changed). */
  metricResults: readonly MetricResult[];
}

// Argo's `IsWorse` order: later is worse.
const severity: AnalysisPhase[] = ['Successful', 'Running', 'Pending', 'Inconclusive', 'Error', 'Failed'];

const ending = new Set<AnalysisPhase>(['Failed', 'Error', 'Inconclusive']);

/** Whether a run stops measuring: terminate was asked, or a metric that counts has Failed, Errored or is Inconclusive. */
export function isTerminating(terminate: boolean | undefined, results: readonly MetricResult[]): boolean {
  if (terminate === true) return true;
  for (const result of results) if (!result.dryRun && ending.has(result.phase)) return true;
  return false;
}

/**
 * Reassesses every metric and the run (Argo's `assessRunStatus`): the run is
 * Running while any metric is; otherwise the worst metric phase, dry-run
 * metrics aside; the results with their new phases and messages are in
 * `metricResults`. When a metric
 * has just ended the run, it reassesses once more so open-ended metrics end
 * in the same pass, as Argo's next reconcile would. Pure: a result whose
 * phase changes is replaced in a copy of the array, since the results given
 * are shared with the state the caller still holds.
 */
export function assessRunStatus(input: {
  settings: readonly MetricSettings[];
  results: readonly MetricResult[];
  terminate?: boolean | undefined;
}): RunAssessment {
  let results = input.results;
  let terminating = isTerminating(input.terminate, results);
  for (;;) {
    results = assessMetrics(input.settings, results, terminating);
    const now = isTerminating(input.terminate, results);
    if (now === terminating) break;
    terminating = now;
  }
  let worst: AnalysisPhase | undefined;
  let message = input.terminate ? 'Run Terminated' : undefined;
  let everythingCompleted = true;
  const runSummary = summary();
  const dryRunSummary = summary();
  results.forEach((result, i) => {
    const settings = input.settings[i] as MetricSettings;
    const counted = result.dryRun ? dryRunSummary : runSummary;
    counted.count++;
    if (!isCompleted(result.phase)) {
      everythingCompleted = false;
      return;
    }
    // Argo has no metric result before the first measurement, so a run terminated
    // before measuring a metric counts it as neither successful nor anything else.
    if (neverMeasured(result)) return;
    if (result.phase === 'Successful') counted.successful++;
    if (result.phase === 'Failed') counted.failed++;
    if (result.phase === 'Inconclusive') counted.inconclusive++;
    if (result.phase === 'Error') counted.error++;
    if (result.dryRun) return;
    if (worst === undefined || severity.indexOf(result.phase) > severity.indexOf(worst)) {
      worst = result.phase;
      const reason = (limitViolation(settings, result) ?? noSuccessViolation(settings, result))?.reason;
      if (reason) {
        message = `Metric "${result.name}" assessed ${result.phase} due to ${reason}`;
        if (result.message) message += `: "Error Message: ${result.message}"`;
      }
    }
  });
  const hasDryRun = results.some((result) => result.dryRun);
  const summaries = { runSummary, ...(hasDryRun ? { dryRunSummary } : {}), metricResults: results };
  if (terminating) return { phase: worst ?? 'Successful', ...(message ? { message } : {}), ...summaries };
  if (!everythingCompleted) return { phase: 'Running', ...summaries };
  // Only dry-run metrics, all done: nothing can fail the run, and it must not stay Running forever.
  if (worst === undefined) return { phase: 'Successful', ...summaries };
  return { phase: worst, ...(message ? { message } : {}), ...summaries };
}

function assessMetrics(
  settings: readonly MetricSettings[],
  results: readonly MetricResult[],
  terminating: boolean,
): readonly MetricResult[] {
  let assessed: MetricResult[] | undefined;
  for (let i = 0; i < results.length; i++) {
    const result = results[i] as MetricResult;
    const assessment = assessMetricStatus(settings[i] as MetricSettings, result, terminating);
    if (assessment.phase === result.phase) continue;
    const next = metricResultWith(result, { phase: assessment.phase });
    // Argo notes on a dry-run metric why it would have failed the run.
    if (result.dryRun && assessment.reason) {
      const note = `Metric assessed ${assessment.phase} due to ${assessment.reason}`;
      next.message = result.message ? `${note}: "Error Message: ${result.message}"` : note;
    }
    assessed ??= [...results];
    assessed[i] = next;
  }
  return assessed ?? results;
}

function neverMeasured(result: MetricResult): boolean {
  return result.measurements.length === 0 && result.count === 0 && result.error === 0;
}

function summary(): RunSummary {
  return { count: 0, successful: 0, failed: 0, inconclusive: 0, error: 0 };
}
