import type { CallOptions } from '@gradual/core';
import {
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  Observable,
  type ObservableMiddleware,
  PatchStrategy,
  type RequestContext,
  setHeaderOptions,
} from '@kubernetes/client-node';
import type { ResourceRef } from './parse-resource-ref.js';
import { toTrafficRouterError } from './to-traffic-router-error.js';

/** The two Istio resources the router reads and writes. */
export type IstioResource = 'virtualservices' | 'destinationrules';

/** Everything the router may read and write: Istio's resources and (host-level, opt-in) core Services. */
export type RoutedResource = IstioResource | 'services';

const kindOf: Record<RoutedResource, string> = {
  virtualservices: 'VirtualService',
  destinationrules: 'DestinationRule',
  services: 'Service',
};

/** get and replace of Istio objects (and Services) through `@kubernetes/client-node`, with cancellation and readable errors. */
export interface IstioObjectsClient {
  get(resource: RoutedResource, ref: ResourceRef, options: CallOptions): Promise<Record<string, unknown>>;
  /** PUT with the object's `metadata.resourceVersion`: the API server answers 409 if someone wrote in between. */
  replace(
    resource: IstioResource,
    ref: ResourceRef,
    object: Record<string, unknown>,
    options: CallOptions,
  ): Promise<Record<string, unknown>>;
  /**
   * JSON merge patch (RFC 7386). With `metadata.resourceVersion` in the
   * patch the API server answers 409 if someone wrote in between. Used for
   * Services: client-node's typed model would drop the fields it does not
   * know on a full replace.
   */
  mergePatch(
    resource: RoutedResource,
    ref: ResourceRef,
    patch: Record<string, unknown>,
    options: CallOptions,
  ): Promise<Record<string, unknown>>;
}

export interface IstioObjectsClientOptions {
  kubeConfig: KubeConfig;
  /** Served version of networking.istio.io to use. */
  apiVersion: string;
  /** Gives up on one request after this long, measured on the injected clock. */
  requestTimeoutMs?: number | undefined;
}

/**
 * client-node 1.4.0 takes no AbortSignal argument, but every call accepts
 * per-call middleware and its RequestContext has `setSignal`, which its
 * fetch (node-fetch) honours: the signal aborts the request in flight.
 */
function signalMiddleware(signal: AbortSignal): ObservableMiddleware {
  return {
    pre: (context: RequestContext) => {
      context.setSignal(signal);
      return new Observable(Promise.resolve(context));
    },
    post: (response) => new Observable(Promise.resolve(response)),
  };
}

export function createIstioObjectsClient(options: IstioObjectsClientOptions): IstioObjectsClient {
  const api = options.kubeConfig.makeApiClient(CustomObjectsApi);
  const core = options.kubeConfig.makeApiClient(CoreV1Api);
  const server = options.kubeConfig.getCurrentCluster()?.server;

  const call = async <T>(
    verb: string,
    resource: RoutedResource,
    ref: ResourceRef,
    callOptions: CallOptions,
    run: (configuration: {
      middleware: ObservableMiddleware[];
      middlewareMergeStrategy: 'append' | 'prepend' | 'replace';
    }) => Promise<T>,
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
        ...(timedOut ? { timeoutMs: options.requestTimeoutMs } : {}),
        ...(server ? { server } : {}),
      });
    } finally {
      callOptions.signal.removeEventListener('abort', forward);
      timer.abort();
    }
  };

  const target = (resource: RoutedResource, ref: ResourceRef) => ({
    group: 'networking.istio.io',
    version: options.apiVersion,
    namespace: ref.namespace,
    plural: resource,
    name: ref.name,
  });

  return {
    get: (resource, ref, callOptions) =>
      call('get', resource, ref, callOptions, async (configuration) =>
        resource === 'services'
          ? ((await core.readNamespacedService(ref, configuration)) as unknown as Record<string, unknown>)
          : api.getNamespacedCustomObject(target(resource, ref), configuration),
      ),
    replace: (resource, ref, object, callOptions) =>
      call('update', resource, ref, callOptions, (configuration) =>
        api.replaceNamespacedCustomObject({ ...target(resource, ref), body: object }, configuration),
      ),
    mergePatch: (resource, ref, patch, callOptions) =>
      call('patch', resource, ref, callOptions, async (configuration) => {
        const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch, configuration);
        return resource === 'services'
          ? ((await core.patchNamespacedService({ ...ref, body: patch }, merge)) as unknown as Record<string, unknown>)
          : api.patchNamespacedCustomObject({ ...target(resource, ref), body: patch }, merge);
      }),
  };
}
