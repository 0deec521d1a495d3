import type { HeaderRoute, MirrorRoute, StringMatch, TrafficState } from '@gradual/core';
import { destinationRole } from './destination-roles.js';
import { istioConfigError } from './istio-config-error.js';
import type { Destination, HttpMatchRequest, HttpRoute, IstioStringMatch, RouteDestination } from './istio-objects.js';
import type { IstioRoutingConfig } from './istio-routing-config.js';

/**
 * The header and mirror routes of `desired`, in `managedRoutes` order (their
 * precedence), shaped as Argo's setHeaderRoute / setMirrorRoute write them
 * (§7.4). `weighted` is the first split http route, already re-weighted.
 */
export function buildManagedRoutes(input: {
  config: IstioRoutingConfig;
  desired: TrafficState;
  weighted: HttpRoute | undefined;
  where: string;
  /** Subset-level: the DestinationRule's `spec.host`, where Argo points header and mirror routes. */
  destinationRuleHost?: string | undefined;
}): HttpRoute[] {
  const { config, desired, weighted, where } = input;
  const names = (config.managedRoutes ?? []).map((route) => route.name);
  const wanted = [...desired.headerRoutes.map((route) => route.name), ...desired.mirrorRoutes.map((route) => route.name)];
  for (const name of wanted) {
    if (!names.includes(name)) {
      throw istioConfigError(
        `route '${name}' for ${where} is not listed in trafficRouting.managedRoutes (${names.join(', ') || 'none'})`,
      );
    }
    if (wanted.filter((other) => other === name).length > 1) {
      throw istioConfigError(
        `route '${name}' for ${where} is requested more than once (header and mirror routes need distinct names)`,
      );
    }
  }
  if (wanted.length === 0) return [];
  if (!weighted) {
    throw istioConfigError(
      `header and mirror routes need an http route to split in ${where}; name one in trafficRouting.istio routes`,
    );
  }
  const canary = canaryDestination(weighted, config, desired, input.destinationRuleHost);
  return names.flatMap((name): HttpRoute[] => {
    const header = desired.headerRoutes.find((route) => route.name === name);
    if (header) return [headerRoute(header, canary, where)];
    const mirror = desired.mirrorRoutes.find((route) => route.name === name);
    if (mirror) return [mirrorRoute(mirror, canary, weighted, where)];
    return [];
  });
}

function canaryDestination(
  weighted: HttpRoute,
  config: IstioRoutingConfig,
  desired: TrafficState,
  destinationRuleHost: string | undefined,
): Destination {
  const entries = weighted.route ?? [];
  const found = entries.find((entry) => destinationRole(entry.destination, config, desired.experiments) === 'canary');
  // Argo copies the port of the weighted route's first destination.
  const port = entries[0]?.destination.port?.number;
  // Subset-level: the DestinationRule's host, as Argo writes it; without the rule at hand, the canary destination's.
  const host = config.destinationRule ? (destinationRuleHost ?? found?.destination.host ?? '') : (config.canaryService ?? '');
  return {
    host,
    ...(config.destinationRule ? { subset: config.destinationRule.canarySubsetName } : {}),
    ...(port === undefined ? {} : { port: { number: port } }),
  };
}

function headerRoute(route: HeaderRoute, canary: Destination, where: string): HttpRoute {
  return {
    name: route.name,
    match: route.match.map((match) => ({
      headers: { [match.headerName]: stringMatch(match.headerValue, `header route '${route.name}' of ${where}`) },
    })),
    route: [{ destination: { ...canary }, weight: 100 }],
  };
}

function mirrorRoute(route: MirrorRoute, canary: Destination, weighted: HttpRoute, where: string): HttpRoute {
  if (!(route.percentage >= 0 && route.percentage <= 100)) {
    throw istioConfigError(`mirror route '${route.name}' of ${where}: percentage ${route.percentage} is not between 0 and 100`);
  }
  const context = `mirror route '${route.name}' of ${where}`;
  const match = route.match.map((entry) => {
    const request: HttpMatchRequest = {};
    if (entry.method) request.method = stringMatch(entry.method, context);
    if (entry.path) request.uri = stringMatch(entry.path, context);
    if (entry.headers) {
      request.headers = Object.fromEntries(
        Object.entries(entry.headers).map(([name, value]) => [name, stringMatch(value, context)]),
      );
    }
    return request;
  });
  return {
    name: route.name,
    ...(match.length > 0 ? { match } : {}),
    route: structuredClone(weighted.route ?? []) as RouteDestination[],
    mirror: { ...canary },
    mirrorPercentage: { value: route.percentage },
  };
}

function stringMatch(value: StringMatch, context: string): IstioStringMatch {
  const keys = (['exact', 'prefix', 'regex'] as const).filter((key) => value[key] !== undefined);
  if (keys.length !== 1) {
    throw istioConfigError(`${context}: a match needs exactly one of exact, prefix, regex (got ${keys.join(', ') || 'none'})`);
  }
  const key = keys[0]!;
  return { [key]: value[key] };
}
