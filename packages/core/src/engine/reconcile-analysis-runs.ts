import { mayAttempt } from './adapter-retry.js';
import type { Intent } from './intent.js';
import { isWanted, type PlanContext } from './plan-context.js';
import type { AdapterError, StoredAnalysisRun } from './rollout-status.js';

// A runner that reports no next time for an active run is polled at this interval.
export const defaultPollMs = 10_000;

const active = (phase: string) => phase === 'Pending' || phase === 'Running';

/**
 * Makes the stored runs match the runs the strategy wants: start the
 * missing, reconcile the due, terminate the unwanted (runs already finished
 * and unwanted are simply dropped).
 */
export function reconcileAnalysisRuns(ctx: PlanContext): void {
  // The runner itself failed a moment ago: leave every run as it is until the backoff passes.
  const error = ctx.status.analysisError;
  if (error?.retryable && ctx.now < error.retryAt) {
    ctx.wakeNoLaterThan(error.retryAt);
    return;
  }
  const wanted = ctx.wantedRuns;
  // Loops, not callbacks: this runs on every pass, and each callback reading `wanted` is a closure per call.
  const runs = ctx.status.analysisRuns;
  let kept = 0;
  for (const run of runs) if (isWanted(wanted, run.state.name) || active(run.state.phase)) kept++;
  if (kept < runs.length) {
    ctx.update({ analysisRuns: runs.filter((run) => isWanted(wanted, run.state.name) || active(run.state.phase)) });
  }
  for (const run of ctx.status.analysisRuns) {
    if (!isWanted(wanted, run.state.name)) push(ctx, error, { type: 'terminateAnalysis', name: run.state.name, run: run.state });
  }
  for (const want of wanted) {
    const run = ctx.run(want.request.name);
    if (!run) {
      push(ctx, error, {
        type: 'startAnalysis',
        request: want.request,
        ...(want.stepIndex === undefined ? {} : { stepIndex: want.stepIndex }),
        ...(want.analysisName === undefined ? {} : { analysisName: want.analysisName }),
      });
      continue;
    }
    if (!active(run.state.phase)) continue;
    const due = runDueAt(run, ctx.now);
    if (ctx.now >= due) push(ctx, error, { type: 'reconcileAnalysis', name: run.state.name, run: run.state });
    else ctx.wakeNoLaterThan(due);
  }
}

function push(ctx: PlanContext, error: AdapterError | undefined, intent: Intent): void {
  if (mayAttempt(ctx, error, intent)) ctx.intents.push(intent);
}

/** When an active stored run is next due: its runner's `nextReconcileAt`, else a poll after it was last checked. */
export function runDueAt(run: StoredAnalysisRun, now: number): number {
  return run.state.nextReconcileAt ?? (run.checkedAt ?? now) + defaultPollMs;
}
