import type { TrafficState } from '../contracts/traffic-state.js';

/** Deep equality of two traffic states; `undefined` revisions equal missing ones. */
export function trafficStatesEqual(a: TrafficState | undefined | null, b: TrafficState | undefined | null): boolean {
  if (!a || !b) return a === b;
  return (
    a.canaryWeight === b.canaryWeight &&
    a.stableRevision === b.stableRevision &&
    a.canaryRevision === b.canaryRevision &&
    sameJson(a.headerRoutes, b.headerRoutes) &&
    sameJson(a.mirrorRoutes, b.mirrorRoutes) &&
    sameJson(a.experiments, b.experiments)
  );
}

function sameJson(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  if (a.length === 0) return true;
  // The lists are short and built in a canonical key order by the engine.
  return JSON.stringify(a) === JSON.stringify(b);
}
