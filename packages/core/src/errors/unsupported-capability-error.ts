import { GradualError, type GradualErrorOptions } from './gradual-error.js';

/** A rollout needs something its traffic router cannot do; raised before any traffic moves. */
export class UnsupportedCapabilityError extends GradualError {
  readonly capability: string;
  readonly router: string;
  readonly path: string;

  constructor(
    input: { capability: string; router: string; path: string; detail?: string | undefined },
    options: GradualErrorOptions = {},
  ) {
    super(
      'UNSUPPORTED_CAPABILITY',
      `${input.path} needs ${input.capability}, which traffic router "${input.router}" does not support${input.detail ? ` (${input.detail})` : ''}`,
      options,
    );
    this.name = 'UnsupportedCapabilityError';
    this.capability = input.capability;
    this.router = input.router;
    this.path = input.path;
  }
}
