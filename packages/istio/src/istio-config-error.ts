import { TrafficRouterError } from '@gradual/core';

/**
 * The Rollout's Istio block and the objects on the cluster do not fit
 * together (a route or destination is missing, a route name is ambiguous).
 * Retrying cannot help: a person must change the manifest or the object.
 */
export function istioConfigError(message: string, code = 'ISTIO_CONFIG'): TrafficRouterError {
  return new TrafficRouterError('istio', message, { code, retryable: false });
}
