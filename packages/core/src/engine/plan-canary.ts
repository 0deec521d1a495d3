import { parseDuration } from '../spec/parse-duration.js';
import type { CanaryStep, CanaryStrategy } from '../spec/rollout-types.js';
import { analysisRequest } from './analysis-request.js';
import { managedRoutesAt, plainTraffic, setWeightAt } from './canary-traffic.js';
import { describeStep } from './describe-step.js';
import type { PlanContext } from './plan-context.js';
import type { StoredAnalysisRun } from './rollout-status.js';
import { trafficStatesEqual } from './traffic-states-equal.js';

/**
 * One planning pass of the canary strategy: decides the traffic the
 * current step wants, whether that step is done (advancing at most one step
 * per decision, as Argo), and which analysis runs must exist.
 */
export function planCanary(ctx: PlanContext, canary: CanaryStrategy): void {
  const { spec } = ctx;
  const steps = canary.steps;
  // A completed step may let the next one complete in the same pass (a zero pause, a route already
  // in place); each advance still needs its own decision, and traffic must be confirmed before it.
  for (let guard = 0; guard <= steps.length + 1; guard++) {
    // Only the step the pass ends on decides which runs are wanted.
    ctx.wantedRuns.length = 0;
    const s = ctx.status;
    if (s.abort) {
      planAborted(ctx);
      return;
    }
    if (s.stableRevision === spec.revision) {
      planPromoted(ctx);
      return;
    }
    if (s.promoteFull) {
      // Argo keeps the current weight, drops managed routes and analysis, then promotes.
      ctx.desiredTraffic = plainTraffic({
        canaryWeight: s.traffic?.canaryWeight ?? 0,
        stableRevision: s.stableRevision,
        canaryRevision: spec.revision,
      });
      promote(ctx, 'Full promotion requested');
      continue;
    }
    wantBackgroundAnalysis(ctx, canary);
    if (ctx.status.abort) continue;
    // An analysis verdict may abort during the step: plan again so traffic goes back to stable now.
    if (!advance(ctx, canary) && !ctx.status.abort) return;
  }
}

function planAborted(ctx: PlanContext): void {
  const s = ctx.status;
  // The canary destination is pointed back at the stable version, as Argo re-points the canary Service.
  ctx.desiredTraffic = plainTraffic({ canaryWeight: 0, stableRevision: s.stableRevision, canaryRevision: s.stableRevision });
}

function planPromoted(ctx: PlanContext): void {
  const revision = ctx.spec.revision;
  ctx.desiredTraffic = plainTraffic({ canaryWeight: 0, stableRevision: revision, canaryRevision: revision });
  if (ctx.status.currentStepIndex !== stepCount(ctx)) ctx.update({ currentStepIndex: stepCount(ctx) });
}

function stepCount(ctx: PlanContext): number {
  return ctx.spec.strategy.canary?.steps.length ?? 0;
}

function promote(ctx: PlanContext, why: string): void {
  ctx.update({ stableRevision: ctx.spec.revision, promoteFull: false, pauseConditions: [], controllerPause: false });
  ctx.event('RolloutCompleted', `Rollout completed update to revision ${ctx.spec.revision}: ${why}`);
}

/** Decides the current step; returns true when it completed (the caller plans again). */
function advance(ctx: PlanContext, canary: CanaryStrategy): boolean {
  const s = ctx.status;
  const steps = canary.steps;
  const index = s.currentStepIndex;
  if (index >= steps.length) {
    ctx.desiredTraffic = plainTraffic({ canaryWeight: 100, stableRevision: s.stableRevision, canaryRevision: ctx.spec.revision });
    if (ctx.spec.paused || !trafficStatesEqual(s.traffic, ctx.desiredTraffic)) return false;
    promote(ctx, `Completed all ${steps.length} canary steps`);
    return true;
  }
  const step = steps[index] as CanaryStep;
  ctx.desiredTraffic = {
    ...plainTraffic({
      canaryWeight: setWeightAt(steps, index),
      stableRevision: s.stableRevision,
      canaryRevision: ctx.spec.revision,
    }),
    ...managedRoutesAt(canary, index),
  };
  // A manual pause (spec.paused) freezes the step program; traffic stays where it is.
  if (ctx.spec.paused) return false;
  if (!stepComplete(ctx, step, index)) return false;
  ctx.update({
    currentStepIndex: index + 1,
    pauseConditions: ctx.status.pauseConditions.filter(
      (c) => c.reason !== 'CanaryPauseStep' && c.reason !== 'InconclusiveAnalysisRun',
    ),
    controllerPause: false,
  });
  ctx.event('RolloutStepCompleted', `Rollout step ${index + 1}/${steps.length} completed (${describeStep(step)})`, {
    stepIndex: index,
  });
  return true;
}

function stepComplete(ctx: PlanContext, step: CanaryStep, index: number): boolean {
  const s = ctx.status;
  if ('pause' in step) {
    const condition = s.pauseConditions.find((c) => c.reason === 'CanaryPauseStep');
    // Resumed: we paused here and a human removed the condition (promote).
    if (s.controllerPause && !condition) return true;
    if (!condition) {
      ctx.addPause('CanaryPauseStep');
      return pauseElapsed(ctx, step, ctx.now);
    }
    return pauseElapsed(ctx, step, Date.parse(condition.startTime));
  }
  if ('analysis' in step) {
    const request = analysisRequest({
      spec: ctx.spec,
      status: s,
      analysis: step.analysis,
      kind: 'step',
      suffix: `step-${index}`,
    });
    const run = ctx.want({ request, stepIndex: index });
    return runAllowsProgress(ctx, run, 'Step-based');
  }
  // setWeight, setHeaderRoute, setMirrorRoute: done once the router confirmed the traffic they want.
  return trafficStatesEqual(s.traffic, ctx.desiredTraffic);
}

function pauseElapsed(ctx: PlanContext, step: { pause: { duration?: number | string } }, startedAt: number): boolean {
  if (step.pause.duration === undefined) return false;
  // Argo counts pauses in whole seconds: "1ms" is no pause at all.
  const ms = Math.trunc(parseDuration(step.pause.duration) / 1000) * 1000;
  const due = startedAt + ms;
  if (ctx.now >= due) return true;
  ctx.wakeNoLaterThan(due);
  return false;
}

/**
 * Reads a run's verdict: Successful lets the step complete; Inconclusive
 * pauses until a human promotes; Failed or Error aborts the rollout.
 */
function runAllowsProgress(ctx: PlanContext, run: StoredAnalysisRun | undefined, label: string): boolean {
  if (!run) return false;
  const { phase, message } = run.state;
  if (phase === 'Successful') return true;
  if (phase === 'Failed' || phase === 'Error') {
    ctx.abort(`${label} analysis phase ${phase.toLowerCase()}: ${message ?? `run ${run.state.name} ended ${phase}`}`);
    return false;
  }
  if (phase === 'Inconclusive') {
    const s = ctx.status;
    if (s.controllerPause && !ctx.hasPause('InconclusiveAnalysisRun')) return true;
    ctx.addPause('InconclusiveAnalysisRun');
  }
  return false;
}

function wantBackgroundAnalysis(ctx: PlanContext, canary: CanaryStrategy): void {
  const analysis = canary.analysis;
  if (!analysis || ctx.status.currentStepIndex < (analysis.startingStep ?? 0)) return;
  const s = ctx.status;
  const generation = s.backgroundRuns ?? 0;
  const request = analysisRequest({
    spec: ctx.spec,
    status: s,
    analysis,
    kind: 'background',
    suffix: `background-${generation}`,
  });
  const run = ctx.want({ request });
  if (!run) return;
  const { phase, message } = run.state;
  if (phase === 'Failed' || phase === 'Error') {
    ctx.abort(`Background analysis phase ${phase.toLowerCase()}: ${message ?? `run ${run.state.name} ended ${phase}`}`);
  } else if (phase === 'Inconclusive') {
    if (s.controllerPause && !ctx.hasPause('InconclusiveAnalysisRun')) {
      // A human resumed an inconclusive background run: Argo starts a fresh one.
      ctx.update({ backgroundRuns: generation + 1, controllerPause: false });
      ctx.wantedRuns.pop();
      wantBackgroundAnalysis(ctx, canary);
      return;
    }
    ctx.addPause('InconclusiveAnalysisRun');
  }
}
