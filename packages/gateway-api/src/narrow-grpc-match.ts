import type { MirrorRouteMatch } from '@gradual/core';
import type { GrpcRouteMatch } from './gateway-api-objects.js';
import { toHeaderMatch } from './to-header-match.js';

/**
 * One `matches[]` entry of a GRPCRoute mirror rule: the weighted rule's
 * match with the mirror route's header conditions added. gRPC requests are
 * matched by service and method, so an HTTP method or path condition is refused.
 */
export function narrowGrpcMatch(source: GrpcRouteMatch, mirror: MirrorRouteMatch): GrpcRouteMatch | { problem: string } {
  if (mirror.method || mirror.path)
    return { problem: 'a GRPCRoute matches by gRPC service and method: only header conditions can narrow a mirror rule' };
  const headers = [...(source.headers ?? [])];
  for (const [name, value] of Object.entries(mirror.headers ?? {})) {
    const converted = toHeaderMatch(name, value);
    if ('problem' in converted) return converted;
    headers.push(converted);
  }
  return { ...source, headers };
}
