import type { GenerationTally } from '../proxy/served-tally.js';

/** The weighted split one routing generation asked for, and what the proxy really served. */
export interface GenerationSplit {
  generation: number;
  canaryWeight: number;
  /** Share of weighted requests each version should get, in percent. */
  expected: Record<string, number>;
  /** Share each version did get, in percent of `weightedRequests`. */
  observed: Record<string, number>;
  weightedRequests: number;
  /** Largest |observed − expected| over the versions, in percentage points. */
  deviation: number;
  headerRoutes: string[];
  mirrorRoutes: string[];
}

/**
 * Compares, for one generation, the weights of its TrafficState with the
 * requests each version answered through the weighted route (header-routed
 * and mirrored requests are outside the split, as in Istio).
 */
export function splitOf(tally: GenerationTally): GenerationSplit {
  const weight = tally.canaryVersion ? tally.state.canaryWeight : 0;
  const expected: Record<string, number> = { [tally.stableVersion]: 100 - weight };
  if (tally.canaryVersion) expected[tally.canaryVersion] = (expected[tally.canaryVersion] ?? 0) + weight;
  const versions = new Set([...Object.keys(expected), ...Object.keys(tally.served)]);
  const weightedRequests = Object.values(tally.served).reduce((sum, counts) => sum + counts.weighted, 0);
  const observed: Record<string, number> = {};
  let deviation = 0;
  for (const version of versions) {
    observed[version] = weightedRequests === 0 ? 0 : (100 * (tally.served[version]?.weighted ?? 0)) / weightedRequests;
    expected[version] ??= 0;
    if (weightedRequests > 0) deviation = Math.max(deviation, Math.abs(observed[version] - (expected[version] ?? 0)));
  }
  return {
    generation: tally.generation,
    canaryWeight: tally.state.canaryWeight,
    expected,
    observed,
    weightedRequests,
    deviation,
    headerRoutes: tally.state.headerRoutes.map((route) => route.name),
    mirrorRoutes: tally.state.mirrorRoutes.map((route) => route.name),
  };
}
