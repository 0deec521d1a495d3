import type { HeaderRoute, MirrorRouteMatch } from '@gradual/core';
import type { RoutingTable } from './routing-table.js';
import { stringMatches } from './string-matches.js';

/** The parts of a request routing looks at; header names lower-case, as Node gives them. */
export interface RoutedRequest {
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
}

/** Where one request goes. */
export interface RouteDecision {
  target: 'stable' | 'canary';
  /** `weighted`, or `header:<name>` for a managed header route. */
  route: string;
  /** Set when a copy goes to the canary too; its answer is discarded. */
  mirror?: string;
}

/** Per-table counters that make the weighted split and mirror percentages exact rather than random. */
export interface RouteCounters {
  weighted: number;
  mirrored: Record<string, number>;
}

/**
 * Routes a request as Istio does with the routes Argo Rollouts manages:
 * header routes first (in `managedRoutes` order), then the weighted split.
 * Mirror routes copy matching requests to the canary. Envoy picks weighted
 * destinations at random; this proxy spreads them evenly (request n goes to
 * the canary when the running quota crosses an integer), so every step
 * serves its weight to within one request and a test can hold it to that.
 */
export function chooseRoute(table: RoutingTable, request: RoutedRequest, counters: RouteCounters): RouteDecision {
  const { state } = table;
  const header = table.canary ? state.headerRoutes.find((route) => headerRouteMatches(route, request)) : undefined;
  let decision: RouteDecision;
  if (header) {
    decision = { target: 'canary', route: `header:${header.name}` };
  } else {
    const n = counters.weighted++;
    const weight = table.canary ? state.canaryWeight : 0;
    const toCanary = Math.floor(((n + 1) * weight) / 100) > Math.floor((n * weight) / 100);
    decision = { target: toCanary ? 'canary' : 'stable', route: 'weighted' };
  }
  // A mirror only makes sense for requests the canary does not already serve.
  if (decision.target === 'stable' && table.canary) {
    for (const mirror of state.mirrorRoutes) {
      if (!mirror.match.some((match) => mirrorMatches(match, request))) continue;
      const n = counters.mirrored[mirror.name] ?? 0;
      counters.mirrored[mirror.name] = n + 1;
      if (Math.floor(((n + 1) * mirror.percentage) / 100) > Math.floor((n * mirror.percentage) / 100)) {
        decision.mirror = mirror.name;
        break;
      }
    }
  }
  return decision;
}

function headerRouteMatches(route: HeaderRoute, request: RoutedRequest): boolean {
  return route.match.some((match) => stringMatches(match.headerValue, request.headers[match.headerName.toLowerCase()]));
}

// Conditions within one entry are ANDed; an entry with no condition matches every request.
function mirrorMatches(match: MirrorRouteMatch, request: RoutedRequest): boolean {
  if (match.method && !stringMatches(match.method, request.method)) return false;
  if (match.path && !stringMatches(match.path, request.path)) return false;
  for (const [name, value] of Object.entries(match.headers ?? {})) {
    if (!stringMatches(value, request.headers[name.toLowerCase()])) return false;
  }
  return true;
}
