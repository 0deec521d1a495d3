import { GradualError } from './gradual-error.js';

// Failures that say the call itself is wrong: repeating it cannot help.
const permanentCodes = new Set(['VALIDATION', 'UNSUPPORTED_CAPABILITY', 'NO_ANALYSIS_RUNNER']);

/**
 * Whether repeating the call that threw `error` may succeed. An error's own
 * boolean `retryable` decides (`TrafficRouterError` has one); gradual's
 * validation errors are permanent; anything else — a plain `Error`, a
 * socket reset — counts as transient and is retried until the progress
 * deadline.
 */
export function isRetryable(error: unknown): boolean {
  if (typeof error === 'object' && error !== null && typeof (error as { retryable?: unknown }).retryable === 'boolean') {
    return (error as { retryable: boolean }).retryable;
  }
  return !(GradualError.isInstance(error) && permanentCodes.has(error.code));
}
