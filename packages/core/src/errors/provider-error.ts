import { GradualError, type GradualErrorOptions, hasMarker } from './gradual-error.js';

const marker = Symbol.for('gradual.error.ProviderError');

/**
 * A metric provider could not take a measurement (query rejected, server
 * down, unreadable answer). Analysis turns it into an `Error` measurement.
 * The message must never carry a credential.
 */
export class ProviderError extends GradualError {
  readonly [marker] = true;

  /** True for a ProviderError, also one from another copy of @gradual/core (where `instanceof` fails). */
  static override isInstance(error: unknown): error is ProviderError {
    return hasMarker(error, marker);
  }

  readonly provider: string;

  constructor(provider: string, message: string, options: GradualErrorOptions & { code?: string | undefined } = {}) {
    super(options.code ?? 'PROVIDER', message, options);
    this.name = 'ProviderError';
    this.provider = provider;
  }
}
