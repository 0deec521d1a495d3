import type { TrafficState } from '../contracts/traffic-state.js';
import type { CanaryStep, CanaryStrategy } from '../manifest/rollout-types.js';
import { analysisRequest } from './analysis-request.js';
import { analysisAbortMessage, analysisVerdict } from './analysis-verdict.js';
import { basicCanaryReplicas } from './basic-canary-replicas.js';
import { canaryReplicasAt } from './canary-replicas.js';
import { hasRouteSteps, managedRoutesAt, plainTraffic, setWeightAt } from './canary-traffic.js';
import { type PlanContext, workloadPollMs } from './plan-context.js';
import { trackProgressDeadline } from './progress-deadline.js';
import { retiringVersions, scheduleScaleDown } from './scale-down.js';
import { stepKindOf } from './steps/step-kinds.js';
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
  const basic = basicCanaryPods(ctx, 100);
  if (basic) {
    if (!basic.ready || available < replicas) {
      trackProgressDeadline(
        ctx,
        `canary revision ${spec.revision} has ${available}/${replicas} pods available for full promotion`,
      );
      return false;
    }
    trackProgressDeadline(ctx, undefined);
    if (ctx.status.abort || !trafficStatesEqual(s.traffic, ctx.desiredTraffic)) return false;
    promote(ctx, 'Full promotion requested');
    return true;
  }
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
  // A basic canary rolls back by the replica arithmetic at weight 0 (no abortScaleDownDelaySeconds, as Argo).
  if (basicCanaryPods(ctx, 0)) return;
  const delay = canary.abortScaleDownDelaySeconds ?? 30;
  const abortedAt = s.abortedAt ?? ctx.now;
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
  const canary = ctx.spec.strategy.canary;
  // scaleDownDelaySeconds is for traffic routing only: a scaled basic canary's old stable is already at 0 here.
  const basic = canary !== undefined && !canary.trafficRouting && ctx.observedWorkload !== undefined;
  const scaleDownDelay = basic ? 0 : (canary?.scaleDownDelaySeconds ?? 30);
  scheduleScaleDown(ctx, ctx.status.stableRevision, scaleDownDelay);
  ctx.update({ stableRevision: ctx.spec.revision, promoteFull: false, pauseConditions: [], controllerPause: false });
  ctx.event('RolloutCompleted', `Rollout completed update to revision ${ctx.spec.revision}: ${why}`);
}

/** What the canary's pods are at step `index`: how many it wants, how many are available. */
interface CanaryPods {
  wanted: number;
  available: number;
  ready: boolean;
  /** Only an observed workload can say the canary has no pods; without one, every version counts as ready. */
  none: boolean;
}

/** What the workload wants at step `index`: sets `ctx.desiredWorkload` and reports the canary's pods. */
function workloadWanted(ctx: PlanContext, canary: CanaryStrategy, index: number): CanaryPods {
  const s = ctx.status;
  const replicas = ctx.spec.replicas;
  const basic = basicCanaryPods(ctx, index >= canary.steps.length ? 100 : setWeightAt(canary.steps, index));
  if (basic) return basic;
  const routes = index < canary.steps.length && hasRouteSteps(canary) ? managedRoutesAt(canary, index) : undefined;
  // A header or mirror route to a canary without pods would blackhole those requests: Argo lets that happen
  // silently (no setCanaryScale before a setHeaderRoute at weight 0); gradual keeps at least one canary pod.
  const routed = routes !== undefined && routes.headerRoutes.length + routes.mirrorRoutes.length > 0;
  const wanted = Math.max(canaryReplicasAt(canary, index, replicas), routed ? Math.max(1, canary.minPodsPerReplicaSet ?? 1) : 0);
  const available = ctx.available('canary', ctx.spec.revision, wanted);
  if (ctx.observedWorkload) {
    ctx.desiredWorkload = {
      ...(s.stableRevision ? { stable: { revision: s.stableRevision, replicas } } : {}),
      canary: { revision: ctx.spec.revision, replicas: wanted },
      experiments: [],
      ...retiringVersions(ctx),
    };
  }
  return { wanted, available, ready: available >= wanted, none: ctx.observedWorkload !== undefined && available === 0 };
}

/**
 * A canary without trafficRouting carries its weight by the ratio of pods (Argo's basic canary): both versions
 * are scaled by {@link basicCanaryReplicas} from the counts observed, and the step is ready only once they are
 * at the counts that arithmetic asks for. Sets `ctx.desiredWorkload`; undefined for a traffic-routed canary or
 * without a Workload (then nothing can be scaled and every version counts as available).
 */
function basicCanaryPods(ctx: PlanContext, weight: number): CanaryPods | undefined {
  const canary = ctx.spec.strategy.canary;
  const observed = ctx.observedWorkload;
  if (!canary || canary.trafficRouting || !observed) return undefined;
  const { spec, status } = ctx;
  const stableRevision = status.stableRevision && status.stableRevision !== spec.revision ? status.stableRevision : undefined;
  const zero = { replicas: 0, availableReplicas: 0 };
  const current = observed.canary?.revision === spec.revision ? observed.canary : zero;
  const stable = stableRevision ? (observed.stable?.revision === stableRevision ? observed.stable : zero) : undefined;
  const next = basicCanaryReplicas({
    replicas: spec.replicas,
    weight,
    maxSurge: canary.maxSurge,
    maxUnavailable: canary.maxUnavailable,
    canary: current,
    ...(stable ? { stable } : {}),
  });
  ctx.desiredWorkload = {
    ...(stableRevision ? { stable: { revision: stableRevision, replicas: next.stable } } : {}),
    canary: { revision: spec.revision, replicas: next.canary },
    experiments: [],
    ...retiringVersions(ctx),
  };
  // Argo's AtDesiredReplicaCountsForCanary: the canary has exactly its pods available, the stable its count.
  const ready =
    current.replicas === next.canary &&
    current.availableReplicas === next.canary &&
    (stable?.replicas ?? 0) === (stableRevision ? next.stable : 0);
  if (!ready) ctx.wakeNoLaterThan(ctx.now + workloadPollMs);
  return { wanted: next.canary, available: current.availableReplicas, ready, none: current.availableReplicas === 0 };
}

/**
 * What the traffic wants at step `index`: the step's weight and managed routes once the canary has its pods;
 * until then the previous step's weight, and nothing at all to a canary with no pod.
 */
function trafficWanted(ctx: PlanContext, canary: CanaryStrategy, index: number, pods: CanaryPods): TrafficState {
  const steps = canary.steps;
  let weight: number;
  if (pods.none) weight = 0;
  else if (pods.ready) weight = index >= steps.length ? 100 : setWeightAt(steps, index);
  else weight = setWeightAt(steps, Math.min(index, steps.length) - 1);
  const traffic = plainTraffic({
    canaryWeight: weight,
    stableRevision: ctx.status.stableRevision,
    canaryRevision: ctx.spec.revision,
  });
  // Without route steps the managed routes are the plain state's empty lists.
  return index < steps.length && !pods.none && hasRouteSteps(canary)
    ? { ...traffic, ...managedRoutesAt(canary, index) }
    : traffic;
}

/** Decides the current step from what the workload, the traffic and the step want; true when it completed. */
function advance(ctx: PlanContext, canary: CanaryStrategy): boolean {
  const steps = canary.steps;
  const index = ctx.status.currentStepIndex;
  const pods = workloadWanted(ctx, canary, index);
  if (index >= steps.length) {
    if (ctx.status.experiment) ctx.update({ experiment: undefined });
    trackProgressDeadline(ctx, pods.ready || ctx.paused ? undefined : waitingForPods(ctx, pods));
    if (ctx.status.abort) return false;
    ctx.desiredTraffic = trafficWanted(ctx, canary, index, pods);
    if (ctx.paused || !pods.ready || haltedByInconclusive(ctx) || !trafficStatesEqual(ctx.status.traffic, ctx.desiredTraffic))
      return false;
    ctx.consumeResume();
    promote(ctx, `Completed all ${steps.length} canary steps`);
    return true;
  }
  const step = steps[index] as CanaryStep;
  const kind = stepKindOf(step, index);
  trackProgressDeadline(ctx, pods.ready || kind.exemptFromProgressDeadline || ctx.paused ? undefined : waitingForPods(ctx, pods));
  if (ctx.status.abort) return false;
  ctx.desiredTraffic = trafficWanted(ctx, canary, index, pods);
  if (!kind.keepsExperiment && ctx.status.experiment) ctx.update({ experiment: undefined });
  // A manual pause (spec.paused) freezes the step program: a pause step does not start its clock, and
  // no step completes; a running analysis or experiment stays up (its verdict can still abort).
  if (ctx.paused && kind.frozenByManualPause) return false;
  const complete = kind.complete(ctx, step, index);
  if (ctx.paused || !complete || !(pods.ready || !kind.needsPods) || haltedByInconclusive(ctx)) return false;
  ctx.consumeResume();
  ctx.update({
    currentStepIndex: index + 1,
    // Only the step's own pause ends with it; an inconclusive verdict waits for a human.
    pauseConditions: ctx.status.pauseConditions.filter((c) => c.reason !== 'CanaryPauseStep'),
    controllerPause: ctx.status.pauseConditions.some((c) => c.reason !== 'CanaryPauseStep') && ctx.status.controllerPause,
  });
  ctx.event('RolloutStepCompleted', `Rollout step ${index + 1}/${steps.length} completed (${kind.describe(step)})`, {
    stepIndex: index,
  });
  return true;
}

/** Why the progress deadline runs: the canary short of pods (built only then; most passes have them). */
function waitingForPods(ctx: PlanContext, pods: CanaryPods): string {
  return `canary revision ${ctx.spec.revision} has ${pods.available}/${pods.wanted} pods available`;
}

/** An inconclusive analysis or experiment holds every step until a human promotes (Argo halts progress). */
function haltedByInconclusive(ctx: PlanContext): boolean {
  return ctx.status.pauseConditions.some((c) => c.reason === 'InconclusiveAnalysisRun' || c.reason === 'InconclusiveExperiment');
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
  // Background analysis gates nothing while it runs; its verdict can still abort or hold the rollout.
  switch (analysisVerdict(run.state.phase, ctx.resumedByHuman)) {
    case 'abort':
      ctx.abort(analysisAbortMessage('Background', run.state));
      return;
    case 'hold':
      ctx.addPause('InconclusiveAnalysisRun');
      return;
    case 'proceed':
      if (run.state.phase !== 'Inconclusive') return;
      // A human resumed an inconclusive background run: Argo starts a fresh one. The same promote may also
      // end the current step's pause, so controllerPause is left for the step (or the end of the pass) to clear.
      ctx.update({ backgroundRuns: generation + 1 });
      ctx.backgroundResumed = true;
      ctx.wantedRuns.pop();
      wantBackgroundAnalysis(ctx, canary);
      return;
    case 'wait':
      return;
  }
}
