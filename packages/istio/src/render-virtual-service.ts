import type { TrafficState } from '@gradual/core';
import { buildManagedRoutes } from './build-managed-routes.js';
import { describeHttpRoute, describeObject } from './describe-object.js';
import { istioConfigError } from './istio-config-error.js';
import type { HttpRoute, VirtualService } from './istio-objects.js';
import type { IstioRoutingConfig, IstioVirtualServiceRef } from './istio-routing-config.js';
import { placeManagedRoutes } from './place-managed-routes.js';
import { reweightDestinations } from './reweight-destinations.js';
import { selectHttpRoutes, selectTcpRoutes, selectTlsRoutes } from './select-routes.js';
import { virtualServiceRefFor } from './virtual-service-refs.js';

/** Context for {@link renderVirtualService} that the VirtualService alone does not give. */
export interface RenderVirtualServiceOptions {
  /** The entry of `virtualService(s)` this object is; found by name (and `namespace`) when absent. */
  ref?: IstioVirtualServiceRef | undefined;
  /** The Rollout's namespace: where a `name` without `.namespace` lives. */
  namespace?: string | undefined;
  /** Subset-level: the DestinationRule's `spec.host`, the host of header and mirror routes (§7.4). */
  destinationRuleHost?: string | undefined;
}

/**
 * The VirtualService `current` as it must be for `desired`, with Argo
 * Rollouts' arithmetic (reference §7.3–7.4): the selected http, tls and tcp
 * routes re-weighted, the managed header and mirror routes of `desired`
 * above the split route in `managedRoutes` order (see
 * `placeManagedRoutes`), managed routes `desired` no longer has
 * removed, everything else (user routes, their order, unknown fields)
 * untouched. Pure: `current` is not modified. Throws a TrafficRouterError
 * (not retryable) naming the VirtualService and its routes when the config
 * does not fit the object.
 */
export function renderVirtualService(
  current: VirtualService,
  config: IstioRoutingConfig,
  desired: TrafficState,
  options: RenderVirtualServiceOptions = {},
): VirtualService {
  checkDesired(desired);
  const ref = options.ref ?? virtualServiceRefFor(config, current.metadata, options.namespace);
  const vs = describeObject('VirtualService', current.metadata);
  const next = structuredClone(current);
  const managedRouteNames = (config.managedRoutes ?? []).map((route) => route.name);
  const isManaged = (route: HttpRoute) => route.name !== undefined && managedRouteNames.includes(route.name);

  const userRoutes = (next.spec.http ?? []).filter((route) => !isManaged(route));
  const httpIndexes = selectHttpRoutes({ routes: userRoutes, ref, managedRouteNames, where: vs });
  for (const index of httpIndexes) {
    const route = userRoutes[index]!;
    const where = `http route ${describeHttpRoute(route, index)} of ${vs}`;
    userRoutes[index] = { ...route, route: reweightDestinations({ destinations: route.route, config, desired, where }) };
  }
  const tls = next.spec.tls ?? [];
  for (const index of selectTlsRoutes({ routes: tls, ref, where: vs })) {
    const route = tls[index]!;
    tls[index] = {
      ...route,
      route: reweightDestinations({ destinations: route.route, config, desired, where: `tls route #${index} of ${vs}` }),
    };
  }
  const tcp = next.spec.tcp ?? [];
  for (const index of selectTcpRoutes({ routes: tcp, ref, where: vs })) {
    const route = tcp[index]!;
    tcp[index] = {
      ...route,
      route: reweightDestinations({ destinations: route.route, config, desired, where: `tcp route #${index} of ${vs}` }),
    };
  }

  const first = httpIndexes[0];
  const weighted = first === undefined ? undefined : userRoutes[first];
  const managed = buildManagedRoutes({
    config,
    desired,
    weighted,
    where: vs,
    ...(options.destinationRuleHost === undefined ? {} : { destinationRuleHost: options.destinationRuleHost }),
  });
  if (next.spec.http !== undefined || managed.length > 0) {
    next.spec.http = placeManagedRoutes({
      current: current.spec.http ?? [],
      others: userRoutes,
      managed,
      ours: managedRouteNames,
      boundary: httpIndexes.length > 0 ? Math.min(...httpIndexes) : undefined,
    });
  }
  return next;
}

function checkDesired(desired: TrafficState): void {
  const weights = [
    ['canaryWeight', desired.canaryWeight] as const,
    ...desired.experiments.map((e) => [`experiments '${e.name}' weight`, e.weight] as const),
  ];
  for (const [what, weight] of weights) {
    if (!Number.isInteger(weight) || weight < 0 || weight > 100) {
      throw istioConfigError(
        `${what} ${weight} is not a whole number between 0 and 100 (Istio weights are integer percents)`,
        'ISTIO_INVALID_WEIGHT',
      );
    }
  }
}
