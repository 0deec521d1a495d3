import type { TrafficState } from '@gradual/core';
import { destinationRole } from './destination-roles.js';
import type { HttpRoute, RouteDestination, VirtualService } from './istio-objects.js';
import type { IstioRoutingConfig, IstioVirtualServiceRef } from './istio-routing-config.js';
import type { RelabelledRoles } from './relabelled-roles.js';
import { selectHttpRoutes, selectTcpRoutes, selectTlsRoutes } from './select-routes.js';

/**
 * The state a VirtualService must be in while the DestinationRule or the
 * Services are relabelled, so that no traffic goes to pods that are not
 * selected yet (or no longer):
 * - the canary is relabelled: its weight goes to the lower of what the
 *   selected routes have now and `desired` (a new canary revision may have
 *   no pods yet), and managed routes `desired` adds wait for the relabel;
 * - only the stable is relabelled (promotion): the canary keeps the higher of
 *   the two, so the stable share does not grow before it selects its new pods.
 * Managed routes that `desired` drops are dropped. When the canary and the
 * stable are both relabelled the canary rule wins. Pure.
 */
export function stepDownState(input: {
  current: VirtualService;
  config: IstioRoutingConfig;
  ref: IstioVirtualServiceRef;
  desired: TrafficState;
  relabelled: RelabelledRoles;
}): TrafficState {
  const { current, config, ref, desired, relabelled } = input;
  const weights = canaryWeightsOf(current, config, ref, desired);
  const experiments = desired.experiments.reduce((sum, experiment) => sum + experiment.weight, 0);
  const canaryWeight = relabelled.canary
    ? Math.min(desired.canaryWeight, ...weights)
    : relabelled.stable
      ? Math.min(100 - experiments, Math.max(desired.canaryWeight, ...weights))
      : desired.canaryWeight;
  const present = new Set((current.spec.http ?? []).flatMap((route) => (route.name ? [route.name] : [])));
  return {
    ...desired,
    canaryWeight,
    headerRoutes: desired.headerRoutes.filter((route) => present.has(route.name)),
    mirrorRoutes: desired.mirrorRoutes.filter((route) => present.has(route.name)),
  };
}

/** The canary weight of every route the config selects in `vs`. */
function canaryWeightsOf(
  vs: VirtualService,
  config: IstioRoutingConfig,
  ref: IstioVirtualServiceRef,
  desired: TrafficState,
): number[] {
  const managedRouteNames = (config.managedRoutes ?? []).map((route) => route.name);
  const where = `VirtualService '${vs.metadata?.name ?? '(unnamed)'}'`;
  const userRoutes = (vs.spec.http ?? []).filter((route: HttpRoute) => !(route.name && managedRouteNames.includes(route.name)));
  const tls = vs.spec.tls ?? [];
  const tcp = vs.spec.tcp ?? [];
  const routes: (RouteDestination[] | undefined)[] = [
    ...selectHttpRoutes({ routes: userRoutes, ref, managedRouteNames, where }).map((i) => userRoutes[i]?.route),
    ...selectTlsRoutes({ routes: tls, ref, where }).map((i) => tls[i]?.route),
    ...selectTcpRoutes({ routes: tcp, ref, where }).map((i) => tcp[i]?.route),
  ];
  return routes.flatMap((destinations) =>
    (destinations ?? [])
      .filter((entry) => destinationRole(entry.destination, config, desired.experiments) === 'canary')
      .map((entry) => entry.weight ?? 0),
  );
}
