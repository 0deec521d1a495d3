import type { CallOptions } from '@gradual/core';
import {
  CustomObjectsApi,
  type KubeConfig,
  Observable,
  type ObservableMiddleware,
  type RequestContext,
} from '@kubernetes/client-node';
import type { ResourceRef } from './resource-ref.js';
import { toTrafficRouterError } from './to-traffic-router-error.js';

/** The Gateway API route resources the router reads and writes. */
export type RouteResource = 'httproutes' | 'grpcroutes';

const kindOf: Record<RouteResource, string> = { httproutes: 'HTTPRoute', grpcroutes: 'GRPCRoute' };

/** get and replace of Gateway API routes through `@kubernetes/client-node`, with cancellation and readable errors. */
export interface GatewayApiObjectsClient {
  get(resource: RouteResource, ref: ResourceRef, options: CallOptions): Promise<Record<string, unknown>>;
  /** PUT with the object's `metadata.resourceVersion`: the API server answers 409 if someone wrote in between. */
  replace(
    resource: RouteResource,
    ref: ResourceRef,
    object: Record<string, unknown>,
    options: CallOptions,
  ): Promise<Record<string, unknown>>;
}

export interface GatewayApiObjectsClientOptions {
  kubeConfig: KubeConfig;
  /** Served version of gateway.networking.k8s.io. */
  apiVersion: string;
  /** Gives up on one request after this long, measured on the injected clock. */
  requestTimeoutMs?: number | undefined;
}

/** client-node 1.4.0 takes no AbortSignal, but its per-call middleware can set one on the request in flight. */
function signalMiddleware(signal: AbortSignal): ObservableMiddleware {
  return {
    pre: (context: RequestContext) => {
      context.setSignal(signal);
      return new Observable(Promise.resolve(context));
    },
    post: (response) => new Observable(Promise.resolve(response)),
  };
}

export function createGatewayApiObjectsClient(options: GatewayApiObjectsClientOptions): GatewayApiObjectsClient {
  const api = options.kubeConfig.makeApiClient(CustomObjectsApi);
  const server = options.kubeConfig.getCurrentCluster()?.server;

  const call = async <T>(
    verb: string,
    resource: RouteResource,
    ref: ResourceRef,
    callOptions: CallOptions,
    run: (configuration: { middleware: ObservableMiddleware[]; middlewareMergeStrategy: 'append' }) => Promise<T>,
  ): Promise<T> => {
    const request = new AbortController();
    const forward = () => request.abort(callOptions.signal.reason);
    callOptions.signal.addEventListener('abort', forward, { once: true });
    const timer = new AbortController();
    let timedOut = false;
    if (options.requestTimeoutMs !== undefined) {
      callOptions.clock.sleep(options.requestTimeoutMs, timer.signal).then(
        () => {
          timedOut = true;
          request.abort(new Error(`timed out after ${options.requestTimeoutMs} ms`));
        },
        () => {},
      );
    }
    try {
      if (callOptions.signal.aborted) forward();
      return await run({ middleware: [signalMiddleware(request.signal)], middlewareMergeStrategy: 'append' });
    } catch (error) {
      throw toTrafficRouterError(error, {
        verb,
        resource,
        kind: kindOf[resource],
        name: ref.name,
        namespace: ref.namespace,
        signal: callOptions.signal,
        ...(timedOut && options.requestTimeoutMs !== undefined ? { timeoutMs: options.requestTimeoutMs } : {}),
        ...(server ? { server } : {}),
      });
    } finally {
      callOptions.signal.removeEventListener('abort', forward);
      timer.abort();
    }
  };

  const target = (resource: RouteResource, ref: ResourceRef) => ({
    group: 'gateway.networking.k8s.io',
    version: options.apiVersion,
    namespace: ref.namespace,
    plural: resource,
    name: ref.name,
  });

  return {
    get: (resource, ref, callOptions) =>
      call('get', resource, ref, callOptions, (configuration) =>
        api.getNamespacedCustomObject(target(resource, ref), configuration),
      ),
    replace: (resource, ref, object, callOptions) =>
      call('update', resource, ref, callOptions, (configuration) =>
        api.replaceNamespacedCustomObject({ ...target(resource, ref), body: object }, configuration),
      ),
  };
}
