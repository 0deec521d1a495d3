import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epochMsOf, isoTimeOf } from '../src/run/iso-time.js';

describe('measurement times', () => {
  it('isoTimeOf writes what toISOString writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        expect(isoTimeOf(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 20_000 },
    );
    for (const ms of [
      0,
      1,
      999,
      86_399_999,
      86_400_000,
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      253_402_300_799_999,
      253_402_300_800_000,
      -1,
    ])
      expect(isoTimeOf(ms)).toBe(new Date(ms).toISOString());
    expect(() => isoTimeOf(Number.NaN)).toThrow(RangeError);
  });

  it('epochMsOf reads what Date.parse reads', () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        const text = new Date(ms).toISOString();
        expect(epochMsOf(text)).toBe(Date.parse(text));
      }),
      { numRuns: 20_000 },
    );
    const odd = [
      '2026-02-30T00:00:00.000Z',
      '2026-02-29T00:00:00.000Z',
      '2024-02-29T12:00:00.000Z',
      '2026-13-01T00:00:00.000Z',
      '2026-00-01T00:00:00.000Z',
      '2026-01-00T00:00:00.000Z',
      '2026-01-01T24:00:00.000Z',
      '2026-01-01T23:60:00.000Z',
      '2026-01-01T23:59:60.000Z',
      '0050-01-01T00:00:00.000Z',
      '0999-12-31T23:59:59.999Z',
      '2026-01-01T00:00:00Z',
      '2026-01-01T00:00:00.000+01:00',
      '2026-01-01 00:00:00.000Z',
      '2026-0a-01T00:00:00.000Z',
      '2026-01-01T00:00:00.-01Z',
      '',
      'not a time at all, 24 c.',
    ];
    for (const text of odd) expect([text, epochMsOf(text)]).toEqual([text, Date.parse(text)]);
    const digits = (n: number) => fc.string({ minLength: n, maxLength: n, unit: fc.constantFrom(...'0123456789') });
    const shaped = fc
      .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2), digits(3))
      .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
    fc.assert(
      fc.property(shaped, (text) => {
        expect(Object.is(epochMsOf(text), Date.parse(text))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });
});
