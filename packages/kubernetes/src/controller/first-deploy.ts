import type { RolloutObject } from './rollout-object.js';

/**
 * How a Rollout's first reconcile by gradual starts, as Argo's controller does: one Argo Rollouts managed
 * before keeps the stable ReplicaSet its status names (`status.stableRS`), and the steps run for whatever
 * else the spec asks; without a stable ReplicaSet it is an initial deploy (straight to 100%, no steps) —
 * also when a first attempt already created the new ReplicaSet but its status write was lost.
 */
export function firstDeploy(input: { object: RolloutObject }): { initialDeploy: true } | { stableRevision: string } {
  const stableRS = input.object.status?.stableRS;
  if (typeof stableRS === 'string' && stableRS !== '') return { stableRevision: stableRS };
  return { initialDeploy: true };
}
