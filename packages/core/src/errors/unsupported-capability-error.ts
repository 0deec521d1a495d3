import { GradualError, type GradualErrorOptions, hasMarker } from './gradual-error.js';

const marker = Symbol.for('gradual.error.UnsupportedCapabilityError');

/** A rollout needs something its traffic router cannot do; raised before any traffic moves. */
export class UnsupportedCapabilityError extends GradualError {
  readonly [marker] = true;

  /** True for a UnsupportedCapabilityError, also one from another copy of @gradual/core (where `instanceof` fails). */
  static override isInstance(error: unknown): error is UnsupportedCapabilityError {
    return hasMarker(error, marker);
  }

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
