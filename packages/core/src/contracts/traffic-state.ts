/** One way to match a string, as Istio and Argo Rollouts write it: exactly one key is set. */
export interface StringMatch {
  exact?: string | undefined;
  prefix?: string | undefined;
  regex?: string | undefined;
}

/** `setHeaderRoute.match[]`: requests whose header matches go to the canary. */
export interface HeaderRouteMatch {
  headerName: string;
  headerValue: StringMatch;
}

/** A managed route that sends every request matching any of `match` to the canary (a dark canary). */
export interface HeaderRoute {
  name: string;
  match: HeaderRouteMatch[];
}

/** `setMirrorRoute.match[]`: conditions within one entry are ANDed; entries are ORed. */
export interface MirrorRouteMatch {
  method?: StringMatch | undefined;
  path?: StringMatch | undefined;
  headers?: Record<string, StringMatch> | undefined;
}

/** A managed route that copies `percentage` % of matching requests to the canary; users get stable's answers. */
export interface MirrorRoute {
  name: string;
  percentage: number;
  match: MirrorRouteMatch[];
}

/** Traffic sent to an experiment's template (taken from the stable share). */
export interface ExperimentDestination {
  /** Template name in the experiment step. */
  name: string;
  weight: number;
  /** Revision the template runs (the stable or canary revision per `specRef`). */
  revision?: string | undefined;
  /** Service fronting the template's pods, when one was named. */
  serviceName?: string | undefined;
}

/**
 * Where every request goes, as one value. Routers make the data plane match
 * it; versions are identified by revision (Argo's pod-template hash), so
 * "the canary becomes stable" is a change of `stableRevision`, not of weights.
 * Stable receives `100 - canaryWeight - sum(experiments[].weight)`.
 */
export interface TrafficState {
  /** Percent of weighted traffic sent to the canary, 0–100. */
  canaryWeight: number;
  stableRevision?: string | undefined;
  canaryRevision?: string | undefined;
  /** Managed header routes, in the rollout's `managedRoutes` order. */
  headerRoutes: HeaderRoute[];
  /** Managed mirror routes, in the rollout's `managedRoutes` order. */
  mirrorRoutes: MirrorRoute[];
  experiments: ExperimentDestination[];
}

/** Share of traffic the stable version receives in `state`. */
export function stableWeightOf(state: TrafficState): number {
  const experiments = state.experiments.reduce((sum, destination) => sum + destination.weight, 0);
  return Math.max(0, 100 - state.canaryWeight - experiments);
}
