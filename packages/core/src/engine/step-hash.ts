import { hashJson } from '../spec/hash.js';
import type { RolloutSpec } from '../spec/rollout-types.js';

/** Hash of the step program, as Argo's currentStepHash: a changed step list restarts the rollout. */
export function stepHashOf(spec: RolloutSpec): string {
  const strategy = spec.strategy.canary ? spec.strategy.canary.steps : (spec.strategy.blueGreen ?? {});
  return hashJson(strategy);
}
