import { CancelledError, TrafficRouterError } from '@gradual/core';
import { ApiException } from '@kubernetes/client-node';

/** What the router was doing when a call failed, for the message. */
export interface KubeCallContext {
  /** Kubernetes verb: get, update, ... */
  verb: string;
  /** Plural resource, e.g. `httproutes`. */
  resource: string;
  kind: string;
  name: string;
  namespace: string;
  /** The caller's signal: if it fired, the failure is a cancellation. */
  signal: AbortSignal;
  /** Set when our own request timeout fired. */
  timeoutMs?: number | undefined;
  server?: string | undefined;
}

/**
 * Turns a failure of `@kubernetes/client-node` into an error a person can
 * act on: which object, which verb, what the API server said, and whether a
 * retry can help. Cancellation stays a cancellation.
 */
export function toTrafficRouterError(error: unknown, context: KubeCallContext): Error {
  const object = `${context.kind} '${context.name}' in namespace '${context.namespace}'`;
  if (context.signal.aborted) return new CancelledError(`gateway-api ${context.verb} of ${object}`, context.signal.reason);
  if (context.timeoutMs !== undefined) {
    return new TrafficRouterError('gateway-api', `timed out after ${context.timeoutMs} ms: ${context.verb} ${object}`, {
      code: 'TIMEOUT',
      retryable: true,
      cause: error,
    });
  }
  if (error instanceof ApiException) {
    const status = readStatus(error.body);
    const said = status?.message ? `: ${status.message}` : '';
    const code = error.code;
    const options = (errorCode: string, retryable: boolean) => ({ code: errorCode, retryable, cause: error });
    if (code === 404) {
      return new TrafficRouterError(
        'gateway-api',
        `${object} not found (${qualified(context.resource)}); create it or fix trafficRouting.plugins["argoproj-labs/gatewayAPI"]`,
        options('NOT_FOUND', false),
      );
    }
    if (code === 403) {
      return new TrafficRouterError(
        'gateway-api',
        `forbidden to ${context.verb} ${qualified(context.resource)} '${context.name}' in namespace '${context.namespace}'; grant the verb "${context.verb}" on "${context.resource}" to the caller's identity${said}`,
        options('FORBIDDEN', false),
      );
    }
    if (code === 401)
      return new TrafficRouterError(
        'gateway-api',
        `not authenticated to the Kubernetes API server${said}`,
        options('UNAUTHORIZED', false),
      );
    if (code === 409)
      return new TrafficRouterError('gateway-api', `conflict writing ${object}${said}`, options('CONFLICT', true));
    if (code === 422 || code === 400) {
      return new TrafficRouterError('gateway-api', `the API server rejected ${object}${said}`, options('REJECTED', false));
    }
    if (code === 429 || code >= 500) {
      return new TrafficRouterError(
        'gateway-api',
        `the API server failed to ${context.verb} ${object} (HTTP ${code})${said}`,
        options('SERVER_ERROR', true),
      );
    }
    return new TrafficRouterError(
      'gateway-api',
      `${context.verb} ${object} failed with HTTP ${code}${said}`,
      options('HTTP_ERROR', false),
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new TrafficRouterError(
    'gateway-api',
    `cannot reach the Kubernetes API server${context.server ? ` at ${context.server}` : ''} to ${context.verb} ${object}: ${message}`,
    { code: 'UNREACHABLE', retryable: true, cause: error },
  );
}

/** `httproutes.gateway.networking.k8s.io`. */
function qualified(resource: string): string {
  return `${resource}.gateway.networking.k8s.io`;
}

function readStatus(body: unknown): { message?: string | undefined; reason?: string | undefined } | undefined {
  let value: unknown = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return body ? { message: body } : undefined;
    }
  }
  if (typeof value === 'object' && value !== null) return value as { message?: string | undefined; reason?: string | undefined };
  return undefined;
}
