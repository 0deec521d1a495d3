import { ValidationError } from '../../errors/validation-error.js';
import type { CanaryStep } from '../../manifest/rollout-types.js';
import { analysisStep } from './analysis-step.js';
import { experimentStep } from './experiment-step.js';
import { pauseStep } from './pause-step.js';
import type { StepKind } from './step-kind.js';
import { setCanaryScaleStep, setHeaderRouteStep, setMirrorRouteStep, setWeightStep } from './traffic-steps.js';

type StepOf<K extends string> = Extract<CanaryStep, Record<K, unknown>>;
type StepKey = CanaryStep extends infer S ? (S extends unknown ? keyof S & string : never) : never;

/** The registry of canary step kinds, keyed by the step's one field in the manifest. */
export const stepKinds: { readonly [K in StepKey]: StepKind<StepOf<K>> } = {
  setWeight: setWeightStep,
  pause: pauseStep,
  analysis: analysisStep,
  setCanaryScale: setCanaryScaleStep,
  setHeaderRoute: setHeaderRouteStep,
  setMirrorRoute: setMirrorRouteStep,
  experiment: experimentStep,
};

/**
 * The kind of a step. A step of no known kind (a hand-built spec that
 * skipped parseRollout) is an error naming its path, never a silent completion.
 */
export function stepKindOf(step: CanaryStep, index?: number): StepKind<CanaryStep> {
  for (const key in step) {
    if (Object.hasOwn(stepKinds, key)) return stepKinds[key as StepKey] as StepKind<CanaryStep>;
  }
  throw new ValidationError('Rollout spec', [
    {
      path: index === undefined ? 'step' : `spec.strategy.canary.steps[${index}]`,
      message: `unknown step kind ${JSON.stringify(Object.keys(step ?? {}).join(', ') || '{}')}; known: ${Object.keys(stepKinds).join(', ')}`,
    },
  ]);
}
