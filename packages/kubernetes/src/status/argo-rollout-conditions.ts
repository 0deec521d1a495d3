import type { RolloutSpec, RolloutStatus } from '@gradual/core';
import { resolveSurgeAndUnavailable } from '@gradual/core/adapter';
import type { ArgoRolloutCondition } from './argo-rollout-status.js';
import { rfc3339 } from './rfc3339.js';

/** What the conditions are computed from. */
export interface ArgoRolloutConditionsInput {
  spec: RolloutSpec;
  status: RolloutStatus;
  /** Available replicas of all the rollout's ReplicaSets, when observed. */
  availableReplicas?: number | undefined;
  /** The conditions last written: a condition whose status (and reason, message) did not change keeps its times. */
  previous?: readonly ArgoRolloutCondition[] | undefined;
  /** Epoch ms. */
  now: number;
}

type Wanted = Pick<ArgoRolloutCondition, 'type' | 'status' | 'reason' | 'message'>;

/**
 * Argo's `status.conditions` for gradual's status, with the reasons and
 * messages of Argo's `calculateRolloutConditions` (rollout/sync.go,
 * utils/conditions): Progressing, Paused, Available, Completed, Healthy.
 * Times follow Argo's `SetRolloutCondition`: unchanged status, reason and
 * message keep the whole condition; an unchanged status keeps
 * `lastTransitionTime`. Pure.
 */
export function argoRolloutConditions(input: ArgoRolloutConditionsInput): ArgoRolloutCondition[] {
  const { spec, status } = input;
  const previous = new Map((input.previous ?? []).map((condition) => [condition.type, condition]));
  const replicaSet = `${spec.name}-${status.currentRevision}`;
  const paused = status.pauseConditions.length > 0 || status.pausedByCommand === true || spec.paused;
  const healthy = status.phase === 'Healthy';
  const wanted: Wanted[] = [];

  if (status.abort) {
    const reason = status.abortMessage ? `: ${status.abortMessage}` : '';
    wanted.push(
      condition('Progressing', 'False', 'RolloutAborted', `Rollout aborted update to revision ${spec.revision}${reason}`),
    );
  } else if (status.stalled !== undefined || status.message.startsWith('ProgressDeadlineExceeded')) {
    wanted.push(
      condition('Progressing', 'False', 'ProgressDeadlineExceeded', `ReplicaSet "${replicaSet}" has timed out progressing.`),
    );
  } else if (paused) {
    wanted.push(condition('Progressing', 'Unknown', 'RolloutPaused', 'Rollout is paused'));
  } else if (healthy) {
    wanted.push(
      condition('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${replicaSet}" has successfully progressed.`),
    );
  } else {
    wanted.push(condition('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${replicaSet}" is progressing.`));
  }

  // Argo adds Paused when it pauses and keeps it as False afterwards.
  if (paused) wanted.push(condition('Paused', 'True', 'RolloutPaused', 'Rollout is paused'));
  else if (previous.has('Paused')) wanted.push(condition('Paused', 'False', 'RolloutPaused', 'Rollout is paused'));

  // Without a workload observation, something serves once a stable revision is known. Argo's minimum
  // availability allows a canary's maxUnavailable pods to be missing (a blue/green none).
  const canary = spec.strategy.canary;
  const minimum = canary
    ? spec.replicas - resolveSurgeAndUnavailable(canary.maxSurge, canary.maxUnavailable, spec.replicas).unavailable
    : spec.replicas;
  const available = input.availableReplicas === undefined ? status.stableRevision !== null : input.availableReplicas >= minimum;
  wanted.push(
    available
      ? condition('Available', 'True', 'AvailableReason', 'Rollout has minimum availability')
      : condition('Available', 'False', 'AvailableReason', 'Rollout does not have minimum availability'),
  );

  const completed = status.stableRevision !== null && status.stableRevision === status.currentRevision;
  wanted.push(condition('Completed', completed ? 'True' : 'False', 'RolloutCompleted', 'RolloutCompleted'));

  // Argo writes Healthy once it was healthy, and False (not absent) after that.
  if (healthy && !paused) wanted.push(condition('Healthy', 'True', 'RolloutHealthy', 'Rollout is healthy'));
  else if (previous.has('Healthy')) wanted.push(condition('Healthy', 'False', 'RolloutHealthy', 'Rollout is not healthy'));

  const now = rfc3339(input.now);
  return wanted.map((want) => {
    const before = previous.get(want.type);
    if (before && before.status === want.status && before.reason === want.reason && before.message === want.message) {
      return before;
    }
    const lastTransitionTime = before && before.status === want.status ? before.lastTransitionTime : now;
    return { ...want, lastTransitionTime, lastUpdateTime: now };
  });
}

function condition(
  type: ArgoRolloutCondition['type'],
  status: ArgoRolloutCondition['status'],
  reason: string,
  message: string,
): Wanted {
  return { type, status, reason, message };
}
