import type { Clock } from '@gradual/core';
import { CoordinationV1Api, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import { toKubernetesApiError } from '../kube/kubernetes-api-error.js';
import { type KubeCallConfiguration, signalConfiguration } from '../kube/signal-configuration.js';

/** get/list/create/replace/delete of `coordination.k8s.io/v1` Leases in one namespace, cancellable, with readable errors. */
export interface LeaseClient {
  get(name: string, signal: AbortSignal): Promise<V1Lease>;
  list(signal: AbortSignal): Promise<V1Lease[]>;
  create(lease: V1Lease, signal: AbortSignal): Promise<V1Lease>;
  /** PUT with the lease's `metadata.resourceVersion`: a 409 if anyone wrote in between. */
  replace(lease: V1Lease, signal: AbortSignal): Promise<V1Lease>;
  /** DELETE with a resourceVersion precondition when given. */
  delete(name: string, resourceVersion: string | undefined, signal: AbortSignal): Promise<void>;
}

/** Options of {@link createLeaseClient}. */
export interface LeaseClientOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  clock: Clock;
  /** Gives up on one request after this long on `clock` (a hung request must not outlive a renew deadline). */
  requestTimeoutMs: number;
}

const resource = 'leases.coordination.k8s.io';

/** Creates a {@link LeaseClient}. */
export function createLeaseClient(options: LeaseClientOptions): LeaseClient {
  const api = options.kubeConfig.makeApiClient(CoordinationV1Api);
  const { namespace, clock } = options;

  const call = async <T>(
    verb: string,
    name: string | undefined,
    signal: AbortSignal,
    run: (configuration: KubeCallConfiguration) => Promise<T>,
  ): Promise<T> => {
    const request = new AbortController();
    const forward = () => request.abort(signal.reason);
    signal.addEventListener('abort', forward, { once: true });
    const timer = new AbortController();
    clock.sleep(options.requestTimeoutMs, timer.signal).then(
      () => request.abort(new Error(`timed out after ${options.requestTimeoutMs} ms`)),
      () => {},
    );
    try {
      if (signal.aborted) forward();
      return await run(signalConfiguration(request.signal));
    } catch (error) {
      throw toKubernetesApiError(error, { verb, resource, name, namespace, signal });
    } finally {
      signal.removeEventListener('abort', forward);
      timer.abort();
    }
  };

  return {
    get: (name, signal) =>
      call('get', name, signal, (configuration) => api.readNamespacedLease({ name, namespace }, configuration)),
    list: async (signal) =>
      (await call('list', undefined, signal, (configuration) => api.listNamespacedLease({ namespace }, configuration))).items,
    create: (lease, signal) =>
      call('create', lease.metadata?.name, signal, (configuration) =>
        api.createNamespacedLease({ namespace, body: lease }, configuration),
      ),
    replace: (lease, signal) => {
      const name = lease.metadata?.name ?? '';
      return call('update', name, signal, (configuration) =>
        api.replaceNamespacedLease({ name, namespace, body: lease }, configuration),
      );
    },
    delete: async (name, resourceVersion, signal) => {
      await call('delete', name, signal, (configuration) =>
        api.deleteNamespacedLease(
          { name, namespace, ...(resourceVersion ? { body: { preconditions: { resourceVersion } } } : {}) },
          configuration,
        ),
      );
    },
  };
}
