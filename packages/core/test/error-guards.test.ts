import {
  CancelledError,
  GradualError,
  ProviderError,
  parseDuration,
  TrafficRouterError,
  UnsupportedCapabilityError,
  ValidationError,
} from '@gradual/core';
import { parseGoDuration } from '@gradual/core/adapter';
import { describe, expect, it } from 'vitest';

const samples = {
  GradualError: new GradualError('X', 'x'),
  CancelledError: new CancelledError('a call'),
  ProviderError: new ProviderError('prometheus', 'down', { code: 'PROMETHEUS_UNREACHABLE' }),
  TrafficRouterError: new TrafficRouterError('istio', 'not found', { code: 'ISTIO_CONFIG', retryable: false }),
  UnsupportedCapabilityError: new UnsupportedCapabilityError({ capability: 'header routes', router: 'r', path: 'p' }),
  ValidationError: new ValidationError('spec', [{ path: 'a', message: 'b' }]),
};
const classes = { GradualError, CancelledError, ProviderError, TrafficRouterError, UnsupportedCapabilityError, ValidationError };

describe('every error class has the same isInstance guard', () => {
  it.each(Object.entries(classes))('%s.isInstance accepts its own kind (and subclasses) only', (name, errorClass) => {
    for (const [sampleName, sample] of Object.entries(samples)) {
      expect(errorClass.isInstance(sample), `${name}.isInstance(${sampleName})`).toBe(
        name === 'GradualError' || name === sampleName,
      );
    }
    expect(errorClass.isInstance(new Error('plain'))).toBe(false);
    expect(errorClass.isInstance(undefined)).toBe(false);
  });

  it('works for an error made by another copy of the package (same Symbol.for marker, another class)', () => {
    const foreign = Object.assign(new Error('from another install'), {
      [Symbol.for('gradual.error')]: true,
      [Symbol.for('gradual.error.TrafficRouterError')]: true,
    });
    expect(foreign instanceof TrafficRouterError).toBe(false);
    expect(TrafficRouterError.isInstance(foreign)).toBe(true);
    expect(GradualError.isInstance(foreign)).toBe(true);
    expect(ValidationError.isInstance(foreign)).toBe(false);
  });

  it('the duration parsers throw gradual errors, never a plain Error', () => {
    const caught = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const go = caught(() => parseGoDuration('1z'));
    expect(GradualError.hasCode(go, 'INVALID_DURATION')).toBe(true);
    expect((go as Error).message).toBe('time: invalid duration "1z"');
    expect(ValidationError.isInstance(caught(() => parseDuration('soon')))).toBe(true);
  });
});
