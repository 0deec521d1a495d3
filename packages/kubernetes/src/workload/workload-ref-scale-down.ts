import type { WorkloadRef } from '@gradual/core';

/** Inputs of {@link workloadRefScaleDown}. */
export interface WorkloadRefScaleDownInput {
  scaleDown: WorkloadRef['scaleDown'];
  /** `spec.replicas` of the Rollout. */
  replicas: number;
  /** Available pods of the rollout's ReplicaSets (Argo reads the rollout's ready replicas). */
  availableReplicas: number;
  /** The rollout is Healthy on its current revision: fully promoted, every pod available. */
  healthy: boolean;
  /** `spec.replicas` of the Deployment now. */
  deploymentReplicas: number;
  /**
   * Argo scales the Deployment only while the rollout is on its first revision (the migration); later
   * revisions leave it alone, so a Deployment scaled up again by hand is not fought over. Default true.
   */
  firstRevision?: boolean | undefined;
}

/**
 * The replicas the referenced Deployment should have now, or undefined to leave it untouched (Argo's
 * rollout/replicaset.go and rollout/sync.go): `never` — untouched; `onsuccess` — 0 once the rollout is
 * Healthy; `progressively` — 0 once Healthy, before that spec.replicas − the rollout's available pods (never
 * below 0; untouched while the rollout has no pod available), so the Deployment gives way as the rollout's
 * pods come and takes over again if they go.
 */
export function workloadRefScaleDown(input: WorkloadRefScaleDownInput): number | undefined {
  if (input.scaleDown === 'never' || input.firstRevision === false) return undefined;
  let wanted: number | undefined;
  if (input.healthy) wanted = 0;
  else if (input.scaleDown === 'progressively' && input.availableReplicas > 0) {
    wanted = Math.max(0, input.replicas - input.availableReplicas);
  }
  return wanted === undefined || wanted === input.deploymentReplicas ? undefined : wanted;
}
