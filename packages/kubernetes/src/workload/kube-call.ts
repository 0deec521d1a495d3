import type { CallOptions } from '@gradual/core';
import { throwIfAborted } from '@gradual/core/adapter';
import { Observable, type ObservableMiddleware, type RequestContext } from '@kubernetes/client-node';
import { type KubernetesCallContext, toKubernetesApiError } from '../kube/kubernetes-api-error.js';

/** Per-call configuration of `@kubernetes/client-node` 1.4.0 that carries the caller's signal. */
export interface KubeCallConfiguration {
  middleware: ObservableMiddleware[];
  middlewareMergeStrategy: 'append';
}

/**
 * Runs one Kubernetes API call with the caller's signal on the request in flight (client-node 1.4.0 takes no
 * AbortSignal, but a per-call middleware can set one) and turns its failure into a `KubernetesApiError`.
 */
export async function kubeCall<T>(
  context: Omit<KubernetesCallContext, 'signal'>,
  options: CallOptions,
  run: (configuration: KubeCallConfiguration) => Promise<T>,
): Promise<T> {
  throwIfAborted(options.signal, `kubernetes ${context.verb} of ${context.resource}`);
  const signal = options.signal;
  const middleware: ObservableMiddleware = {
    pre: (request: RequestContext) => {
      request.setSignal(signal);
      return new Observable(Promise.resolve(request));
    },
    post: (response) => new Observable(Promise.resolve(response)),
  };
  try {
    return await run({ middleware: [middleware], middlewareMergeStrategy: 'append' });
  } catch (error) {
    throw toKubernetesApiError(error, { ...context, signal });
  }
}
