import { hashJson } from '../manifest/hash.js';
import type { RolloutSpec } from '../manifest/rollout-types.js';

// Specs are immutable once parsed; hashing the steps on every reconcile would dominate a steady-state pass.
const cache = new WeakMap<RolloutSpec, string>();

/** Hash of the step program, as Argo's currentStepHash: a changed step list restarts the rollout. */
export function stepHashOf(spec: RolloutSpec): string {
  let hash = cache.get(spec);
  if (hash === undefined) {
    // Blue/green has no steps: as Argo's ComputeStepHash, editing its settings restarts nothing.
    hash = spec.strategy.canary ? hashJson(spec.strategy.canary.steps) : '';
    cache.set(spec, hash);
  }
  return hash;
}
