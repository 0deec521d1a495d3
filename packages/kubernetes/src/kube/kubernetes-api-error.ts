import { CancelledError, GradualError } from '@gradual/core';
import { ApiException } from '@kubernetes/client-node';

const marker = Symbol.for('gradual.error.KubernetesApiError');

/** What was being done when a Kubernetes API call failed, for the message. */
export interface KubernetesCallContext {
  /** Kubernetes verb: get, list, create, update, patch, delete, watch. */
  verb: string;
  /** Plural resource with its group, e.g. `replicasets.apps`. */
  resource: string;
  /** Object name; absent for list and watch. */
  name?: string | undefined;
  namespace?: string | undefined;
  /** The caller's signal: when it fired, the failure is a cancellation. */
  signal?: AbortSignal | undefined;
}

/**
 * A failed Kubernetes API call: which object, which verb, what the server said
 * (`status`, `reason`) and whether a retry can help. `code` is
 * `KUBERNETES_<REASON>` (e.g. `KUBERNETES_CONFLICT`, `KUBERNETES_NOT_FOUND`).
 */
export class KubernetesApiError extends GradualError {
  readonly [marker] = true;
  /** HTTP status, or 0 when no answer came. */
  readonly status: number;
  readonly retryable: boolean;

  constructor(message: string, options: { status: number; reason: string; retryable: boolean; cause?: unknown }) {
    super(`KUBERNETES_${options.reason}`, message, { cause: options.cause });
    this.name = 'KubernetesApiError';
    this.status = options.status;
    this.retryable = options.retryable;
  }

  static override isInstance(error: unknown): error is KubernetesApiError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }

  /** A 409 on a write with a stale resourceVersion (or AlreadyExists on a create). */
  static isConflict(error: unknown): boolean {
    return KubernetesApiError.isInstance(error) && error.status === 409;
  }

  static isNotFound(error: unknown): boolean {
    return KubernetesApiError.isInstance(error) && error.status === 404;
  }
}

/**
 * Turns a failure of `@kubernetes/client-node` into a `KubernetesApiError` a
 * person can act on. Cancellation stays a `CancelledError`.
 */
export function toKubernetesApiError(error: unknown, context: KubernetesCallContext): Error {
  if (KubernetesApiError.isInstance(error) || CancelledError.isInstance(error)) return error;
  const object = context.name
    ? `${context.resource} '${context.name}'${context.namespace ? ` in namespace '${context.namespace}'` : ''}`
    : `${context.resource}${context.namespace ? ` in namespace '${context.namespace}'` : ''}`;
  if (context.signal?.aborted) return new CancelledError(`kubernetes ${context.verb} of ${object}`, context.signal.reason);
  if (error instanceof ApiException) {
    const status = error.code;
    const said = serverMessage(error.body);
    const suffix = said ? `: ${said}` : '';
    const fail = (reason: string, retryable: boolean, text: string) =>
      new KubernetesApiError(text, { status, reason, retryable, cause: error });
    if (status === 404) return fail('NOT_FOUND', false, `${object} not found${suffix}`);
    if (status === 409) return fail('CONFLICT', true, `conflict on ${context.verb} of ${object}${suffix}`);
    if (status === 410) return fail('GONE', true, `${context.verb} of ${object}: resource version too old${suffix}`);
    if (status === 403)
      return fail(
        'FORBIDDEN',
        false,
        `forbidden to ${context.verb} ${object}; grant the verb "${context.verb}" on "${context.resource}" to the caller's identity${suffix}`,
      );
    if (status === 401) return fail('UNAUTHORIZED', false, `not authenticated to the Kubernetes API server${suffix}`);
    if (status === 400 || status === 422)
      return fail('INVALID', false, `the API server rejected ${context.verb} of ${object}${suffix}`);
    if (status === 429 || status >= 500)
      return fail('SERVER_ERROR', true, `the API server failed to ${context.verb} ${object} (HTTP ${status})${suffix}`);
    return fail('HTTP_ERROR', false, `${context.verb} of ${object} failed with HTTP ${status}${suffix}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new KubernetesApiError(`cannot reach the Kubernetes API server to ${context.verb} ${object}: ${message}`, {
    status: 0,
    reason: 'UNREACHABLE',
    retryable: true,
    cause: error,
  });
}

/** The `message` of the `Status` object the API server answered with, when there is one. */
function serverMessage(body: unknown): string | undefined {
  let value: unknown = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return body.slice(0, 512) || undefined;
    }
  }
  const message = (value as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message.slice(0, 512) : undefined;
}
