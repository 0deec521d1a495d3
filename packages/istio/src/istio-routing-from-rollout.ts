import type { RolloutSpec } from '@gradual/core';
import { istioConfigError } from './istio-config-error.js';
import type { IstioRoutingConfig } from './istio-routing-config.js';

/**
 * The Istio block of a parsed Rollout, flattened with `canaryService`,
 * `stableService` and `managedRoutes`: what `createIstioTrafficRouter` and
 * the renderers take. Throws when the Rollout routes no traffic through Istio.
 */
export function istioRoutingFromRollout(spec: RolloutSpec): IstioRoutingConfig {
  const canary = spec.strategy.canary;
  const istio = canary?.trafficRouting?.istio;
  if (!canary || !istio) throw istioConfigError(`Rollout '${spec.name}' has no spec.strategy.canary.trafficRouting.istio`);
  return {
    ...istio,
    ...(canary.canaryService ? { canaryService: canary.canaryService } : {}),
    ...(canary.stableService ? { stableService: canary.stableService } : {}),
    ...(canary.trafficRouting?.managedRoutes ? { managedRoutes: canary.trafficRouting.managedRoutes } : {}),
  };
}
