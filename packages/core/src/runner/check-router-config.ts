import type { TrafficRouter } from '../contracts/traffic-router.js';
import { ValidationError } from '../errors/validation-error.js';
import type { RolloutSpec } from '../manifest/rollout-types.js';

/** Before step 1: the router checks its own part of the Rollout; any issue stops the rollout before traffic moves. */
export function checkRouterConfig(spec: RolloutSpec, router: TrafficRouter): void {
  const issues = router.validate?.(spec) ?? [];
  if (issues.length > 0) throw new ValidationError(`Rollout "${spec.name}" traffic routing (router "${router.name}")`, issues);
}
