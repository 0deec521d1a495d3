import type { TrafficState } from '@gradual/core';
import type { GRPCRoute, GrpcRouteMatch } from './gateway-api-objects.js';
import type { GatewayApiRoutingConfig } from './gateway-api-routing-config.js';
import { narrowGrpcMatch } from './narrow-grpc-match.js';
import { type RenderRouteOptions, type RouteKind, renderRoute } from './render-route.js';

const grpcRouteKind: RouteKind<GrpcRouteMatch> = { kind: 'GRPCRoute', narrowForMirror: narrowGrpcMatch };

/**
 * The GRPCRoute twin of `renderHttpRoute`: the same weights, header rules
 * and `RequestMirror` rules; a mirror route may only add header conditions.
 */
export function renderGrpcRoute(
  current: GRPCRoute,
  config: GatewayApiRoutingConfig,
  desired: TrafficState,
  options?: RenderRouteOptions,
): GRPCRoute {
  return renderRoute(grpcRouteKind, current, config, desired, options) as GRPCRoute;
}
