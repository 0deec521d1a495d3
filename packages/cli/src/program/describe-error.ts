import { GradualError, ValidationError } from '@gradual/core';

/** An error as lines for stderr: a ValidationError with every issue, a GradualError with its code, others by message. */
export function describeError(error: unknown): string {
  if (ValidationError.isInstance(error)) return `error: ${error.message}\n`;
  if (GradualError.isInstance(error)) return `error [${error.code}]: ${error.message}\n`;
  return `error: ${error instanceof Error ? error.message : String(error)}\n`;
}
