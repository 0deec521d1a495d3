import { GradualError, type GradualErrorOptions } from './gradual-error.js';

/**
 * A metric provider could not take a measurement (query rejected, server
 * down, unreadable answer). Analysis turns it into an `Error` measurement.
 * The message must never carry a credential.
 */
export class ProviderError extends GradualError {
  readonly provider: string;

  constructor(provider: string, message: string, options: GradualErrorOptions & { code?: string | undefined } = {}) {
    super(options.code ?? 'PROVIDER', message, options);
    this.name = 'ProviderError';
    this.provider = provider;
  }
}
