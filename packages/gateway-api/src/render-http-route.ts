import type { TrafficState } from '@gradual/core';
import type { HTTPRoute, HttpRouteMatch } from './gateway-api-objects.js';
import type { GatewayApiRoutingConfig } from './gateway-api-routing-config.js';
import { narrowHttpMatch } from './narrow-http-match.js';
import { type RenderRouteOptions, type RouteKind, renderRoute } from './render-route.js';

const httpRouteKind: RouteKind<HttpRouteMatch> = { kind: 'HTTPRoute', narrowForMirror: narrowHttpMatch };

/**
 * The HTTPRoute `current` with `desired` applied, without touching a
 * cluster (e.g. to write the desired object to Git). Every rule whose
 * backendRefs name both `canaryService` and `stableService` gets weights
 * that are percentages of that rule (canary `canaryWeight`, stable the
 * rest, experiment Services theirs; Gateway API reads them as relative
 * weights summing to 100). Header routes become rules with
 * `matches[].headers` (Exact, RegularExpression; a prefix match is refused)
 * and mirror routes rules with a `RequestMirror` filter (`percent`, or
 * `fraction` for a share that is not a whole percent), one per weighted rule
 * named `name`, `name-1`, ..., placed above every other rule in
 * `managedRoutes` order. Other rules, backends and fields are untouched.
 * Throws a TrafficRouterError when no rule names both Services.
 */
export function renderHttpRoute(
  current: HTTPRoute,
  config: GatewayApiRoutingConfig,
  desired: TrafficState,
  options?: RenderRouteOptions,
): HTTPRoute {
  return renderRoute(httpRouteKind, current, config, desired, options) as HTTPRoute;
}
