import type { AnalysisPhase } from '@gradual/core';
import type { MetricSettings } from './metric-settings.js';
import type { MetricResult } from './run-types.js';

/** A metric's phase, and the limit that decided it when one did. */
export interface MetricAssessment {
  phase: AnalysisPhase;
  /** e.g. `failed (3) > failureLimit (2)`. */
  reason?: string | undefined;
}

const completed = new Set<AnalysisPhase>(['Successful', 'Failed', 'Inconclusive', 'Error']);

/** Whether a phase is final. */
export function isCompleted(phase: AnalysisPhase): boolean {
  return completed.has(phase);
}

/**
 * Which limit a metric has broken, if any; later checks win (Argo's
 * `assessMetricFailureInconclusiveOrError`).
 */
export function limitViolation(settings: MetricSettings, result: MetricResult): MetricAssessment | undefined {
  let out: MetricAssessment | undefined;
  const failureLimit = settings.failureLimit ?? 0;
  if (failureLimit >= 0 && result.failed > failureLimit)
    out = { phase: 'Failed', reason: `failed (${result.failed}) > failureLimit (${failureLimit})` };
  if (result.inconclusive > settings.inconclusiveLimit) {
    out = {
      phase: 'Inconclusive',
      reason: `inconclusive (${result.inconclusive}) > inconclusiveLimit (${settings.inconclusiveLimit})`,
    };
  }
  if (result.consecutiveError > settings.consecutiveErrorLimit) {
    out = {
      phase: 'Error',
      reason: `consecutiveErrors (${result.consecutiveError}) > consecutiveErrorLimit (${settings.consecutiveErrorLimit})`,
    };
  }
  return out;
}

/**
 * A metric that reached its count without one successful measurement. Argo
 * Rollouts assesses it Successful when the failures stay within
 * `failureLimit` (argoproj/argo-rollouts#4479: every measurement Failed or
 * Error, run Successful); gradual fails it loudly instead: Failed when a
 * measurement failed, else Inconclusive when one was inconclusive.
 */
export function noSuccessViolation(settings: MetricSettings, result: MetricResult): MetricAssessment | undefined {
  if (settings.effectiveCount === undefined || result.count < settings.effectiveCount || result.successful > 0) return undefined;
  if (result.failed + result.inconclusive + result.error === 0) return undefined;
  return {
    phase: result.failed > 0 ? 'Failed' : result.inconclusive > 0 ? 'Inconclusive' : 'Error',
    reason: `count (${settings.effectiveCount}) reached without a successful measurement (failed ${result.failed}, inconclusive ${result.inconclusive}, error ${result.error}); Argo Rollouts would assess it Successful (argoproj/argo-rollouts#4479)`,
  };
}

/**
 * The phase of one metric after a measurement (Argo's `assessMetricStatus`
 * in `analysis/analysis.go`, rule by rule, with one deliberate difference:
 * see `noSuccessViolation`). Pure.
 */
export function assessMetricStatus(settings: MetricSettings, result: MetricResult, terminating: boolean): MetricAssessment {
  // 1. A completed metric keeps its phase.
  if (isCompleted(result.phase)) return { phase: result.phase };
  // 2. Nothing measured yet.
  if (result.measurements.length === 0) return { phase: terminating ? 'Successful' : 'Pending' };
  // 3. A measurement is still in flight.
  const last = result.measurements[result.measurements.length - 1];
  if (last && !isCompleted(last.phase)) return { phase: 'Running' };
  // 4. Limits.
  const violation = limitViolation(settings, result);
  if (violation) return violation;
  // 5. Enough consecutive successes.
  if (settings.consecutiveSuccessLimit > 0 && result.consecutiveSuccess >= settings.consecutiveSuccessLimit)
    return { phase: 'Successful' };
  // 6. Count reached.
  if (settings.effectiveCount !== undefined && result.count >= settings.effectiveCount) {
    const failureApplicable = settings.failureLimit === undefined || settings.failureLimit >= 0;
    const successApplicable = settings.consecutiveSuccessLimit > 0;
    if (failureApplicable && successApplicable) return { phase: 'Inconclusive' };
    if (!failureApplicable && successApplicable) return { phase: 'Failed' };
    // The #4479 guard only overrides Argo's Successful; Argo's Inconclusive and Failed stand.
    return noSuccessViolation(settings, result) ?? { phase: 'Successful' };
  }
  // 7. Open-ended.
  return { phase: terminating ? 'Successful' : 'Running' };
}
