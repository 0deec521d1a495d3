import type { TrafficRouter } from '../contracts/traffic-router.js';
import { UnsupportedCapabilityError } from '../errors/unsupported-capability-error.js';
import type { CanaryStep, RolloutSpec } from '../manifest/rollout-types.js';
import { stepKindOf } from './steps/step-kinds.js';

/**
 * Refuses, before any traffic moves, a rollout whose steps need what the
 * router cannot do (each step kind says what it needs: header or mirror
 * routes, experiment traffic, weights finer than the router's granularity).
 * A step of no known kind is refused here too.
 */
export function checkCapabilities(spec: RolloutSpec, router: Pick<TrafficRouter, 'name' | 'capabilities'>): void {
  const canary = spec.strategy.canary;
  if (!canary) return;
  // Specs and routers do not change; a reconcile loop checks the same pair on every call.
  let checked = passed.get(spec);
  if (checked?.has(router.capabilities)) return;
  canary.steps.forEach((step: CanaryStep, i) => {
    const missing = stepKindOf(step, i).missingCapability?.(step, router.capabilities);
    if (!missing) return;
    throw new UnsupportedCapabilityError({
      capability: missing.capability,
      router: router.name,
      path: `spec.strategy.canary.steps[${i}]${missing.field}`,
      ...(missing.detail ? { detail: missing.detail } : {}),
    });
  });
  if (!checked) {
    checked = new WeakSet();
    passed.set(spec, checked);
  }
  checked.add(router.capabilities);
}

const passed = new WeakMap<RolloutSpec, WeakSet<object>>();
