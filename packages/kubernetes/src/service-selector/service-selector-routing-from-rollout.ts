import { type RolloutSpec, ValidationError } from '@gradual/core';
import { serviceSelectorIssues } from './service-selector-issues.js';
import type { ServiceSelectorServices } from './service-selector-services.js';

/**
 * The Services a Rollout's selectors move: `{ activeService, previewService? }` from
 * `spec.strategy.blueGreen`, or `{ canaryService, stableService }` from a canary without
 * `trafficRouting` — what `createServiceSelectorRouter` takes as `services`. Throws a
 * `ValidationError` naming each path when the Rollout does not say them.
 */
export function serviceSelectorRoutingFromRollout(spec: RolloutSpec): ServiceSelectorServices {
  const issues = serviceSelectorIssues(spec);
  if (issues.length > 0) throw new ValidationError(`Rollout "${spec.name}" Service selectors`, issues);
  const blueGreen = spec.strategy.blueGreen;
  if (blueGreen)
    return {
      activeService: blueGreen.activeService,
      ...(blueGreen.previewService ? { previewService: blueGreen.previewService } : {}),
    };
  const canary = spec.strategy.canary;
  return { canaryService: canary?.canaryService as string, stableService: canary?.stableService as string };
}
