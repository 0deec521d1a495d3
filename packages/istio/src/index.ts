export { createIstioTrafficRouter, type IstioTrafficRouterOptions } from './create-istio-traffic-router.js';
export type {
  Destination,
  DestinationRule,
  DestinationRuleSubset,
  HttpMatchRequest,
  HttpRoute,
  IstioStringMatch,
  ObjectMeta,
  RouteDestination,
  TcpRoute,
  TlsRoute,
  VirtualService,
} from './istio-objects.js';
export type { IstioResource } from './istio-objects-client.js';
export type { IstioDestinationRuleRef, IstioRoutingConfig, IstioVirtualServiceRef } from './istio-routing-config.js';
export { istioRoutingFromRollout } from './istio-routing-from-rollout.js';
export { istioRoutingIssues } from './istio-routing-issues.js';
export { parseResourceRef, type ResourceRef } from './parse-resource-ref.js';
export { readTrafficState } from './read-traffic-state.js';
export { podTemplateHashLabel, renderDestinationRule } from './render-destination-rule.js';
export { renderServiceSelector, type Service } from './render-service-selector.js';
export { type RenderVirtualServiceOptions, renderVirtualService } from './render-virtual-service.js';
export { validateIstioObject } from './validate-istio-object.js';
