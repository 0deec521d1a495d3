import { type RolloutSpec, type TrafficState, ValidationError } from '@gradual/core';
import {
  type GRPCRoute,
  gatewayApiRoutingFromRollout,
  type HTTPRoute,
  renderGrpcRoute,
  renderHttpRoute,
} from '@gradual/gateway-api';
import {
  type DestinationRule,
  istioRoutingFromRollout,
  parseResourceRef,
  renderDestinationRule,
  renderVirtualService,
  type VirtualService,
} from '@gradual/istio';

/** The routers `gradual render` knows. */
export type RenderRouter = 'istio' | 'gateway-api';

/** What `renderTrafficStates` turns into objects. */
export interface RenderInput {
  spec: RolloutSpec;
  router: RenderRouter;
  /** The objects as they are now (VirtualServices, DestinationRules, HTTPRoutes, GRPCRoutes); others are ignored. */
  objects: readonly unknown[];
  /** The traffic states, in order (e.g. a simulation's). */
  states: readonly TrafficState[];
  /** The Rollout's namespace; default `default`. */
  namespace?: string | undefined;
}

/** One distinct traffic state and the objects it writes. */
export interface RenderedState {
  state: TrafficState;
  objects: object[];
}

/**
 * The objects the router would write for each traffic state, with the
 * routers' own pure transforms; a state whose objects equal the previous
 * ones (or the objects as given) is left out, so the list is what a
 * reviewer would see change.
 *
 * @throws ValidationError when none of the objects is one the Rollout's router config names.
 */
export function renderTrafficStates(input: RenderInput): RenderedState[] {
  const namespace = input.namespace ?? input.spec.namespace ?? 'default';
  const render = input.router === 'istio' ? istioRenderer(input, namespace) : gatewayRenderer(input, namespace);
  const rendered: RenderedState[] = [];
  let previous = JSON.stringify(input.objects.filter((o) => render.selects(o)));
  for (const state of input.states) {
    const objects = render.objects(state);
    const text = JSON.stringify(objects);
    if (text === previous) continue;
    previous = text;
    rendered.push({ state: structuredClone(state), objects });
  }
  return rendered;
}

interface Renderer {
  selects(object: unknown): boolean;
  objects(state: TrafficState): object[];
}

function istioRenderer(input: RenderInput, namespace: string): Renderer {
  const config = istioRoutingFromRollout(input.spec);
  const refs = [...(config.virtualService ? [config.virtualService] : []), ...(config.virtualServices ?? [])];
  const names = new Set(refs.map((ref) => parseResourceRef(ref.name, namespace).name));
  const isVirtualService = (o: unknown): o is VirtualService => kindOf(o) === 'VirtualService' && names.has(nameOf(o));
  const isRule = (o: unknown): o is DestinationRule =>
    kindOf(o) === 'DestinationRule' &&
    config.destinationRule !== undefined &&
    parseResourceRef(config.destinationRule.name, namespace).name === nameOf(o);
  const services = input.objects.filter(isVirtualService);
  const rules = input.objects.filter(isRule);
  const missing = [...names].filter((name) => !services.some((vs) => nameOf(vs) === name));
  if (missing.length > 0) {
    throw new ValidationError('render --from', [
      {
        path: 'spec.strategy.canary.trafficRouting.istio',
        message: `VirtualService ${missing.map((n) => `"${n}"`).join(', ')} not in the files given with --from`,
      },
    ]);
  }
  return {
    selects: (o) => isVirtualService(o) || isRule(o),
    objects: (state) => [
      ...services.map((vs) => renderVirtualService(vs, config, state, { namespace })),
      ...rules.map((rule) => renderDestinationRule(rule, config, state)),
    ],
  };
}

function gatewayRenderer(input: RenderInput, namespace: string): Renderer {
  const config = gatewayApiRoutingFromRollout(input.spec);
  const http = new Set([...(config.httpRoute ? [config.httpRoute] : []), ...(config.httpRoutes ?? []).map((r) => r.name)]);
  const grpc = new Set([...(config.grpcRoute ? [config.grpcRoute] : []), ...(config.grpcRoutes ?? []).map((r) => r.name)]);
  const isHttp = (o: unknown): o is HTTPRoute => kindOf(o) === 'HTTPRoute' && http.has(nameOf(o));
  const isGrpc = (o: unknown): o is GRPCRoute => kindOf(o) === 'GRPCRoute' && grpc.has(nameOf(o));
  const routes = input.objects.filter((o) => isHttp(o) || isGrpc(o));
  const missing = [...http, ...grpc].filter((name) => !routes.some((r) => nameOf(r) === name));
  if (missing.length > 0) {
    throw new ValidationError('render --from', [
      {
        path: 'spec.strategy.canary.trafficRouting.plugins',
        message: `route ${missing.map((n) => `"${n}"`).join(', ')} not in the files given with --from (namespace ${namespace})`,
      },
    ]);
  }
  return {
    selects: (o) => isHttp(o) || isGrpc(o),
    objects: (state) =>
      routes.map((route) =>
        isHttp(route) ? renderHttpRoute(route, config, state) : renderGrpcRoute(route as GRPCRoute, config, state),
      ),
  };
}

function kindOf(object: unknown): string | undefined {
  return typeof object === 'object' && object !== null ? ((object as { kind?: unknown }).kind as string | undefined) : undefined;
}

function nameOf(object: unknown): string {
  return String((object as { metadata?: { name?: unknown } | undefined }).metadata?.name ?? '');
}
