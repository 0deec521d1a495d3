import type { CanaryStep } from '../manifest/rollout-types.js';
import { stepKindOf } from './steps/step-kinds.js';

/** A step as Argo prints it in "Rollout step i/n completed (…)". */
export function describeStep(step: CanaryStep): string {
  return stepKindOf(step).describe(step);
}
