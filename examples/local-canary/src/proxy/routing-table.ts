import type { TrafficState } from '@gradual/core';

/** A version the proxy can send requests to. */
export interface ProxyBackend {
  /** `v1`, `v2`: the label on metrics and in reports. */
  version: string;
  /** The Service name this backend plays, e.g. `rollouts-demo-canary.canary.svc.cluster.local`; a metric label. */
  service: string;
  /** `http://127.0.0.1:<port>` */
  url: string;
}

/**
 * What the proxy routes by: the TrafficState the router installed, with its
 * revisions resolved to backends. `generation` counts installs, so every
 * request can be attributed to the state that routed it.
 */
export interface RoutingTable {
  generation: number;
  state: TrafficState;
  stable: ProxyBackend;
  /** Absent while no canary revision is known; then all traffic goes to stable. */
  canary?: ProxyBackend;
  /** Names of the managed routes in the rollout's `managedRoutes` order: the order they are evaluated in. */
  routeOrder?: readonly string[];
}
