import { describeHttpRoute } from './describe-object.js';
import { istioConfigError } from './istio-config-error.js';
import type { HttpRoute, TcpRoute, TlsRoute } from './istio-objects.js';
import type { IstioVirtualServiceRef } from './istio-routing-config.js';

/**
 * Indexes (into `routes`, the VirtualService's user routes) of the http
 * routes to split. Where Argo Rollouts silently changes nothing (routes
 * omitted while several candidates exist, argo-rollouts#4741) this throws,
 * naming the VirtualService and the routes it has.
 */
export function selectHttpRoutes(input: {
  routes: readonly HttpRoute[];
  ref: IstioVirtualServiceRef;
  managedRouteNames: readonly string[];
  where: string;
}): number[] {
  const { routes, ref, managedRouteNames, where } = input;
  const existing = () =>
    routes.length === 0 ? 'it has no http routes' : `its http routes are: ${routes.map(describeHttpRoute).join(', ')}`;
  if (ref.routes && ref.routes.length > 0) {
    return ref.routes.map((name) => {
      if (managedRouteNames.includes(name)) {
        throw istioConfigError(`HTTP route '${name}' of ${where} is listed in both routes and managedRoutes`);
      }
      const index = routes.findIndex((route) => route.name === name);
      if (index < 0)
        throw istioConfigError(`HTTP route '${name}' is not found in ${where}; ${existing()}`, 'ISTIO_ROUTE_NOT_FOUND');
      return index;
    });
  }
  if ((ref.tlsRoutes?.length ?? 0) > 0 || (ref.tcpRoutes?.length ?? 0) > 0) return [];
  if (routes.length === 1) return [0];
  throw istioConfigError(
    `${where} needs its http route names listed in trafficRouting.istio routes (Argo Rollouts would silently change nothing here); ${existing()}`,
    'ISTIO_ROUTE_AMBIGUOUS',
  );
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((value) => b.includes(value)) && b.every((value) => a.includes(value));

const describeTls = (route: TlsRoute, index: number) =>
  `#${index} (${(route.match ?? []).map((m) => `port ${m.port ?? '*'} sniHosts [${(m.sniHosts ?? []).join(', ')}]`).join('; ') || 'no match'})`;

/**
 * Indexes of the tls routes named by port and SNI hosts in `ref.tlsRoutes`,
 * as Argo matches them (§7.2): the route's matches name exactly one port,
 * the wanted one, and its SNI hosts (over all its matches) are the wanted
 * set; an entry with neither picks the only route.
 */
export function selectTlsRoutes(input: { routes: readonly TlsRoute[]; ref: IstioVirtualServiceRef; where: string }): number[] {
  const { routes, ref, where } = input;
  const selected = new Set<number>();
  for (const wanted of ref.tlsRoutes ?? []) {
    const wantedHosts = wanted.sniHosts ?? [];
    const found =
      wanted.port === undefined && wantedHosts.length === 0
        ? routes.length === 1
          ? [0]
          : []
        : routes.flatMap((route, index) => {
            const matches = route.match ?? [];
            const ports = new Set(matches.flatMap((m) => (m.port === undefined ? [] : [m.port])));
            const hosts = [...new Set(matches.flatMap((m) => m.sniHosts ?? []))];
            const portMatches = wanted.port === undefined || (ports.size === 1 && ports.has(wanted.port));
            const hostsMatch = wantedHosts.length === 0 || sameSet(hosts, wantedHosts);
            return portMatches && hostsMatch ? [index] : [];
          });
    if (found.length === 0) {
      throw istioConfigError(
        `TLS route with port ${wanted.port ?? '(any)'} and sniHosts [${wantedHosts.join(', ')}] is not found in ${where}; its tls routes are: ${routes.map(describeTls).join(', ') || '(none)'}`,
        'ISTIO_ROUTE_NOT_FOUND',
      );
    }
    for (const index of found) selected.add(index);
  }
  return [...selected];
}

/** Indexes of the tcp routes named by port in `ref.tcpRoutes`. */
export function selectTcpRoutes(input: { routes: readonly TcpRoute[]; ref: IstioVirtualServiceRef; where: string }): number[] {
  const { routes, ref, where } = input;
  const selected = new Set<number>();
  for (const wanted of ref.tcpRoutes ?? []) {
    const found = selectByMatch(
      routes,
      wanted.port === undefined,
      (match) => (match as { port?: number | undefined }).port === wanted.port,
    );
    if (found.length === 0) {
      const ports = routes.map(
        (route, index) => `#${index} (ports ${(route.match ?? []).map((m) => m.port ?? '*').join(', ') || '*'})`,
      );
      throw istioConfigError(
        `TCP route with port ${wanted.port ?? '(any)'} is not found in ${where}; its tcp routes are: ${ports.join(', ') || '(none)'}`,
        'ISTIO_ROUTE_NOT_FOUND',
      );
    }
    for (const index of found) selected.add(index);
  }
  return [...selected];
}

function selectByMatch(
  routes: readonly (TlsRoute | TcpRoute)[],
  unspecified: boolean,
  matches: (match: unknown) => boolean,
): number[] {
  // An entry without port or SNI means "the only route", as Argo's index-0 default, but never a guess among several.
  if (unspecified) return routes.length === 1 ? [0] : [];
  return routes.flatMap((route, index) => ((route.match ?? []).some(matches) ? [index] : []));
}
