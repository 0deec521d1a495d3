import { TrafficRouterError } from '@gradual/core';

/**
 * The Rollout's Gateway API block, the desired state and the routes on the
 * cluster do not fit together (no rule names both Services, a prefix header
 * match). Retrying cannot help: a person must change the manifest or the route.
 */
export function gatewayApiConfigError(message: string, code = 'GATEWAY_API_CONFIG'): TrafficRouterError {
  return new TrafficRouterError('gateway-api', message, { code, retryable: false });
}
