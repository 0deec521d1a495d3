import { describe, expect, it } from 'vitest';
import { assessMeasurement, ConditionError, compileCondition, evaluateCondition } from '../src/index.js';

// Source of each row: reference/argo-rollouts.md §5.3; E = utils/evaluate/evaluate_test.go,
// P = metricproviders/prometheus/prometheus_test.go, X = derived from code.
type Row = [number, string, unknown, boolean | { error: string | true }];
const conditionRows: Row[] = [
  [1, 'result == true', true, true], // E
  [2, 'result == false', true, false], // E
  [3, '1', true, { error: 'expected bool, but got int' }], // E
  [4, 'invalidVariable', true, { error: 'unknown name invalidVariable' }], // E
  [
    5,
    'all(result.service_apdex.values.values, {# > 1})',
    { service_apdex: { label: null, values: { values: [2.0, 2.0] } } },
    true,
  ], // E
  [6, '2 in result', [2.0, 2.0], true], // E
  [7, 'result > 1', 5.0, true], // E
  [8, "result.Name() == 'hi'", true, { error: true }], // E
  [9, 'asInt(result) == 1.1', '1.1', { error: 'strconv.ParseInt: parsing "1.1": invalid syntax' }], // E
  [10, 'asInt(result) == 1', '1', true], // E
  [11, 'asInt(result) == 1', 1, true], // E
  [12, 'asInt(result) == 1', 1.123, true], // E
  [13, 'asFloat(result) == 1.1', 'NotANum', { error: 'strconv.ParseFloat: parsing "NotANum": invalid syntax' }], // E
  [14, 'asFloat(result) == "1.1"', '1.1', { error: 'invalid operation: == (mismatched types float64 and string)' }], // E
  [15, 'asFloat(result) == 1.1', '1.1', true], // E
  [16, 'asFloat(result) >= 1.1', '1.1', true], // E
  [17, 'asFloat(result) <= 1.1', '1.1', true], // E
  [18, 'asFloat(result) == 1.1', 1.1, true], // E
  [19, 'asFloat(result) == 1', 1, true], // E
  [20, 'asFloat(result) >= 1', 1, true], // E
];

describe('§5.3 condition vectors 1-20', () => {
  it.each(conditionRows)('#%i %s on %j', (_row, condition, result, expected) => {
    if (typeof expected === 'boolean') {
      expect(evaluateCondition(condition, result)).toBe(expected);
      return;
    }
    let caught: unknown;
    try {
      evaluateCondition(condition, result);
    } catch (error) {
      caught = error;
    }
    expect(ConditionError.isConditionError(caught), `a ConditionError, got ${String(caught)}`).toBe(true);
    if (typeof expected.error === 'string') expect((caught as ConditionError).reason).toBe(expected.error);
  });
});

type OutcomeRow = [number, string, string, unknown, string, string?];
const outcomeRows: OutcomeRow[] = [
  [21, 'true', 'false', true, 'Successful'], // E
  [22, 'true', 'true', true, 'Failed'], // E
  [23, 'false', 'false', true, 'Inconclusive'], // E
  [24, '', 'false', true, 'Successful'], // E
  [25, 'false', '', true, 'Failed'], // E
  [26, '', '', true, 'Successful'], // E
  [27, 'a == true', 'true', true, 'Error'], // E
  [28, 'true', 'a == true', true, 'Error'], // E
  [
    29,
    'result[0] >= 0.95',
    '',
    null,
    'Error',
    'could not evaluate successCondition "result[0] >= 0.95": metric result is nil or empty',
  ], // E
  [
    30,
    'result[0] >= 0.95',
    '',
    [],
    'Error',
    'could not evaluate successCondition "result[0] >= 0.95": metric result is nil or empty',
  ], // E
  [31, 'true', 'invalidVar == true', true, 'Error', 'could not evaluate failureCondition'], // E
];

describe('§5.3 outcome vectors 21-31 (assessMeasurement)', () => {
  it.each(
    outcomeRows,
  )('#%i success %j failure %j on %j -> %s', (_row, successCondition, failureCondition, result, phase, message) => {
    const assessment = assessMeasurement({ successCondition, failureCondition }, result);
    expect(assessment.phase).toBe(phase);
    if (message) expect(assessment.message).toContain(message);
    if (phase !== 'Error') expect(assessment.message).toBeUndefined();
  });

  it('only a failure condition: Failed when true, Successful when false (X)', () => {
    expect(assessMeasurement({ failureCondition: 'result > 1' }, 2).phase).toBe('Failed');
    expect(assessMeasurement({ failureCondition: 'result > 1' }, 0).phase).toBe('Successful');
  });

  it('an error message quotes the expression and the reason (E)', () => {
    expect(assessMeasurement({ successCondition: 'result.x > 1' }, [1]).message).toBe(
      'could not evaluate successCondition "result.x > 1": cannot fetch x from []interface {}',
    );
  });

  it('accepts compiled conditions', () => {
    expect(assessMeasurement({ successCondition: compileCondition('result < 1') }, 0.5).phase).toBe('Successful');
  });
});

describe('Argo helper vectors (E)', () => {
  it.each([
    ['isInf(result)', Number.POSITIVE_INFINITY, true],
    ['isInf(result)', Number.NEGATIVE_INFINITY, true],
    ['isInf(result)', 0, false],
    ['isNaN(result)', Number.NaN, true],
    ['isNaN(result)', 1, false],
    ['default(result, 0) == 0', null, true],
    ['default(result, 2) == 2', null, true],
    ['default(result, 0) == 1.0', 1.0, true],
    ['isNil(result)', null, true],
    ['isNil(result)', 1, false],
    ['isNil(result)', false, false],
    ['isNil(result)', [], false],
    ['asFloat(result) == 1', '1', true],
  ] as const)('%s on %j is %s', (condition, result, expected) => {
    expect(evaluateCondition(condition, result)).toBe(expected);
  });

  it.each([
    ['asFloat(result) > 0', 'notfloat'],
    ['asInt(result) > 0', 'notint'],
    ['isNaN(result)', 'x'],
  ])('%s on %j is an error', (condition, result) => {
    expect(() => evaluateCondition(condition, result)).toThrow(ConditionError);
  });

  it('refuses isNil/default on anything but result, since Argo ignores that argument', () => {
    expect(() => compileCondition('isNil(result.x)')).toThrow(/inspects the whole result/);
    expect(() => compileCondition('default(result[0], 0) > 1')).toThrow(/inspects the whole result/);
  });
});

describe('§5.2 Prometheus result shapes with the seed condition', () => {
  const seed = compileCondition('len(result) == 0 || result[0] >= 0.95');
  it.each([
    [[0.97], true],
    [[0.94], false],
    [[], true],
    [[Number.NaN], false], // NaN compares false
  ])('%j -> %s', (result, expected) => {
    expect(seed.evaluate(result)).toBe(expected);
  });
  it('a scalar is a type error, not false', () => {
    expect(() => seed.evaluate(0.97)).toThrow(/invalid argument for len \(type float64\)/);
  });
});
