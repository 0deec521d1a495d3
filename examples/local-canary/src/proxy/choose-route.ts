import type { HeaderRoute, MirrorRoute, MirrorRouteMatch } from '@gradual/core';
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

/** A managed route of either kind, in the one list Istio evaluates. */
export type ManagedRoute = { kind: 'header'; route: HeaderRoute } | { kind: 'mirror'; route: MirrorRoute };

/**
 * The managed routes of a table in the order Istio evaluates them: as
 * `routeOrder` (the rollout's `managedRoutes`) lists them, which is where
 * Argo Rollouts places them at the top of the VirtualService. TrafficState
 * keeps each kind in that order but not how the two interleave, hence
 * `routeOrder`; a route it does not list comes after the listed ones,
 * header routes before mirror routes.
 */
export function managedRoutesInOrder(table: RoutingTable): ManagedRoute[] {
  // Tables are immutable once installed: order each once, not per request.
  const cached = ordered.get(table);
  if (cached) return cached;
  const order = table.routeOrder ?? [];
  const rank = (name: string) => {
    const index = order.indexOf(name);
    return index === -1 ? order.length : index;
  };
  const routes: ManagedRoute[] = [
    ...table.state.headerRoutes.map((route) => ({ kind: 'header' as const, route })),
    ...table.state.mirrorRoutes.map((route) => ({ kind: 'mirror' as const, route })),
  ];
  // Array.prototype.sort is stable: unlisted routes keep header-then-mirror order.
  routes.sort((a, b) => rank(a.route.name) - rank(b.route.name));
  ordered.set(table, routes);
  return routes;
}

const ordered = new WeakMap<RoutingTable, ManagedRoute[]>();

/**
 * Routes a request as Istio does with the routes Argo Rollouts manages: the
 * first managed route that matches wins (see {@link managedRoutesInOrder}),
 * else the weighted split. A header route sends the request to the canary.
 * A mirror route sends it to the weighted split, as the default route does,
 * and copies `percentage`% of the requests it matches to the canary —
 * whichever version serves the original, as Envoy mirrors. Envoy picks
 * weighted destinations and mirrored requests at random; this proxy spreads
 * them evenly (request n goes to the canary when the running quota crosses
 * an integer), so every step serves its weight to within one request and a
 * test can hold it to that.
 */
export function chooseRoute(table: RoutingTable, request: RoutedRequest, counters: RouteCounters): RouteDecision {
  const matched = table.canary
    ? managedRoutesInOrder(table).find((managed) =>
        managed.kind === 'header'
          ? headerRouteMatches(managed.route, request)
          : managed.route.match.some((match) => mirrorMatches(match, request)),
      )
    : undefined;
  if (matched?.kind === 'header') return { target: 'canary', route: `header:${matched.route.name}` };
  const n = counters.weighted++;
  const weight = table.canary ? table.state.canaryWeight : 0;
  const toCanary = Math.floor(((n + 1) * weight) / 100) > Math.floor((n * weight) / 100);
  const decision: RouteDecision = { target: toCanary ? 'canary' : 'stable', route: 'weighted' };
  if (matched?.kind === 'mirror') {
    const { name, percentage } = matched.route;
    const m = counters.mirrored[name] ?? 0;
    counters.mirrored[name] = m + 1;
    if (Math.floor(((m + 1) * percentage) / 100) > Math.floor((m * percentage) / 100)) decision.mirror = name;
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
