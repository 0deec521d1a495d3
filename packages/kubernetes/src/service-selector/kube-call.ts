import { throwIfAborted } from '@gradual/core/adapter';
import { type ConfigurationOptions, Observable, type RequestContext } from '@kubernetes/client-node';
import { type KubernetesCallContext, toKubernetesApiError } from '../kube/kubernetes-api-error.js';

/**
 * Runs one `@kubernetes/client-node` call with the caller's AbortSignal on
 * the request: client-node 1.4.0 takes no signal argument, but its per-call
 * middleware can set one on the RequestContext, which its fetch honours.
 * A failure becomes a `KubernetesApiError` (or a `CancelledError`).
 */
export async function kubeCall<T>(
  context: KubernetesCallContext & { signal: AbortSignal },
  run: (configuration: ConfigurationOptions) => Promise<T>,
): Promise<T> {
  const what = `kubernetes ${context.verb} of ${context.resource}${context.name ? ` '${context.name}'` : ''}`;
  throwIfAborted(context.signal, what);
  const configuration: ConfigurationOptions = {
    middleware: [
      {
        pre: (request: RequestContext) => {
          request.setSignal(context.signal);
          return new Observable(Promise.resolve(request));
        },
        post: (response) => new Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
  try {
    return await run(configuration);
  } catch (error) {
    throw toKubernetesApiError(error, context);
  }
}
