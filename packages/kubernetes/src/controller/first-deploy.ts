import type { V1ReplicaSet } from '@kubernetes/client-node';
import type { RolloutObject } from './rollout-object.js';

/**
 * How a Rollout's first reconcile by gradual starts, as Argo's controller does: a Rollout with no
 * ReplicaSet yet is an initial deploy (it goes straight to 100%, no steps); one Argo Rollouts managed
 * before keeps the stable ReplicaSet its status names (`status.stableRS`), and the steps run for
 * whatever else the spec asks.
 */
export function firstDeploy(input: {
  object: RolloutObject;
  replicaSets: readonly V1ReplicaSet[];
}): { initialDeploy: true } | { stableRevision: string | null } {
  const stableRS = input.object.status?.stableRS;
  if (typeof stableRS === 'string' && stableRS !== '') return { stableRevision: stableRS };
  if (input.replicaSets.length === 0) return { initialDeploy: true };
  return { stableRevision: null };
}
