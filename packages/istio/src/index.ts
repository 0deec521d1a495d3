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
export type { IstioDestinationRuleRef, IstioRoutingConfig } from './istio-routing-config.js';
export { parseResourceRef, type ResourceRef } from './parse-resource-ref.js';
export { readTrafficState } from './read-traffic-state.js';
export { podTemplateHashLabel, renderDestinationRule } from './render-destination-rule.js';
export { renderVirtualService } from './render-virtual-service.js';
