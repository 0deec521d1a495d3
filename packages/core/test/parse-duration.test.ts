import { parseDuration, ValidationError } from '@gradual/core';
import { describe, expect, it } from 'vitest';

describe('parseDuration', () => {
  // Vectors from Argo Rollouts types_test.go (RolloutPause.DurationSeconds), in ms.
  it.each([
    [10, 10_000],
    ['10', 10_000],
    ['10s', 10_000],
    ['1h', 3_600_000],
    ['1ms', 1],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
    ['2m3s', 123_000],
    ['0', 0],
    [0, 0],
    ['1us', 0.001],
  ])('%j is %d ms', (input, ms) => {
    expect(parseDuration(input)).toBeCloseTo(ms, 9);
  });

  it.each([['1z'], ['20000000000'], ['-1s'], [''], ['s'], ['10 s'], [-5], [1.5], ['1h-30m']])('%j is refused', (input) => {
    expect(() => parseDuration(input as string)).toThrow(ValidationError);
  });

  it('names the bad input in the message', () => {
    expect(() => parseDuration('1z')).toThrow(/"1z" is not a duration/);
  });
});
