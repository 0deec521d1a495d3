import type { JsonValue } from '@gradual/core';
import { describe, expect, it } from 'vitest';
import { measurementTimeoutOf } from '../src/run/measurement-timeout.js';

const metric = (block: { [key: string]: JsonValue }) => ({ name: 'm', provider: { web: block } });

describe('measurementTimeoutOf', () => {
  it('is a whole number of ms a timer can hold, whatever the metric asks', () => {
    expect(measurementTimeoutOf(metric({ timeoutSeconds: 52.01 }), 60_000)).toBe(62_010);
    expect(Number.isInteger(measurementTimeoutOf(metric({ timeoutSeconds: 50.3 }), 60_000))).toBe(true);
    expect(measurementTimeoutOf(metric({ timeoutSeconds: 1e12 }), 60_000)).toBe(2_147_483_647);
    expect(measurementTimeoutOf(metric({}), 60_000)).toBe(60_000);
  });
});
