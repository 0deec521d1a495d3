import { describe, expect, it } from 'vitest';
import { evaluateTimeExpression } from '../src/evaluate-time-expression.js';
import { formatGoFloat } from '../src/format-go-float.js';
import { parseSampleValue } from '../src/parse-sample-value.js';

describe("formatGoFloat: strconv.FormatFloat(v, 'f', -1, 64)", () => {
  // Expected strings are what Go prints (Argo's measurement.value).
  it.each([
    [10, '10'],
    [0.95, '0.95'],
    [0.99, '0.99'],
    [9.9 / 10.9, '0.908256880733945'],
    [1e-7, '0.0000001'],
    [1.5e-10, '0.00000000015'],
    [1e21, '1000000000000000000000'],
    [1.25e22, '12500000000000000000000'],
    [-3.5, '-3.5'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '+Inf'],
    [Number.NEGATIVE_INFINITY, '-Inf'],
  ])('%s -> %s', (value, text) => {
    expect(formatGoFloat(value)).toBe(text);
  });
});

describe('parseSampleValue: the strings Prometheus writes', () => {
  it.each([
    ['0.99', 0.99],
    ['1e-07', 1e-7],
    ['+Inf', Number.POSITIVE_INFINITY],
    ['-Inf', Number.NEGATIVE_INFINITY],
    ['42', 42],
  ])('%s -> %s', (text, value) => {
    expect(parseSampleValue(text)).toBe(value);
  });
  it('reads NaN and refuses what is not a number', () => {
    expect(parseSampleValue('NaN')).toBeNaN();
    expect(parseSampleValue('x')).toBeUndefined();
    expect(parseSampleValue(1)).toBeUndefined();
    expect(parseSampleValue('')).toBeUndefined();
  });
});

describe("evaluateTimeExpression: Argo's rangeQuery start/end", () => {
  const now = Date.UTC(2023, 7, 14, 12, 0, 0);
  // Vectors from Argo's prometheus_test.go and evaluate_test.go (EvalTime).
  it.each([
    ['now()', now],
    ['now() - duration("1h")', now - 3_600_000],
    ['now() - duration(\'1h30m\') + duration("10s")', now - 5_390_000],
    ['date("2023-08-14 00:00:00", "2006-01-02 15:04:05", "UTC") - duration("1h")', Date.UTC(2023, 7, 13, 23)],
    ['date("2023-08-14 00:00:00", "2006-01-02 15:04:05", "Europe/Paris")', Date.UTC(2023, 7, 13, 22)],
    ['date("2023-08-14")', Date.UTC(2023, 7, 14)],
    ['date("2023-08-14T10:00:00+02:00")', Date.UTC(2023, 7, 14, 8)],
    ['date("2023-08-14T10:00:00.250Z")', Date.UTC(2023, 7, 14, 10, 0, 0, 250)],
    ['date("Aug 14, 2023 at 3:04pm", "Jan 2, 2006 at 3:04pm")', Date.UTC(2023, 7, 14, 15, 4)],
    ['(now() - duration("2m")) - duration("1m")', now - 180_000],
  ])('%s', (expression, expected) => {
    expect(evaluateTimeExpression(expression, now)).toBe(expected);
  });

  it.each([
    ['now() - duration("??")', 'time: invalid duration "??"'],
    ['duration("1h")', 'expected time.Time, but got time.Duration'],
    ['"hello"', 'expected time.Time, but got string'],
    ['now() + now()', 'invalid operation: time.Time + time.Time'],
    ['date("yesterday")', 'invalid date yesterday'],
    ['now(', 'unexpected end of expression'],
    ['now() * 2', 'unexpected character "*"'],
  ])('%s fails: %s', (expression, message) => {
    expect(() => evaluateTimeExpression(expression, now)).toThrow(message);
  });
});
