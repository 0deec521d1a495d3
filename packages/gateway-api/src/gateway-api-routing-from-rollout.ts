import { type RolloutSpec, ValidationError } from '@gradual/core';
import { gatewayApiConfigError } from './gateway-api-config-error.js';
import { type GatewayApiRoutingConfig, gatewayApiPluginName } from './gateway-api-routing-config.js';
import { gatewayApiRoutingIssues } from './gateway-api-routing-issues.js';

/**
 * The `trafficRouting.plugins["argoproj-labs/gatewayAPI"]` block of a parsed
 * Rollout, flattened with `canaryService`, `stableService` and
 * `managedRoutes`: what `createGatewayApiTrafficRouter` and the renderers
 * take. Throws when the Rollout has no such block, and a `ValidationError`
 * naming each path when it is malformed.
 */
export function gatewayApiRoutingFromRollout(spec: RolloutSpec): GatewayApiRoutingConfig {
  const canary = spec.strategy.canary;
  const plugins = canary?.trafficRouting?.plugins as Record<string, unknown> | undefined;
  const block = plugins?.[gatewayApiPluginName];
  if (!canary || block === undefined) {
    throw gatewayApiConfigError(
      `Rollout '${spec.name}' has no spec.strategy.canary.trafficRouting.plugins["${gatewayApiPluginName}"]`,
    );
  }
  const issues = gatewayApiRoutingIssues(spec);
  if (issues.length > 0) throw new ValidationError(`Rollout "${spec.name}" Gateway API traffic routing`, issues);
  const { configMap: _ignored, ...fields } = block as Record<string, unknown>;
  return {
    ...(fields as Omit<GatewayApiRoutingConfig, 'canaryService' | 'stableService' | 'managedRoutes'>),
    canaryService: canary.canaryService!,
    stableService: canary.stableService!,
    ...(canary.trafficRouting?.managedRoutes ? { managedRoutes: canary.trafficRouting.managedRoutes } : {}),
  };
}
