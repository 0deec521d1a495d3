import { parseGoDuration } from '@gradual/core/adapter';
import { describe, expect, it } from 'vitest';

// Rows from Go's time.ParseDuration tests (src/time/time_test.go, parseDurationTests), in ms.
describe('parseGoDuration reads what Go reads', () => {
  it.each([
    ['0', 0],
    ['5s', 5_000],
    ['30s', 30_000],
    ['1478s', 1_478_000],
    ['-5s', -5_000],
    ['+5s', 5_000],
    ['-0', 0],
    ['+0', 0],
    ['5.0s', 5_000],
    ['5.6s', 5_600],
    ['5.s', 5_000],
    ['.5s', 500],
    ['1.0s', 1_000],
    ['1.00s', 1_000],
    ['1.004s', 1_004],
    ['1.0040s', 1_004],
    ['100.00100s', 100_001],
    ['10ns', 0.00001],
    ['11us', 0.011],
    ['12µs', 0.012],
    ['12μs', 0.012],
    ['13ms', 13],
    ['14s', 14_000],
    ['15m', 900_000],
    ['16h', 57_600_000],
    ['3h30m', 12_600_000],
    ['10.5s4m', 250_500],
    ['-2m3.4s', -123_400],
    ['1h2m3s4ms5us6ns', 3_723_004.005006],
    ['39h9m14.425s', 140_954_425],
    ['52763797000ns', 52_763.797],
    ['0.3333333333333333333h', 1_200_000],
    ['9007199254740993ns', Number(9_007_199_254_740_993n) / 1e6],
    ['9223372036854775807ns', Number(9_223_372_036_854_775_807n) / 1e6],
    ['9223372036854775.807us', Number(9_223_372_036_854_775_807n) / 1e6],
    ['9223372036s854ms775us807ns', Number(9_223_372_036_854_775_807n) / 1e6],
    ['-9223372036854775808ns', -Number(9_223_372_036_854_775_808n) / 1e6],
    ['-9223372036854775.808us', -Number(9_223_372_036_854_775_808n) / 1e6],
    ['0.100000000000000000000h', 360_000],
    ['0.830103483285477580700h', 2_988_372.539827],
  ])('%s', (text, ms) => {
    // Exact to the precision of a float64 of milliseconds.
    expect(Math.abs(parseGoDuration(text) - ms)).toBeLessThanOrEqual(Math.abs(ms) * 2 ** -52 + 1e-12);
  });

  // Go's failure rows, and the int64 edges: one nanosecond past them is refused.
  it.each([
    '',
    '3',
    '-',
    's',
    '.',
    '-.',
    '.s',
    '+.s',
    '1d',
    '\x85\x85',
    '\xffff',
    'hello \xffff world',
    '9223372036854775810ns',
    '9223372036854775808ns',
    '-9223372036854775809ns',
    '9223372036854776us',
    '3000000h',
    '9223372036854775.808us',
    '9223372036854ms775us808ns',
    '2562047h47m16.854775808s',
    '1e3s',
    ' 5s',
    '5s ',
  ])('refuses %j', (text) => {
    expect(() => parseGoDuration(text)).toThrow(`time: invalid duration ${JSON.stringify(text)}`);
  });

  it('scans in linear time: a million digits with no unit end at once', () => {
    const started = performance.now();
    expect(() => parseGoDuration(`${'1'.repeat(1_000_000)}u0s`)).toThrow(/invalid duration/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
