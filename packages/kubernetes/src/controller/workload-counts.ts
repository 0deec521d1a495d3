import type { RolloutSpec } from '@gradual/core';
import type { V1ReplicaSet } from '@kubernetes/client-node';
import { podTemplateHashLabel } from '../kube/labels.js';
import type { WorkloadCounts } from './controller-parts.js';

/**
 * Argo's replica fields (`replicas`, `updatedReplicas`, `readyReplicas`, `availableReplicas`, `selector`) from
 * the ReplicaSets in the cache: sums over all of them, `updated` for the revision the spec ships. Pure.
 */
export function workloadCounts(input: {
  replicaSets: readonly V1ReplicaSet[];
  revision: string;
  spec: RolloutSpec;
}): WorkloadCounts {
  let replicas = 0;
  let updatedReplicas = 0;
  let readyReplicas = 0;
  let availableReplicas = 0;
  for (const replicaSet of input.replicaSets) {
    replicas += replicaSet.status?.replicas ?? 0;
    readyReplicas += replicaSet.status?.readyReplicas ?? 0;
    availableReplicas += replicaSet.status?.availableReplicas ?? 0;
    if (replicaSet.metadata?.labels?.[podTemplateHashLabel] === input.revision) {
      updatedReplicas += replicaSet.status?.replicas ?? 0;
    }
  }
  const matchLabels =
    (input.spec.selector as { matchLabels?: Record<string, string> | undefined } | undefined)?.matchLabels ?? {};
  const selector = Object.entries(matchLabels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
  return { replicas, updatedReplicas, readyReplicas, availableReplicas, ...(selector ? { selector } : {}) };
}
