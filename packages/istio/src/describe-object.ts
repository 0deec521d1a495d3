import type { RouteDestination } from './istio-objects.js';

/** `namespace/name` of an object, for messages. */
export function describeObject(
  kind: string,
  metadata: { name?: string | undefined; namespace?: string | undefined } | undefined,
): string {
  const name = metadata?.name ?? '(unnamed)';
  return `${kind} '${metadata?.namespace ? `${metadata.namespace}/` : ''}${name}'`;
}

/** `name` or `#index (unnamed)` of an http route, for messages. */
export function describeHttpRoute(route: { name?: string | undefined }, index: number): string {
  return route.name ? `'${route.name}'` : `#${index} (unnamed)`;
}

/** `host/subset:port=weight` for each destination, for messages. */
export function describeDestinations(destinations: readonly RouteDestination[] | undefined): string {
  if (!destinations || destinations.length === 0) return '(none)';
  return destinations
    .map(({ destination, weight }) => {
      const subset = destination.subset ? `/${destination.subset}` : '';
      const port = destination.port?.number ? `:${destination.port.number}` : '';
      return `${destination.host}${subset}${port}${weight === undefined ? '' : `=${weight}`}`;
    })
    .join(', ');
}
