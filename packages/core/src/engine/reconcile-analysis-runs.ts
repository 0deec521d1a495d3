import { mayAttempt } from './adapter-retry.js';
import type { Intent } from './intent.js';
import type { PlanContext } from './plan-context.js';
import type { StoredAnalysisRun } from './rollout-status.js';

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
  const push = (intent: Intent) => {
    if (mayAttempt(ctx, error, intent)) ctx.intents.push(intent);
  };
  const wanted = ctx.wantedRuns;
  const isWanted = (name: string) => wanted.some((run) => run.request.name === name);
  const runs = ctx.status.analysisRuns;
  if (runs.some((run) => !isWanted(run.state.name) && !active(run.state.phase))) {
    ctx.update({ analysisRuns: runs.filter((run) => isWanted(run.state.name) || active(run.state.phase)) });
  }
  for (const run of ctx.status.analysisRuns) {
    if (!isWanted(run.state.name)) push({ type: 'terminateAnalysis', name: run.state.name, run: run.state });
  }
  for (const want of wanted) {
    const run = ctx.run(want.request.name);
    if (!run) {
      push({
        type: 'startAnalysis',
        request: want.request,
        ...(want.stepIndex === undefined ? {} : { stepIndex: want.stepIndex }),
        ...(want.analysisName === undefined ? {} : { analysisName: want.analysisName }),
      });
      continue;
    }
    if (!active(run.state.phase)) continue;
    const due = runDueAt(run, ctx.now);
    if (ctx.now >= due) push({ type: 'reconcileAnalysis', name: run.state.name, run: run.state });
    else ctx.wakeNoLaterThan(due);
  }
}

/** When an active stored run is next due: its runner's `nextReconcileAt`, else a poll after it was last checked. */
export function runDueAt(run: StoredAnalysisRun, now: number): number {
  return run.state.nextReconcileAt ?? (run.checkedAt ?? now) + defaultPollMs;
}
