import { GradualError, initialStatus, parseRollout, planRollout, type RolloutSpec, ValidationError } from '@gradual/core';
import { checkCapabilities, describeStep } from '@gradual/core/adapter';
import { createMemoryRouter } from '@gradual/core/testing';
import { describe, expect, it } from 'vitest';
import { stepKinds } from '../src/engine/steps/step-kinds.js';
import { canaryStepTypes } from '../src/manifest/validate-canary-step.js';

const spec = parseRollout({ template: { spec: { image: 'v2' } }, strategy: { canary: { steps: [{ setWeight: 20 }] } } });
// A spec built by hand (not through parseRollout) with a step the engine does not know.
const withUnknownStep = {
  ...spec,
  strategy: { canary: { ...spec.strategy.canary, steps: [{ setWeight: 20 }, { setWieght: 40 }] } },
} as unknown as RolloutSpec;

describe('step kinds', () => {
  it('every step type the manifest reader accepts has an entry in the registry, and no other', () => {
    expect(Object.keys(stepKinds).sort()).toEqual([...canaryStepTypes].sort());
  });

  it('an unknown step is an error naming its path, never a silent completion', () => {
    // Step 0 (setWeight: 20) confirmed; the engine reaches step 1.
    const status = { ...initialStatus(withUnknownStep, { now: 0, stableRevision: 'v1' }) };
    const first = planRollout({ spec: withUnknownStep, status, now: 0 });
    const traffic = first.intents.find((intent) => intent.type === 'applyTraffic');
    expect(traffic?.type === 'applyTraffic' && traffic.state.canaryWeight).toBe(20);
    let thrown: unknown;
    try {
      planRollout({
        spec: withUnknownStep,
        status: { ...first.status, traffic: traffic?.type === 'applyTraffic' ? traffic.state : null },
        now: 0,
      });
    } catch (error) {
      thrown = error;
    }
    expect(ValidationError.isValidationError(thrown)).toBe(true);
    expect((thrown as ValidationError).issues[0]?.path).toBe('spec.strategy.canary.steps[1]');
    expect((thrown as ValidationError).message).toContain('unknown step kind "setWieght"');
  });

  it('is refused before step 1 by the capability check', () => {
    expect(() => checkCapabilities(withUnknownStep, createMemoryRouter())).toThrow(/steps\[1\]: unknown step kind "setWieght"/);
    expect(
      GradualError.isInstance(
        (() => {
          try {
            checkCapabilities(withUnknownStep, createMemoryRouter());
          } catch (e) {
            return e;
          }
        })(),
      ),
    ).toBe(true);
  });

  it.each([
    [{ setWeight: 20 }, 'setWeight: 20'],
    [{ pause: {} }, 'pause'],
    [{ pause: { duration: '1m' } }, 'pause: 1m'],
    [{ analysis: { templates: [] } }, 'analysis'],
    [{ experiment: { templates: [] } }, 'experiment'],
    [{ setHeaderRoute: { name: 'h' } }, 'setHeaderRoute: h'],
    [{ setMirrorRoute: { name: 'm' } }, 'setMirrorRoute: m'],
    [{ setCanaryScale: { replicas: 2 } }, 'setCanaryScale{replicas: 2}'],
    [{ setCanaryScale: { weight: 20 } }, 'setCanaryScale{weight: 20}'],
    [{ setCanaryScale: { matchTrafficWeight: true } }, 'setCanaryScale{matchTrafficWeight: true}'],
  ])('describes %j as Argo prints it', (step, text) => {
    expect(describeStep(step as never)).toBe(text);
  });
});
