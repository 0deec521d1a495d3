import { parseDuration } from '../../manifest/parse-duration.js';
import type { PauseStep } from '../../manifest/rollout-types.js';
import type { PlanContext } from '../plan-context.js';
import type { StepKind } from './step-kind.js';

/** A pause: for its duration, or (none given) until a human promotes. */
export const pauseStep: StepKind<PauseStep> = {
  describe: (step) => (step.pause.duration === undefined ? 'pause' : `pause: ${step.pause.duration}`),
  complete(ctx, step) {
    // Resumed: we paused here and a human removed the condition (promote).
    if (ctx.resumedByHuman) return true;
    const condition = ctx.status.pauseConditions.find((c) => c.reason === 'CanaryPauseStep');
    if (!condition) {
      ctx.addPause('CanaryPauseStep');
      return pauseElapsed(ctx, step, ctx.now);
    }
    return pauseElapsed(ctx, step, condition.startTime);
  },
  needsPods: false,
  exemptFromProgressDeadline: true,
  frozenByManualPause: true,
};

// Argo counts pauses in whole seconds: "1ms" is no pause at all. Memoised: the same few strings recur on every pass.
const pauseCache = new Map<string | number, number>();
function pauseMs(duration: string | number): number {
  let ms = pauseCache.get(duration);
  if (ms === undefined) {
    ms = Math.trunc(parseDuration(duration) / 1000) * 1000;
    if (pauseCache.size < 1024) pauseCache.set(duration, ms);
  }
  return ms;
}

function pauseElapsed(ctx: PlanContext, step: PauseStep, startedAt: number): boolean {
  if (step.pause.duration === undefined) return false;
  const due = startedAt + pauseMs(step.pause.duration);
  if (ctx.now >= due) return true;
  ctx.wakeNoLaterThan(due);
  return false;
}
