import type { PlanContext } from './plan-context.js';

/**
 * Argo's progress deadline: a rollout waiting for pods longer than
 * `progressDeadlineSeconds` (600) is Degraded ("ProgressDeadlineExceeded"),
 * and aborted when `progressDeadlineAbort` is set — a canary stuck on a bad
 * image must not hold a rollout open forever. Only an observed Workload can
 * be waited on; the clock starts when the wait does.
 */
export function trackProgressDeadline(ctx: PlanContext, waiting: string | undefined): void {
  const s = ctx.status;
  if (!waiting || !ctx.observedWorkload) {
    if (s.waitingSince !== undefined || s.stalled !== undefined) ctx.update({ waitingSince: undefined, stalled: undefined });
    return;
  }
  if (s.waitingSince === undefined) {
    ctx.update({ waitingSince: ctx.now });
    ctx.wakeNoLaterThan(ctx.now + ctx.spec.progressDeadlineSeconds * 1000);
    return;
  }
  const deadline = s.waitingSince + ctx.spec.progressDeadlineSeconds * 1000;
  if (ctx.now < deadline) {
    ctx.wakeNoLaterThan(deadline);
    return;
  }
  const message = `${waiting} after ${ctx.spec.progressDeadlineSeconds}s (progressDeadlineSeconds)`;
  if (ctx.spec.progressDeadlineAbort) {
    ctx.abort(`ProgressDeadlineExceeded: ${message}`);
    return;
  }
  if (s.stalled !== message) {
    ctx.update({ stalled: message });
    ctx.event('ProgressDeadlineExceeded', message, { type: 'Warning' });
  }
}
