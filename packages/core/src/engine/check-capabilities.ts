import type { TrafficRouter } from '../contracts/traffic-router.js';
import { UnsupportedCapabilityError } from '../errors/unsupported-capability-error.js';
import type { CanaryStep, RolloutSpec } from '../spec/rollout-types.js';

/**
 * Refuses, before any traffic moves, a rollout whose steps need what the
 * router cannot do: header or mirror routes, experiment traffic, or weights
 * finer than its granularity.
 */
export function checkCapabilities(spec: RolloutSpec, router: Pick<TrafficRouter, 'name' | 'capabilities'>): void {
  const canary = spec.strategy.canary;
  if (!canary) return;
  // Specs and routers do not change; a reconcile loop checks the same pair on every call.
  let checked = passed.get(spec);
  if (checked?.has(router.capabilities)) return;
  const { capabilities } = router;
  const granularity = capabilities.weightGranularity;
  canary.steps.forEach((step: CanaryStep, i) => {
    const path = `spec.strategy.canary.steps[${i}]`;
    if ('setHeaderRoute' in step && !capabilities.headerRoutes) {
      throw new UnsupportedCapabilityError({ capability: 'header routes', router: router.name, path: `${path}.setHeaderRoute` });
    }
    if ('setMirrorRoute' in step && !capabilities.mirrorRoutes) {
      throw new UnsupportedCapabilityError({ capability: 'mirror routes', router: router.name, path: `${path}.setMirrorRoute` });
    }
    if ('experiment' in step && !capabilities.experiments && step.experiment.templates.some((t) => (t.weight ?? 0) > 0)) {
      throw new UnsupportedCapabilityError({ capability: 'experiment traffic', router: router.name, path: `${path}.experiment` });
    }
    if ('setWeight' in step && step.setWeight % granularity !== 0) {
      throw new UnsupportedCapabilityError({
        capability: `a weight of ${step.setWeight}`,
        router: router.name,
        path: `${path}.setWeight`,
        detail: `it moves weights in steps of ${granularity}`,
      });
    }
  });
  if (!checked) {
    checked = new WeakSet();
    passed.set(spec, checked);
  }
  checked.add(router.capabilities);
}

const passed = new WeakMap<RolloutSpec, WeakSet<object>>();
