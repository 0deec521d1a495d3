import type { ExperimentDestination, HeaderRoute, MirrorRoute, MirrorRouteMatch, StringMatch, TrafficState } from '@gradual/core';
import { describeObject } from './describe-object.js';
import { destinationRole, shortHost } from './destination-roles.js';
import { istioConfigError } from './istio-config-error.js';
import type { DestinationRule, HttpRoute, IstioStringMatch, RouteDestination, VirtualService } from './istio-objects.js';
import type { IstioRoutingConfig, IstioVirtualServiceRef } from './istio-routing-config.js';
import { podTemplateHashLabel } from './render-destination-rule.js';
import { selectHttpRoutes, selectTcpRoutes, selectTlsRoutes } from './select-routes.js';
import { virtualServiceRefFor } from './virtual-service-refs.js';

/**
 * Reads the traffic state back from a VirtualService and the DestinationRule: the weights of the first split
 * route, the managed routes present, the revisions the subsets select.
 * Host-level splitting leaves the revisions undefined: they live in the
 * Services' selectors, which this package does not manage.
 */
export function readTrafficState(input: {
  virtualService: VirtualService;
  destinationRule?: DestinationRule | undefined;
  config: IstioRoutingConfig;
  /** The entry of `virtualService(s)` this object is; found by name (and `namespace`) when absent. */
  ref?: IstioVirtualServiceRef | undefined;
  /** The Rollout's namespace: where a `name` without `.namespace` lives. */
  namespace?: string | undefined;
}): TrafficState {
  const { virtualService, destinationRule, config } = input;
  const where = describeObject('VirtualService', virtualService.metadata);
  const ref = input.ref ?? virtualServiceRefFor(config, virtualService.metadata, input.namespace);
  const managedRouteNames = (config.managedRoutes ?? []).map((route) => route.name);
  const http = virtualService.spec.http ?? [];
  const userRoutes = http.filter((route) => !(route.name && managedRouteNames.includes(route.name)));
  const httpIndex = selectHttpRoutes({ routes: userRoutes, ref, managedRouteNames, where })[0];
  const tlsIndex = selectTlsRoutes({ routes: virtualService.spec.tls ?? [], ref, where })[0];
  const tcpIndex = selectTcpRoutes({ routes: virtualService.spec.tcp ?? [], ref, where })[0];
  const destinations: RouteDestination[] | undefined =
    httpIndex !== undefined
      ? userRoutes[httpIndex]?.route
      : tlsIndex !== undefined
        ? virtualService.spec.tls?.[tlsIndex]?.route
        : tcpIndex !== undefined
          ? virtualService.spec.tcp?.[tcpIndex]?.route
          : undefined;
  if (!destinations) throw istioConfigError(`${where} has no route to read the weights from`);

  let canaryWeight = 0;
  const experiments: ExperimentDestination[] = [];
  for (const entry of destinations) {
    const role = destinationRole(entry.destination, config, []);
    if (role === 'canary') canaryWeight = entry.weight ?? 0;
    if (role === 'other' && (entry.weight ?? 0) > 0) {
      experiments.push({
        name: shortHost(entry.destination.host),
        weight: entry.weight ?? 0,
        serviceName: entry.destination.host,
      });
    }
  }

  const headerRoutes: HeaderRoute[] = [];
  const mirrorRoutes: MirrorRoute[] = [];
  for (const name of managedRouteNames) {
    const route = http.find((candidate) => candidate.name === name);
    if (!route) continue;
    if (route.mirror) mirrorRoutes.push(readMirrorRoute(name, route));
    else headerRoutes.push(readHeaderRoute(name, route));
  }

  const state: TrafficState = { canaryWeight, headerRoutes, mirrorRoutes, experiments };
  const rule = config.destinationRule;
  if (rule && destinationRule) {
    const revision = (subsetName: string) =>
      destinationRule.spec.subsets?.find((subset) => subset.name === subsetName)?.labels?.[podTemplateHashLabel];
    const stableRevision = revision(rule.stableSubsetName);
    const canaryRevision = revision(rule.canarySubsetName);
    if (stableRevision !== undefined) state.stableRevision = stableRevision;
    if (canaryRevision !== undefined) state.canaryRevision = canaryRevision;
  }
  return state;
}

function readHeaderRoute(name: string, route: HttpRoute): HeaderRoute {
  return {
    name,
    match: (route.match ?? []).flatMap((match) =>
      Object.entries(match.headers ?? {}).map(([headerName, value]) => ({ headerName, headerValue: toStringMatch(value) })),
    ),
  };
}

function readMirrorRoute(name: string, route: HttpRoute): MirrorRoute {
  return {
    name,
    percentage: route.mirrorPercentage?.value ?? 100,
    match: (route.match ?? []).map((match) => {
      const entry: MirrorRouteMatch = {};
      if (match.method) entry.method = toStringMatch(match.method);
      if (match.uri) entry.path = toStringMatch(match.uri);
      if (match.headers) {
        entry.headers = Object.fromEntries(
          Object.entries(match.headers).map(([header, value]) => [header, toStringMatch(value)]),
        );
      }
      return entry;
    }),
  };
}

function toStringMatch(value: IstioStringMatch): StringMatch {
  const match: StringMatch = {};
  if (value.exact !== undefined) match.exact = value.exact;
  if (value.prefix !== undefined) match.prefix = value.prefix;
  if (value.regex !== undefined) match.regex = value.regex;
  return match;
}
