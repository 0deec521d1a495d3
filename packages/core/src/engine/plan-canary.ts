import { parseDuration } from '../spec/parse-duration.js';
import type { CanaryStep, CanaryStrategy, ExperimentStep } from '../spec/rollout-types.js';
import { analysisRequest } from './analysis-request.js';
import { canaryReplicasAt } from './canary-replicas.js';
import { managedRoutesAt, plainTraffic, setWeightAt } from './canary-traffic.js';
import { describeStep } from './describe-step.js';
import type { PlanContext } from './plan-context.js';
import { planExperiment } from './plan-experiment.js';
import { trackProgressDeadline } from './progress-deadline.js';
import type { StoredAnalysisRun } from './rollout-status.js';
import { retiringVersions, scheduleScaleDown } from './scale-down.js';
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
      planAborted(ctx, canary);
      return;
    }
    if (s.stableRevision === spec.revision) {
      planPromoted(ctx);
      return;
    }
    if (s.promoteFull) {
      if (planFullPromotion(ctx)) continue;
      return;
    }
    wantBackgroundAnalysis(ctx, canary);
    if (ctx.status.abort) continue;
    // An analysis verdict may abort during the step: plan again so traffic goes back to stable now.
    if (!advance(ctx, canary) && !ctx.status.abort) return;
  }
}

/**
 * promote --full: Argo keeps the current weight, drops managed routes and
 * analysis, and promotes once the new revision has all its replicas
 * available — never moving production onto pods that are not there.
 */
function planFullPromotion(ctx: PlanContext): boolean {
  const { spec } = ctx;
  const s = ctx.status;
  const replicas = spec.replicas;
  const available = ctx.available('canary', spec.revision, replicas);
  ctx.desiredTraffic = plainTraffic({
    canaryWeight: s.traffic?.canaryWeight ?? 0,
    stableRevision: s.stableRevision,
    canaryRevision: spec.revision,
  });
  if (ctx.observedWorkload) {
    ctx.desiredWorkload = {
      ...(s.stableRevision ? { stable: { revision: s.stableRevision, replicas } } : {}),
      canary: { revision: spec.revision, replicas },
      experiments: [],
      ...retiringVersions(ctx),
    };
  }
  trackProgressDeadline(
    ctx,
    available >= replicas
      ? undefined
      : `canary revision ${spec.revision} has ${available}/${replicas} pods available for full promotion`,
  );
  if (ctx.status.abort || available < replicas || !trafficStatesEqual(s.traffic, ctx.desiredTraffic)) return false;
  promote(ctx, 'Full promotion requested');
  return true;
}

function planAborted(ctx: PlanContext, canary: CanaryStrategy): void {
  trackProgressDeadline(ctx, undefined);
  const s = ctx.status;
  if (s.experiment) ctx.update({ experiment: undefined });
  // The canary destination is pointed back at the stable version, as Argo re-points the canary Service.
  ctx.desiredTraffic = plainTraffic({ canaryWeight: 0, stableRevision: s.stableRevision, canaryRevision: s.stableRevision });
  // The canary's pods go after abortScaleDownDelaySeconds (30 s; 0 keeps them), so a retry can reuse them meanwhile.
  const delay = canary.abortScaleDownDelaySeconds ?? 30;
  const abortedAt = Date.parse(s.abortedAt ?? ctx.nowIso);
  const keep = delay === 0 || ctx.now < abortedAt + delay * 1000;
  if (delay > 0 && keep && ctx.observedWorkload) ctx.wakeNoLaterThan(abortedAt + delay * 1000);
  const wanted = canaryReplicasAt(canary, s.currentStepIndex, ctx.spec.replicas);
  ctx.desiredWorkload = {
    ...(s.stableRevision ? { stable: { revision: s.stableRevision, replicas: ctx.spec.replicas } } : {}),
    canary: {
      revision: ctx.spec.revision,
      replicas: keep ? Math.max(wanted, ctx.status.workloadTarget?.canary?.replicas ?? 0) : 0,
    },
    experiments: [],
  };
}

function planPromoted(ctx: PlanContext): void {
  trackProgressDeadline(ctx, undefined);
  const revision = ctx.spec.revision;
  if (ctx.status.experiment) ctx.update({ experiment: undefined });
  ctx.desiredTraffic = plainTraffic({ canaryWeight: 0, stableRevision: revision, canaryRevision: revision });
  ctx.desiredWorkload = { stable: { revision, replicas: ctx.spec.replicas }, experiments: [], ...retiringVersions(ctx) };
  if (ctx.status.currentStepIndex !== stepCount(ctx)) ctx.update({ currentStepIndex: stepCount(ctx) });
}

function stepCount(ctx: PlanContext): number {
  return ctx.spec.strategy.canary?.steps.length ?? 0;
}

function promote(ctx: PlanContext, why: string): void {
  const scaleDownDelay = ctx.spec.strategy.canary?.scaleDownDelaySeconds ?? 30;
  scheduleScaleDown(ctx, ctx.status.stableRevision, scaleDownDelay);
  ctx.update({ stableRevision: ctx.spec.revision, promoteFull: false, pauseConditions: [], controllerPause: false });
  ctx.event('RolloutCompleted', `Rollout completed update to revision ${ctx.spec.revision}: ${why}`);
}

/** Decides the current step; returns true when it completed (the caller plans again). */
function advance(ctx: PlanContext, canary: CanaryStrategy): boolean {
  const s = ctx.status;
  const steps = canary.steps;
  const index = s.currentStepIndex;
  const replicas = ctx.spec.replicas;
  const routes = index < steps.length ? managedRoutesAt(canary, index) : { headerRoutes: [], mirrorRoutes: [] };
  // A header or mirror route to a canary without pods would blackhole those requests: Argo lets that happen
  // silently (no setCanaryScale before a setHeaderRoute at weight 0); gradual keeps at least one canary pod.
  const routed = routes.headerRoutes.length + routes.mirrorRoutes.length > 0;
  const wanted = Math.max(canaryReplicasAt(canary, index, replicas), routed ? Math.max(1, canary.minPodsPerReplicaSet ?? 1) : 0);
  const available = ctx.available('canary', ctx.spec.revision, wanted);
  const ready = available >= wanted;
  // Only an observed workload can say the canary has no pods; without one, every version counts as ready.
  const noPods = ctx.observedWorkload !== undefined && available === 0;
  if (ctx.observedWorkload) {
    ctx.desiredWorkload = {
      ...(s.stableRevision ? { stable: { revision: s.stableRevision, replicas } } : {}),
      canary: { revision: ctx.spec.revision, replicas: wanted },
      experiments: [],
      ...retiringVersions(ctx),
    };
  }
  // Traffic only moves once the canary has its pods: until then the previous step's weight, and none to a canary with no pod.
  const weightFor = (at: number) => {
    if (noPods) return 0;
    if (ready) return at >= steps.length ? 100 : setWeightAt(steps, at);
    return setWeightAt(steps, Math.min(at, steps.length) - 1);
  };
  if (index >= steps.length) {
    if (s.experiment) ctx.update({ experiment: undefined });
    trackProgressDeadline(
      ctx,
      ready || ctx.spec.paused ? undefined : `canary revision ${ctx.spec.revision} has ${available}/${wanted} pods available`,
    );
    if (ctx.status.abort) return false;
    ctx.desiredTraffic = plainTraffic({
      canaryWeight: weightFor(index),
      stableRevision: s.stableRevision,
      canaryRevision: ctx.spec.revision,
    });
    if (ctx.spec.paused || !ready || haltedByInconclusive(ctx) || !trafficStatesEqual(s.traffic, ctx.desiredTraffic))
      return false;
    ctx.consumeResume();
    promote(ctx, `Completed all ${steps.length} canary steps`);
    return true;
  }
  const step = steps[index] as CanaryStep;
  // Argo does not count time spent in pauses, analysis or experiments against the progress deadline.
  const exempt = 'pause' in step || 'analysis' in step || 'experiment' in step;
  trackProgressDeadline(
    ctx,
    ready || exempt || ctx.spec.paused
      ? undefined
      : `canary revision ${ctx.spec.revision} has ${available}/${wanted} pods available`,
  );
  if (ctx.status.abort) return false;
  ctx.desiredTraffic = {
    ...plainTraffic({ canaryWeight: weightFor(index), stableRevision: s.stableRevision, canaryRevision: ctx.spec.revision }),
    ...(noPods ? {} : routes),
  };
  if (!('experiment' in step) && s.experiment) ctx.update({ experiment: undefined });
  // A manual pause (spec.paused) freezes the step program: a pause step does not start its clock, and
  // no step completes; a running analysis or experiment stays up (its verdict can still abort).
  if (ctx.spec.paused && 'pause' in step) return false;
  const complete = 'experiment' in step ? experimentComplete(ctx, step, index) : stepComplete(ctx, step, index);
  // A pause waits for time or a human, not for pods (Argo); every other step needs the canary's pods.
  if (ctx.spec.paused || !complete || !(ready || 'pause' in step) || haltedByInconclusive(ctx)) return false;
  ctx.consumeResume();
  ctx.update({
    currentStepIndex: index + 1,
    // Only the step's own pause ends with it; an inconclusive verdict waits for a human.
    pauseConditions: ctx.status.pauseConditions.filter((c) => c.reason !== 'CanaryPauseStep'),
    controllerPause: ctx.status.pauseConditions.some((c) => c.reason !== 'CanaryPauseStep') && ctx.status.controllerPause,
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
    if (ctx.resumedByHuman) return true;
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

/** An inconclusive analysis or experiment holds every step until a human promotes (Argo halts progress). */
function haltedByInconclusive(ctx: PlanContext): boolean {
  return ctx.status.pauseConditions.some((c) => c.reason === 'InconclusiveAnalysisRun' || c.reason === 'InconclusiveExperiment');
}

function experimentComplete(ctx: PlanContext, step: ExperimentStep, index: number): boolean {
  const experiment = planExperiment(ctx, step, index);
  const traffic = ctx.desiredTraffic;
  if (traffic) ctx.desiredTraffic = { ...traffic, experiments: experiment.destinations };
  if (ctx.desiredWorkload) ctx.desiredWorkload = { ...ctx.desiredWorkload, experiments: experiment.replicas };
  switch (experiment.phase) {
    case 'Successful':
      return true;
    case 'Failed':
    case 'Error':
      ctx.abort(
        `Experiment analysis phase is ${experiment.phase.toLowerCase()}: ${ctx.status.experiment?.message ?? `experiment ${ctx.status.experiment?.name} ended ${experiment.phase}`}`,
      );
      return false;
    case 'Inconclusive':
      if (ctx.resumedByHuman) return true;
      ctx.addPause('InconclusiveExperiment');
      return false;
    default:
      return false;
  }
}

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

function pauseElapsed(ctx: PlanContext, step: { pause: { duration?: number | string } }, startedAt: number): boolean {
  if (step.pause.duration === undefined) return false;
  const ms = pauseMs(step.pause.duration);
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
    if (ctx.resumedByHuman) return true;
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
    if (ctx.resumedByHuman) {
      // A human resumed an inconclusive background run: Argo starts a fresh one. The same promote may also
      // end the current step's pause, so controllerPause is left for the step (or the end of the pass) to clear.
      ctx.update({ backgroundRuns: generation + 1 });
      ctx.backgroundResumed = true;
      ctx.wantedRuns.pop();
      wantBackgroundAnalysis(ctx, canary);
      return;
    }
    ctx.addPause('InconclusiveAnalysisRun');
  }
}
