import type { CanaryStep, CanaryStrategy } from '../manifest/rollout-types.js';
import { setWeightAt } from './canary-traffic.js';

/**
 * Canary replicas wanted at step `index` of a traffic-routed canary (Argo's
 * rule): the nearest `setCanaryScale` at or before the step decides —
 * `replicas` as given, `weight` as ceil(weight × replicas / 100) — unless it
 * is `matchTrafficWeight` or there is none, when the canary follows the
 * traffic weight. `minPodsPerReplicaSet` raises any non-zero count.
 */
export function canaryReplicasAt(canary: CanaryStrategy, index: number, replicas: number): number {
  const steps = canary.steps;
  let wanted = Math.ceil((setWeightAt(steps, index >= steps.length ? steps.length : index) * replicas) / 100);
  if (index >= steps.length) wanted = replicas;
  else {
    for (let i = index; i >= 0; i--) {
      const step = steps[i] as CanaryStep;
      if (!('setCanaryScale' in step)) continue;
      const scale = step.setCanaryScale;
      if (scale.replicas !== undefined) wanted = scale.replicas;
      else if (scale.weight !== undefined) wanted = Math.ceil((scale.weight * replicas) / 100);
      break;
    }
  }
  const minimum = canary.minPodsPerReplicaSet ?? 1;
  return wanted > 0 ? Math.min(Math.max(wanted, minimum), Math.max(replicas, wanted)) : 0;
}
