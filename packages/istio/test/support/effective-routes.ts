import type { HttpRoute, RouteDestination, VirtualService } from '../../src/index.js';

/**
 * What the http routes of a VirtualService do, in Istio's own semantics,
 * with the textual freedoms Istio gives removed: a route `name` does not
 * route; a destination with weight 0 receives nothing; a sole destination's
 * weight defaults to 100; `mirrorPercentage` defaults to 100; routes below
 * a route without `match` are never reached. Two VirtualServices with equal
 * effective routes send every request to the same place.
 */
export function effectiveHttpRoutes(vs: VirtualService): unknown[] {
  const routes: unknown[] = [];
  for (const route of vs.spec.http ?? []) {
    routes.push(effective(route));
    if (!route.match || route.match.length === 0) break;
  }
  return routes;
}

function effective(route: HttpRoute): unknown {
  const { name: _name, route: destinations, mirrorPercentage, ...rest } = route;
  const weighted = (destinations ?? []).map((d: RouteDestination) => ({
    ...d,
    weight: d.weight ?? ((destinations ?? []).length === 1 ? 100 : 0),
  }));
  const out: Record<string, unknown> = { ...rest, route: weighted.filter((d) => d.weight > 0) };
  if (route.mirror) out.mirrorPercentage = mirrorPercentage?.value ?? 100;
  return out;
}
