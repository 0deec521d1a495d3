import { CancelledError } from '@gradual/core';

/**
 * Whether a write that failed may still have been carried out by the API
 * server: its reply was lost (connection dropped, timeout, cancellation) or
 * the server failed after accepting it (5xx). A 409, 4xx or a refusal
 * before sending means it was not.
 */
export function mayHaveBeenWritten(error: unknown): boolean {
  if (CancelledError.isCancellation(error)) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'UNREACHABLE' || code === 'TIMEOUT' || code === 'SERVER_ERROR';
}
