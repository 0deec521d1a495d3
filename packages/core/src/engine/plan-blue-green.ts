import type { AnalysisPhase } from '../contracts/analysis-runner.js';
import type { BlueGreenStrategy } from '../manifest/rollout-types.js';
import { analysisRequest } from './analysis-request.js';
import { analysisAbortMessage, analysisVerdict } from './analysis-verdict.js';
import { plainTraffic } from './canary-traffic.js';
import type { PlanContext } from './plan-context.js';
import { trackProgressDeadline } from './progress-deadline.js';
import { retiringVersions, scheduleScaleDown } from './scale-down.js';
import { trafficStatesEqual } from './traffic-states-equal.js';

/**
 * The blue/green strategy. Both versions are addressed by revision in one
 * TrafficState: `stableRevision` is what the active Service selects,
 * `canaryRevision` what the preview Service selects; the weight stays 0.
 * The cut-over is a change of `stableRevision`, so a router that switches
 * a Service selector needs no special case.
 */
export function planBlueGreen(ctx: PlanContext): void {
  const wasAborted = ctx.status.abort;
  planOnce(ctx);
  // An analysis verdict that aborts is acted on in the same pass: active goes back to stable now.
  if (ctx.status.abort && !wasAborted) planOnce(ctx);
}

function planOnce(ctx: PlanContext): void {
  const bg = ctx.spec.strategy.blueGreen as BlueGreenStrategy;
  const { spec } = ctx;
  const s = ctx.status;
  const revision = spec.revision;
  const replicas = spec.replicas;
  if (s.abort) {
    trackProgressDeadline(ctx, undefined);
    ctx.wantedRuns.splice(0);
    if (s.blueGreen) ctx.update({ blueGreen: undefined });
    // Active goes back to the stable version; preview keeps showing the new one.
    ctx.desiredTraffic = plainTraffic({ canaryWeight: 0, stableRevision: s.stableRevision, canaryRevision: revision });
    const delay = bg.abortScaleDownDelaySeconds;
    const abortedAt = s.abortedAt ?? ctx.now;
    const keep = delay === 0 || ctx.now < abortedAt + delay * 1000;
    if (delay > 0 && keep && ctx.observedWorkload) ctx.wakeNoLaterThan(abortedAt + delay * 1000);
    ctx.desiredWorkload = {
      ...(s.stableRevision ? { stable: { revision: s.stableRevision, replicas } } : {}),
      canary: { revision, replicas: keep ? (bg.previewReplicaCount ?? replicas) : 0 },
      experiments: [],
    };
    return;
  }
  if (s.stableRevision === revision) {
    ctx.desiredTraffic = plainTraffic({ canaryWeight: 0, stableRevision: revision, canaryRevision: revision });
    ctx.desiredWorkload = { stable: { revision, replicas }, experiments: [], ...retiringVersions(ctx) };
    // A version that serves nothing yet (the initial deploy) takes the active Service only once its pods are
    // available, as Argo switches a selector only to an available ReplicaSet; once it serves, it keeps it.
    const available = s.traffic?.stableRevision === revision ? replicas : ctx.available('stable', revision, replicas);
    const waiting = available < replicas ? `revision ${revision} has ${available}/${replicas} pods available` : undefined;
    ctx.trafficOnHold = waiting;
    trackProgressDeadline(ctx, waiting);
    return;
  }
  if (s.blueGreen?.promotedAt !== undefined) {
    planAfterCutOver(ctx, bg);
    return;
  }

  // Before the cut-over: active stays where it is (the stable version, or a version cut over to whose
  // verification a newer spec interrupted), preview on the new version.
  const active = s.blueGreen?.activeRevision ?? s.stableRevision;
  const scaledUp = s.promoteFull || (s.blueGreen?.scaleUpPreview ?? false);
  const previewReplicas = scaledUp ? replicas : (bg.previewReplicaCount ?? replicas);
  ctx.desiredTraffic = plainTraffic({ canaryWeight: 0, stableRevision: active, canaryRevision: revision });
  ctx.desiredWorkload = {
    ...(active ? { stable: { revision: active, replicas } } : {}),
    canary: { revision, replicas: previewReplicas },
    experiments: [],
    ...retiringVersions(ctx),
  };
  const preRequest = bg.prePromotionAnalysis
    ? analysisRequest({ spec, status: s, analysis: bg.prePromotionAnalysis, kind: 'prePromotion', suffix: 'pre' })
    : undefined;
  // Once started, the pre-promotion run is kept (and its verdict with it) while the preview scales up.
  if (preRequest && ctx.run(preRequest.name)) ctx.want({ request: preRequest });
  if (ctx.paused) return;
  const available = ctx.available('canary', revision, previewReplicas);
  trackProgressDeadline(
    ctx,
    available >= previewReplicas ? undefined : `preview revision ${revision} has ${available}/${previewReplicas} pods available`,
  );
  if (ctx.status.abort) return;
  const saturated = available >= previewReplicas && trafficStatesEqual(s.traffic, ctx.desiredTraffic);
  if (!saturated) return;
  if (!s.promoteFull) {
    if (preRequest) {
      const run = ctx.run(preRequest.name);
      if (!run) ctx.want({ request: preRequest }); // an existing run was wanted above
      if (!verdictAllows(ctx, run?.state, 'Blue/green pre-promotion')) return;
    }
    if (!promotionAllowed(ctx, bg)) return;
  }
  // With previewReplicaCount the new version is scaled to full size before it takes production traffic.
  if (previewReplicas < replicas) {
    ctx.update({ blueGreen: { ...ctx.status.blueGreen, scaleUpPreview: true } });
    planOnce(ctx); // now at full size: scale up, then cut over once those pods are ready
    return;
  }
  ctx.consumeResume();
  ctx.update({
    blueGreen: { promotedAt: ctx.now, ...(active ? { previousRevision: active } : {}) },
    pauseConditions: [],
    controllerPause: false,
  });
  ctx.event('RolloutPromoted', `Switched the active service ${bg.activeService} to revision ${revision}`);
  planAfterCutOver(ctx, bg);
}

/** Auto promotion, a timed pause (autoPromotionSeconds) or a manual one (autoPromotionEnabled: false). */
function promotionAllowed(ctx: PlanContext, bg: BlueGreenStrategy): boolean {
  const s = ctx.status;
  const condition = s.pauseConditions.find((c) => c.reason === 'BlueGreenPause');
  if (ctx.resumedByHuman) return true; // a human promoted
  const manual = !bg.autoPromotionEnabled;
  if (!manual && bg.autoPromotionSeconds === 0) return true;
  if (!condition) {
    ctx.addPause('BlueGreenPause');
    if (manual) return false;
    ctx.wakeNoLaterThan(ctx.now + bg.autoPromotionSeconds * 1000);
    return false;
  }
  if (manual) return false;
  const due = condition.startTime + bg.autoPromotionSeconds * 1000;
  if (ctx.now >= due) return true;
  ctx.wakeNoLaterThan(due);
  return false;
}

/** After the cut-over: post-promotion analysis decides; failure switches active back (abort). */
function planAfterCutOver(ctx: PlanContext, bg: BlueGreenStrategy): void {
  const { spec } = ctx;
  const s = ctx.status;
  const revision = spec.revision;
  const previous = s.blueGreen?.previousRevision ?? null;
  ctx.desiredTraffic = plainTraffic({ canaryWeight: 0, stableRevision: revision, canaryRevision: revision });
  // The previous version stays at full size until post-promotion analysis passed, so switching back is instant.
  ctx.desiredWorkload = {
    stable: { revision, replicas: spec.replicas },
    experiments: [],
    ...(previous ? { retiring: [{ revision: previous, replicas: spec.replicas }] } : {}),
  };
  if (!trafficStatesEqual(s.traffic, ctx.desiredTraffic)) return;
  if (bg.postPromotionAnalysis && !s.promoteFull) {
    const request = analysisRequest({
      spec,
      status: s,
      analysis: bg.postPromotionAnalysis,
      kind: 'postPromotion',
      suffix: 'post',
    });
    if (!verdictAllows(ctx, ctx.want({ request })?.state, 'Blue/green post-promotion')) return;
  }
  scheduleScaleDown(ctx, previous, bg.scaleDownDelaySeconds);
  ctx.update({ stableRevision: revision, promoteFull: false, pauseConditions: [], controllerPause: false });
  ctx.event('RolloutCompleted', `Rollout completed update to revision ${revision}`);
  ctx.wantedRuns.splice(0);
  ctx.desiredWorkload = { stable: { revision, replicas: spec.replicas }, experiments: [], ...retiringVersions(ctx) };
}

function verdictAllows(
  ctx: PlanContext,
  run: { phase: AnalysisPhase; message?: string | undefined; name: string } | undefined,
  label: string,
): boolean {
  if (!run) return false;
  const acceptedBefore = ctx.status.blueGreen?.acceptedRuns?.includes(run.name) ?? false;
  switch (analysisVerdict(run.phase, acceptedBefore || ctx.resumedByHuman)) {
    case 'proceed':
      if (run.phase === 'Inconclusive' && !acceptedBefore) {
        // This promote answered the inconclusive verdict, for good; a manual BlueGreenPause still needs its own.
        ctx.consumeResume();
        const blueGreen = ctx.status.blueGreen ?? {};
        ctx.update({
          blueGreen: { ...blueGreen, acceptedRuns: [...(blueGreen.acceptedRuns ?? []), run.name] },
          controllerPause: false,
        });
      }
      return true;
    case 'abort':
      ctx.abort(analysisAbortMessage(label, run));
      return false;
    case 'hold':
      ctx.addPause('InconclusiveAnalysisRun');
      return false;
    case 'wait':
      return false;
  }
}
