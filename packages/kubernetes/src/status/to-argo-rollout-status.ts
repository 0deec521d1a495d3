import type { RolloutSpec, RolloutStatus, StoredAnalysisRun } from '@gradual/core';
import { argoRolloutConditions } from './argo-rollout-conditions.js';
import type { ArgoAnalysisRunStatus, ArgoRolloutStatus, ArgoWeightDestination } from './argo-rollout-status.js';
import { rfc3339 } from './rfc3339.js';

/** Replica counts of the rollout's ReplicaSets, as Argo sums them into its status. */
export interface ArgoWorkloadCounts {
  /** All pods of all the rollout's ReplicaSets. */
  replicas: number;
  /** Pods of the current revision. */
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  /** The label selector as a string (`app=web`), as Argo writes it for the scale subresource. */
  selector?: string | undefined;
}

/** Input of {@link toArgoRolloutStatus}. */
export interface ToArgoRolloutStatusInput {
  spec: RolloutSpec;
  /** gradual's status (the truth the projection is made from). */
  status: RolloutStatus;
  /** The Rollout's `metadata.generation`. */
  generation: number;
  workload?: ArgoWorkloadCounts | undefined;
  /** The projection last written: conditions that did not change keep their times. */
  previous?: ArgoRolloutStatus | null | undefined;
  /** Epoch ms, for the times of conditions that change now. */
  now: number;
}

/**
 * Argo's own status fields (the Rollout's status subresource) projected
 * from gradual's status, so that `kubectl get rollout` and
 * `kubectl argo rollouts get` show what gradual decided. Empty or false
 * fields are left out, as Argo's `omitempty` does; `canary` and `blueGreen`
 * are always objects, as Argo writes them. Pure.
 */
export function toArgoRolloutStatus(input: ToArgoRolloutStatusInput): ArgoRolloutStatus {
  const { spec, status, workload } = input;
  const canary = spec.strategy.canary;
  const out: ArgoRolloutStatus = {
    phase: status.phase,
    message: status.message,
    observedGeneration: String(input.generation),
  };
  if (canary && canary.steps.length > 0) out.currentStepIndex = Math.min(status.currentStepIndex, canary.steps.length);
  if (status.currentRevision) out.currentPodHash = status.currentRevision;
  if (canary && status.currentStepHash) out.currentStepHash = status.currentStepHash;
  if (status.stableRevision) out.stableRS = status.stableRevision;
  if (status.pauseConditions.length > 0) {
    out.pauseConditions = status.pauseConditions.map((pause) => ({
      reason: pause.reason,
      startTime: rfc3339(pause.startTime),
    }));
  }
  if (status.controllerPause) out.controllerPause = true;
  if (status.abort) out.abort = true;
  if (status.abort && status.abortedAt !== undefined) out.abortedAt = rfc3339(status.abortedAt);
  if (status.promoteFull) out.promoteFull = true;
  if (workload) {
    out.replicas = workload.replicas;
    out.updatedReplicas = workload.updatedReplicas;
    out.readyReplicas = workload.readyReplicas;
    out.availableReplicas = workload.availableReplicas;
    if (workload.selector) out.selector = workload.selector;
  }

  out.canary = {};
  if (canary) {
    const traffic = status.traffic;
    if (canary.trafficRouting && traffic) {
      const max = canary.trafficRouting.maxTrafficWeight ?? 100;
      const additional: ArgoWeightDestination[] = traffic.experiments.map((destination) =>
        weightDestination(destination.weight, destination.revision, destination.serviceName),
      );
      const others = traffic.canaryWeight + traffic.experiments.reduce((sum, destination) => sum + destination.weight, 0);
      out.canary.weights = {
        canary: weightDestination(traffic.canaryWeight, traffic.canaryRevision ?? status.currentRevision, canary.canaryService),
        stable: weightDestination(
          Math.max(0, max - others),
          traffic.stableRevision ?? status.stableRevision ?? undefined,
          canary.stableService,
        ),
        ...(additional.length > 0 ? { additional } : {}),
      };
    }
    const step = latestRun(status.analysisRuns, (run) => run.kind === 'step' && run.stepIndex === status.currentStepIndex);
    if (step) out.canary.currentStepAnalysisRunStatus = step;
    const background = latestRun(status.analysisRuns, (run) => run.kind === 'background');
    if (background) out.canary.currentBackgroundAnalysisRunStatus = background;
  }

  out.blueGreen = {};
  const blueGreen = spec.strategy.blueGreen;
  if (blueGreen) {
    const active = status.traffic?.stableRevision;
    if (active) out.blueGreen.activeSelector = active;
    const preview = status.traffic?.canaryRevision;
    if (blueGreen.previewService && preview) out.blueGreen.previewSelector = preview;
    const pre = latestRun(status.analysisRuns, (run) => run.kind === 'prePromotion');
    if (pre) out.blueGreen.prePromotionAnalysisRunStatus = pre;
    const post = latestRun(status.analysisRuns, (run) => run.kind === 'postPromotion');
    if (post) out.blueGreen.postPromotionAnalysisRunStatus = post;
  }

  out.conditions = argoRolloutConditions({
    spec,
    status,
    availableReplicas: workload?.availableReplicas,
    previous: input.previous?.conditions,
    now: input.now,
  });
  return out;
}

function weightDestination(weight: number, podTemplateHash?: string, serviceName?: string): ArgoWeightDestination {
  return {
    weight,
    ...(podTemplateHash ? { podTemplateHash } : {}),
    ...(serviceName ? { serviceName } : {}),
  };
}

// The newest matching run: runs are appended as they start.
function latestRun(
  runs: readonly StoredAnalysisRun[],
  matches: (run: StoredAnalysisRun) => boolean,
): ArgoAnalysisRunStatus | undefined {
  for (let i = runs.length - 1; i >= 0; i--) {
    const run = runs[i]!;
    if (!matches(run)) continue;
    return {
      name: run.state.name,
      status: run.state.phase,
      ...(run.state.message ? { message: run.state.message } : {}),
    };
  }
  return undefined;
}
