import { throwIfAborted } from '@gradual/core/adapter';
import { type KubernetesCallContext, toKubernetesApiError } from './kubernetes-api-error.js';
import { type KubeCallConfiguration, signalConfiguration } from './signal-configuration.js';

/**
 * Runs one `@kubernetes/client-node` call with the caller's AbortSignal on the request in flight
 * (`signalConfiguration`); a failure becomes a `KubernetesApiError` (or a `CancelledError`).
 */
export async function kubeCall<T>(
  context: KubernetesCallContext & { signal: AbortSignal },
  run: (configuration: KubeCallConfiguration) => Promise<T>,
): Promise<T> {
  throwIfAborted(context.signal, `kubernetes ${context.verb} of ${context.resource}${context.name ? ` '${context.name}'` : ''}`);
  try {
    return await run(signalConfiguration(context.signal));
  } catch (error) {
    throw toKubernetesApiError(error, context);
  }
}
