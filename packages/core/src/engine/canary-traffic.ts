import type { HeaderRoute, MirrorRoute, TrafficState } from '../contracts/traffic-state.js';
import { noItems } from '../data/no-items.js';
import type { CanaryStep, CanaryStrategy } from '../manifest/rollout-types.js';

/** Weight of the nearest `setWeight` at or before `index` (0 if none), as Argo's GetCurrentSetWeight. */
export function setWeightAt(steps: readonly CanaryStep[], index: number): number {
  for (let i = Math.min(index, steps.length - 1); i >= 0; i--) {
    const step = steps[i] as CanaryStep;
    if ('setWeight' in step) return step.setWeight;
  }
  return 0;
}

/**
 * Managed header and mirror routes in force at step `index`: every
 * `setHeaderRoute`/`setMirrorRoute` up to and including it, later ones
 * replacing earlier ones of the same name, a step without `match` removing
 * it; ordered as `managedRoutes` lists them (that order is precedence).
 */
export function managedRoutesAt(
  canary: CanaryStrategy,
  index: number,
): { headerRoutes: HeaderRoute[]; mirrorRoutes: MirrorRoute[] } {
  if (!hasRouteSteps(canary)) return { headerRoutes: noRoutes, mirrorRoutes: noRoutes };
  const headers = new Map<string, HeaderRoute>();
  const mirrors = new Map<string, MirrorRoute>();
  for (let i = 0; i <= index && i < canary.steps.length; i++) {
    const step = canary.steps[i] as CanaryStep;
    if ('setHeaderRoute' in step) {
      const { name, match } = step.setHeaderRoute;
      if (match)
        headers.set(name, { name, match: match.map((m) => ({ headerName: m.headerName, headerValue: { ...m.headerValue } })) });
      else headers.delete(name);
    } else if ('setMirrorRoute' in step) {
      const { name, match, percentage } = step.setMirrorRoute;
      if (match) mirrors.set(name, { name, percentage: percentage ?? 100, match: structuredClone(match) });
      else mirrors.delete(name);
    }
  }
  const order = (canary.trafficRouting?.managedRoutes ?? []).map((route) => route.name);
  const rank = (name: string) => {
    const at = order.indexOf(name);
    return at === -1 ? order.length : at;
  };
  return {
    headerRoutes: [...headers.values()].sort((a, b) => rank(a.name) - rank(b.name)),
    mirrorRoutes: [...mirrors.values()].sort((a, b) => rank(a.name) - rank(b.name)),
  };
}

// The lists of a traffic state without managed routes or experiments are the shared frozen empty list: a
// host keeps every status it is given, and a traffic state is in each.
const noRoutes = noItems;

/** A traffic state with every request on one revision set and no managed routes (the lists are shared and frozen). */
export function plainTraffic(input: {
  canaryWeight: number;
  stableRevision: string | null;
  canaryRevision: string | null;
}): TrafficState {
  const { canaryWeight, stableRevision, canaryRevision } = input;
  // The usual case written out: the spreads below cost two objects per call, and a pass makes several.
  if (stableRevision && canaryRevision)
    return {
      canaryWeight,
      stableRevision,
      canaryRevision,
      headerRoutes: noRoutes,
      mirrorRoutes: noRoutes,
      experiments: noRoutes,
    };
  return {
    canaryWeight,
    ...(stableRevision ? { stableRevision } : {}),
    ...(canaryRevision ? { canaryRevision } : {}),
    headerRoutes: noRoutes,
    mirrorRoutes: noRoutes,
    experiments: noRoutes,
  };
}

const routeSteps = new WeakMap<CanaryStrategy, boolean>();
/** Whether any step sets a header or mirror route (cached per strategy). */
export function hasRouteSteps(canary: CanaryStrategy): boolean {
  let has = routeSteps.get(canary);
  if (has === undefined) {
    has = canary.steps.some((step) => 'setHeaderRoute' in step || 'setMirrorRoute' in step);
    routeSteps.set(canary, has);
  }
  return has;
}
