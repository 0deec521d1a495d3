import { type RolloutSpec, ValidationError } from '@gradual/core';
import { istioConfigError } from './istio-config-error.js';
import type { IstioRoutingConfig } from './istio-routing-config.js';
import { istioRoutingIssues } from './istio-routing-issues.js';

/**
 * The Istio block of a parsed Rollout, flattened with `canaryService`,
 * `stableService` and `managedRoutes`: what `createIstioTrafficRouter` and
 * the renderers take. Throws when the Rollout routes no traffic through
 * Istio, and a `ValidationError` naming each path when the block is malformed.
 */
export function istioRoutingFromRollout(spec: RolloutSpec): IstioRoutingConfig {
  const canary = spec.strategy.canary;
  const istio = canary?.trafficRouting?.istio;
  if (!canary || !istio) throw istioConfigError(`Rollout '${spec.name}' has no spec.strategy.canary.trafficRouting.istio`);
  const issues = istioRoutingIssues(spec);
  if (issues.length > 0) throw new ValidationError(`Rollout "${spec.name}" Istio traffic routing`, issues);
  return {
    ...(istio as Pick<IstioRoutingConfig, 'virtualService' | 'virtualServices' | 'destinationRule'>),
    ...(canary.canaryService ? { canaryService: canary.canaryService } : {}),
    ...(canary.stableService ? { stableService: canary.stableService } : {}),
    ...(canary.trafficRouting?.managedRoutes ? { managedRoutes: canary.trafficRouting.managedRoutes } : {}),
  };
}
