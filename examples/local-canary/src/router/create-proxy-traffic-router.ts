import { type TrafficRouter, TrafficRouterError, type TrafficState } from '@gradual/core';
import { throwIfAborted, trafficStatesEqual } from '@gradual/core/adapter';
import type { ProxyDataPlane } from '../proxy/create-proxy.js';
import type { ProxyBackend, RoutingTable } from '../proxy/routing-table.js';

export interface ProxyTrafficRouterOptions {
  /** The proxy to program. */
  dataPlane: ProxyDataPlane;
  /**
   * Backends by revision (Argo's pod-template hash): how the router turns
   * `stableRevision` / `canaryRevision` into somewhere to send requests, as
   * Istio's DestinationRule subsets select pods by their hash label.
   */
  backends: Record<string, ProxyBackend>;
  /**
   * The rollout's `trafficRouting.managedRoutes` names, in order: which
   * managed route wins when a request matches a header route and a mirror
   * route (the first listed, as in the VirtualService Argo writes).
   */
  managedRoutes?: readonly string[];
}

const routerName = 'local-proxy';

/**
 * The TrafficRouter of the demo: the smallest complete adapter, and the
 * worked example of docs/writing-a-traffic-router.md. `apply` resolves the
 * desired state's revisions to backends and installs it in the proxy as one
 * table (so no request ever sees half a change); it writes nothing when the
 * proxy already routes that way. It refuses, loudly, what it cannot do:
 * an unknown revision, weighted traffic with no canary, experiment traffic.
 */
export function createProxyTrafficRouter(options: ProxyTrafficRouterOptions): TrafficRouter {
  const backendOf = (revision: string, role: string): ProxyBackend => {
    const backend = options.backends[revision];
    if (!backend) {
      const known = Object.keys(options.backends).join(', ');
      throw new TrafficRouterError(routerName, `no backend serves ${role} revision "${revision}" (known: ${known})`, {
        code: 'UNKNOWN_REVISION',
        retryable: false,
      });
    }
    return backend;
  };

  return {
    specificationVersion: 'v1',
    name: routerName,
    capabilities: { headerRoutes: true, mirrorRoutes: true, experiments: false, weightGranularity: 1 },
    async apply(desired: TrafficState, call) {
      throwIfAborted(call.signal, `${routerName} apply`);
      const current = options.dataPlane.table();
      if (trafficStatesEqual(current.state, desired)) return { changed: false };
      if (!Number.isInteger(desired.canaryWeight) || desired.canaryWeight < 0 || desired.canaryWeight > 100) {
        throw new TrafficRouterError(routerName, `canaryWeight must be an integer from 0 to 100, got ${desired.canaryWeight}`, {
          retryable: false,
        });
      }
      if (desired.experiments.length > 0) {
        throw new TrafficRouterError(routerName, 'experiment traffic is not supported (capabilities.experiments is false)', {
          retryable: false,
        });
      }
      const stable = desired.stableRevision ? backendOf(desired.stableRevision, 'stable') : current.stable;
      const canary = desired.canaryRevision ? backendOf(desired.canaryRevision, 'canary') : undefined;
      const needsCanary = desired.canaryWeight > 0 || desired.headerRoutes.length > 0 || desired.mirrorRoutes.length > 0;
      if (needsCanary && !canary) {
        throw new TrafficRouterError(routerName, 'the desired state sends traffic to the canary but names no canaryRevision', {
          retryable: false,
        });
      }
      const table: RoutingTable = {
        generation: current.generation + 1,
        state: structuredClone(desired),
        stable,
        ...(canary ? { canary } : {}),
        ...(options.managedRoutes ? { routeOrder: [...options.managedRoutes] } : {}),
      };
      options.dataPlane.install(table);
      return { changed: true };
    },
    async observe(call) {
      throwIfAborted(call.signal, `${routerName} observe`);
      return structuredClone(options.dataPlane.table().state);
    },
  };
}
