import type { PlanContext } from './plan-context.js';
import type { AdapterError } from './rollout-status.js';

const fields = ['trafficError', 'workloadError', 'analysisError'] as const;

/** How each adapter's failure is named in messages and events. */
export const adapterFailureReason = {
  trafficError: 'TrafficRoutingError',
  workloadError: 'WorkloadError',
  analysisError: 'AnalysisRunnerError',
} as const;

/**
 * The progress deadline applied to failing adapters: a rollout whose router,
 * workload or analysis runner keeps failing is not progressing. A
 * non-retryable failure stops progress at once; retryable ones do once they
 * have lasted `progressDeadlineSeconds`. Then `progressDeadlineAbort` aborts
 * (traffic goes back to stable), otherwise the rollout is Degraded.
 */
export function trackAdapterFailures(ctx: PlanContext): void {
  const deadlineMs = ctx.spec.progressDeadlineSeconds * 1000;
  for (const field of fields) {
    const error = ctx.status[field];
    if (!error) continue;
    const what = `${adapterFailureReason[field]}: ${error.message}`;
    if (!error.retryable) {
      if (ctx.spec.progressDeadlineAbort && !ctx.status.abort) ctx.abort(`${what} (not retryable)`);
      continue;
    }
    if (error.deadlineExceeded) continue;
    const deadline = error.since + deadlineMs;
    if (ctx.now < deadline) {
      ctx.wakeNoLaterThan(deadline);
      continue;
    }
    const exceeded: AdapterError = { ...error, deadlineExceeded: true };
    ctx.update({ [field]: exceeded });
    const message = `${what} (failing for ${ctx.spec.progressDeadlineSeconds}s, ${error.attempts} attempts; progressDeadlineSeconds)`;
    if (ctx.spec.progressDeadlineAbort && !ctx.status.abort) ctx.abort(`ProgressDeadlineExceeded: ${message}`);
    else ctx.event('ProgressDeadlineExceeded', message, { type: 'Warning' });
  }
}

/** The adapter failure that stops the rollout's progress (non-retryable, or past the deadline), if any. */
export function blockingAdapterFailure(ctx: Pick<PlanContext, 'status'>): { reason: string; error: AdapterError } | undefined {
  for (const field of fields) {
    const error = ctx.status[field];
    if (error && (!error.retryable || error.deadlineExceeded)) return { reason: adapterFailureReason[field], error };
  }
  return undefined;
}
