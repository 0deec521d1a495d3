import { blockingAdapterFailure } from './adapter-deadline.js';
import type { PlanContext } from './plan-context.js';
import type { RolloutPhase } from './rollout-status.js';
import { trafficStatesEqual } from './traffic-states-equal.js';

/** Phase and message as Argo's CalculateRolloutPhase orders them (first match wins). */
export function rolloutPhase(ctx: PlanContext): { phase: RolloutPhase; message: string } {
  const { status, spec } = ctx;
  if (status.abort) {
    return {
      phase: 'Degraded',
      message: `RolloutAborted: Rollout aborted update to revision ${spec.revision}: ${status.abortMessage ?? 'aborted'}`,
    };
  }
  if (status.stalled) return { phase: 'Degraded', message: `ProgressDeadlineExceeded: ${status.stalled}` };
  const blocking = blockingAdapterFailure(ctx);
  if (blocking) {
    const message = `${blocking.reason}: ${blocking.error.message}`;
    return { phase: 'Degraded', message: blocking.error.deadlineExceeded ? `ProgressDeadlineExceeded: ${message}` : message };
  }
  if (ctx.paused) return { phase: 'Paused', message: 'manually paused' };
  const pause = status.pauseConditions[0];
  if (pause) return { phase: 'Paused', message: pause.reason };
  if (status.trafficError) return { phase: 'Progressing', message: `TrafficRoutingError: ${status.trafficError.message}` };
  const settled = ctx.desiredTraffic === undefined || trafficStatesEqual(ctx.desiredTraffic, status.traffic);
  if (status.stableRevision === spec.revision && settled && !hasActiveWork(ctx)) return { phase: 'Healthy', message: '' };
  if (spec.strategy.blueGreen) {
    return {
      phase: 'Progressing',
      message:
        status.blueGreen?.promotedAt !== undefined
          ? 'waiting for post-promotion verification to complete'
          : 'active service cutover pending',
    };
  }
  return { phase: 'Progressing', message: 'waiting for all steps to complete' };
}

function hasActiveWork(ctx: PlanContext): boolean {
  return ctx.status.analysisRuns.some((run) => run.state.phase === 'Running' || run.state.phase === 'Pending');
}
