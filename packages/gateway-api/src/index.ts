export {
  createGatewayApiTrafficRouter,
  type GatewayApiTrafficRouterOptions,
} from './create-gateway-api-traffic-router.js';
export type {
  BackendRef,
  GRPCRoute,
  GrpcRouteMatch,
  GrpcRouteRule,
  HeaderMatch,
  HTTPRoute,
  HttpPathMatch,
  HttpRouteMatch,
  HttpRouteRule,
  ObjectMeta,
  RouteFilter,
} from './gateway-api-objects.js';
export type { RouteResource } from './gateway-api-objects-client.js';
export {
  type GatewayApiRouteRef,
  type GatewayApiRoutingConfig,
  gatewayApiPluginName,
} from './gateway-api-routing-config.js';
export { gatewayApiRoutingFromRollout } from './gateway-api-routing-from-rollout.js';
export { gatewayApiRoutingIssues } from './gateway-api-routing-issues.js';
export { readTrafficState } from './read-traffic-state.js';
export { renderGrpcRoute } from './render-grpc-route.js';
export { renderHttpRoute } from './render-http-route.js';
export { defaultInProgressLabel, experimentBackendsAnnotation, type RenderRouteOptions } from './render-route.js';
export { validateGatewayApiObject } from './validate-gateway-api-object.js';
