import {
  type CallOptions,
  CancelledError,
  GradualError,
  type RolloutSpec,
  type TrafficRouter,
  TrafficRouterError,
  type TrafficState,
  type ValidationIssue,
} from '@gradual/core';
import { throwIfAborted } from '@gradual/core/adapter';
import type { KubeConfig } from '@kubernetes/client-node';
import type { GRPCRoute, HTTPRoute } from './gateway-api-objects.js';
import { createGatewayApiObjectsClient, type RouteResource } from './gateway-api-objects-client.js';
import type { GatewayApiRoutingConfig } from './gateway-api-routing-config.js';
import { gatewayApiRoutingIssues } from './gateway-api-routing-issues.js';
import { mayHaveBeenWritten } from './may-have-been-written.js';
import { readTrafficState } from './read-traffic-state.js';
import { renderGrpcRoute } from './render-grpc-route.js';
import { renderHttpRoute } from './render-http-route.js';
import type { ResourceRef } from './resource-ref.js';
import { sameJson } from './same-json.js';
import { validateGatewayApiObject } from './validate-gateway-api-object.js';

/** Options of {@link createGatewayApiTrafficRouter}. */
export interface GatewayApiTrafficRouterOptions extends GatewayApiRoutingConfig {
  /** Namespace of the Rollout: where the routes live unless the block sets `namespace`. */
  rolloutNamespace: string;
  /** Cluster and credentials, e.g. `new KubeConfig()` then `loadFromDefault()`. */
  kubeConfig: KubeConfig;
  /** Tries per apply when the API server answers 409 Conflict or a retryable error; default 5. */
  maxAttempts?: number | undefined;
  /** First backoff between tries, doubled each time up to 2 s, on the injected clock; default 50 ms. */
  backoffMs?: number | undefined;
  /**
   * Gives up on one request after this long, on the injected clock. Off by
   * default: cancel with the call's AbortSignal instead.
   */
  requestTimeoutMs?: number | undefined;
}

interface ManagedRoute {
  resource: RouteResource;
  ref: ResourceRef;
  useHeaderRoutes: boolean;
}

/**
 * A TrafficRouter for the Kubernetes Gateway API (`@gradual/core` contract
 * v1): moves a Rollout's traffic by rewriting the `backendRefs` weights and
 * managed rules of its HTTPRoutes and GRPCRoutes, configured by the block
 * Argo's gatewayAPI plugin reads (see `gatewayApiRoutingFromRollout`).
 *
 * `apply` reads every route, renders and validates every one against
 * Gateway API's schema before it writes any, then writes only what changed.
 * Each write carries the `resourceVersion` it read: on a 409 Conflict (or
 * another retryable error) the whole apply reads again and re-renders
 * (bounded, with backoff on the injected clock), so another writer's change
 * is never lost. A weight edited by hand is put back on the next apply and
 * reported in `notes`.
 */
export function createGatewayApiTrafficRouter(options: GatewayApiTrafficRouterOptions): TrafficRouter {
  const config: GatewayApiRoutingConfig = {
    canaryService: options.canaryService,
    stableService: options.stableService,
    ...(options.managedRoutes ? { managedRoutes: options.managedRoutes } : {}),
    ...(options.disableInProgressLabel !== undefined ? { disableInProgressLabel: options.disableInProgressLabel } : {}),
    ...(options.inProgressLabelKey ? { inProgressLabelKey: options.inProgressLabelKey } : {}),
    ...(options.inProgressLabelValue ? { inProgressLabelValue: options.inProgressLabelValue } : {}),
  };
  const namespace = options.namespace ?? options.rolloutNamespace;
  const routes: ManagedRoute[] = [];
  const add = (resource: RouteResource, name: string, useHeaderRoutes: boolean) =>
    routes.push({ resource, ref: { name, namespace }, useHeaderRoutes });
  // Argo's plugin: the single-route fields use header routes, the list entries only when they say so.
  if (options.httpRoute) add('httproutes', options.httpRoute, true);
  for (const route of options.httpRoutes ?? []) add('httproutes', route.name, route.useHeaderRoutes === true);
  if (options.grpcRoute) add('grpcroutes', options.grpcRoute, true);
  for (const route of options.grpcRoutes ?? []) add('grpcroutes', route.name, route.useHeaderRoutes === true);
  if (routes.length === 0) {
    throw new TrafficRouterError('gateway-api', 'no route to manage: set httpRoute, httpRoutes, grpcRoute or grpcRoutes', {
      code: 'GATEWAY_API_CONFIG',
    });
  }
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const backoffMs = options.backoffMs ?? 50;
  const client = createGatewayApiObjectsClient({
    kubeConfig: options.kubeConfig,
    apiVersion: 'v1',
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
  });
  const kindOf = (resource: RouteResource) => (resource === 'httproutes' ? 'HTTPRoute' : 'GRPCRoute');
  const render = (route: ManagedRoute, current: HTTPRoute | GRPCRoute, desired: TrafficState) =>
    route.resource === 'httproutes'
      ? renderHttpRoute(current as HTTPRoute, config, desired, { useHeaderRoutes: route.useHeaderRoutes })
      : renderGrpcRoute(current as GRPCRoute, config, desired, { useHeaderRoutes: route.useHeaderRoutes });

  // The last state this router wrote in full: observe reports the route that differs from it.
  let lastApplied: TrafficState | undefined;

  const applyOnce = async (pass: {
    desired: TrafficState;
    call: CallOptions;
    attempt: number;
    drift: boolean;
    notes: string[];
    wrote: () => void;
  }): Promise<void> => {
    const current: (HTTPRoute | GRPCRoute)[] = [];
    for (const route of routes) current.push((await client.get(route.resource, route.ref, pass.call)) as unknown as HTTPRoute);
    // Render and validate everything before writing anything: a bad render leaves every route as it was.
    const next = routes.map((route, i) => render(route, current[i]!, pass.desired));
    for (const [i, route] of routes.entries()) {
      if (!sameJson(next[i], current[i])) validateGatewayApiObject(route.resource, next[i]!);
    }
    for (const [i, route] of routes.entries()) {
      if (sameJson(next[i], current[i])) continue;
      try {
        await client.replace(route.resource, route.ref, next[i] as unknown as Record<string, unknown>, pass.call);
        pass.wrote();
      } catch (error) {
        if (mayHaveBeenWritten(error)) pass.wrote();
        throw error;
      }
      const what = `${kindOf(route.resource)} '${route.ref.namespace}/${route.ref.name}'`;
      if (pass.drift) pass.notes.push(`drift put back on ${what}`);
      if (pass.attempt > 1) pass.notes.push(`${what} written after ${pass.attempt - 1} retried conflict(s) or error(s)`);
    }
  };

  const anyManagedRules = routes.some((route) => route.useHeaderRoutes);
  return {
    specificationVersion: 'v1',
    name: 'gateway-api',
    capabilities: { headerRoutes: anyManagedRules, mirrorRoutes: anyManagedRules, experiments: true, weightGranularity: 1 },
    validate: (spec: RolloutSpec): ValidationIssue[] => gatewayApiRoutingIssues(spec),

    async apply(desired, call) {
      throwIfAborted(call.signal, 'gateway-api apply');
      const notes: string[] = [];
      let changed = false;
      for (let attempt = 1; ; attempt++) {
        try {
          await applyOnce({
            desired,
            call,
            attempt,
            drift: call.drifted === true,
            notes,
            wrote: () => {
              changed = true;
            },
          });
          break;
        } catch (error) {
          // isInstance rather than instanceof: the error may come from another copy of @gradual/core.
          const retryable =
            GradualError.isInstance(error) &&
            (error as TrafficRouterError).retryable === true &&
            !CancelledError.isCancellation(error);
          if (!retryable || attempt >= maxAttempts) {
            if (retryable && attempt > 1) {
              throw new TrafficRouterError('gateway-api', `${error.message} (gave up after ${attempt} attempts)`, {
                code: (error as TrafficRouterError).code,
                retryable: true,
                cause: error,
              });
            }
            throw error;
          }
          call.logger?.debug('gateway-api: retrying', { attempt, error: String(error) });
          await call.clock.sleep(Math.min(2000, backoffMs * 2 ** (attempt - 1)), call.signal);
        }
      }
      lastApplied = structuredClone(desired);
      return notes.length > 0 ? { changed, notes } : { changed };
    },

    async observe(call) {
      throwIfAborted(call.signal, 'gateway-api observe');
      const states: TrafficState[] = [];
      for (const route of routes) {
        const object = (await client.get(route.resource, route.ref, call)) as unknown as HTTPRoute;
        states.push(readTrafficState(object, config));
      }
      // The first route whose weights differ from what this router last applied, so a hand edit of any shows as drift.
      const weights = (state: TrafficState) => [state.canaryWeight, ...state.experiments.map((e) => `${e.name}=${e.weight}`)];
      const state =
        (lastApplied && states.find((candidate) => !sameJson(weights(candidate), weights(lastApplied!)))) ?? states[0]!;
      // Managed rules live only on routes with useHeaderRoutes: read them from the first such route.
      const withRules = states[routes.findIndex((route) => route.useHeaderRoutes)];
      return withRules ? { ...state, headerRoutes: withRules.headerRoutes, mirrorRoutes: withRules.mirrorRoutes } : state;
    },
  };
}
