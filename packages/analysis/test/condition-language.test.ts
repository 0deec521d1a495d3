import { describe, expect, it } from 'vitest';
import { ConditionError, compileCondition, evaluateCondition } from '../src/index.js';

const errorOf = (fn: () => unknown): ConditionError => {
  try {
    fn();
  } catch (error) {
    if (ConditionError.isConditionError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConditionError');
};

describe('operators and builtins (expr-lang semantics)', () => {
  // Rows: expr-lang language definition (docs/language-definition.md of expr-lang/expr v1.17) unless noted.
  it.each([
    ['1 + 2 * 3 == 7', null, true],
    ['(1 + 2) * 3 == 9', null, true],
    ['7 / 2 == 3.5', null, true], // `/` yields a float
    ['7 % 3 == 1', null, true],
    ['2 ** 3 ** 2 == 512', null, true], // right associative
    ['2 ^ 3 == 8', null, true],
    ['-result == -2', 2, true],
    ['1 == 1.0', null, true], // int and float compare
    ['1 < 1.5', null, true],
    ['"a" < "b"', null, true],
    ['"abc" + "def" == "abcdef"', null, true],
    ['true && false || true', null, true],
    ['true and not false', null, true],
    ['!(1 > 2)', null, true],
    ['not true or true', null, true],
    ['nil == nil', null, true],
    ['result == nil', null, true],
    ['result != nil', 1, true],
    ['result == nil', { a: 1 }, false],
    ['result.a == 1', { a: 1 }, true],
    ['result["a"] == 1', { a: 1 }, true],
    ['result.missing == nil', { a: 1 }, true],
    ['result.a?.b == nil', {}, true],
    ['result?.a == nil', null, true],
    ['result.a.b ?? 5 == 5', { a: {} }, true],
    ['(result ?? 3) == 3', null, true],
    ['result[-1] == 3', [1, 2, 3], true],
    ['result[1:] == [2, 3]', [1, 2, 3], true],
    ['result[:1] == [1]', [1, 2, 3], true],
    ['"b" in result', { b: 1 }, true],
    ['"toString" in result', {}, false],
    ['2 in result', [1, 2], true],
    ['4 not in result', [1, 2], true],
    ['"checkout-v2" matches "^checkout-v[0-9]+$"', null, true],
    ['result matches "^a"', 'abc', true],
    ['"abc" contains "b"', null, true],
    ['"abc" startsWith "ab"', null, true],
    ['"abc" endsWith "bc"', null, true],
    ['result > 0 ? true : false', 1, true],
    ['result > 0 ? false : true', -1, true],
    ['len("héllo") == 5', null, true],
    ['len(result) == 2', { a: 1, b: 2 }, true],
    ['all(result, # > 1)', [2, 3], true],
    ['all(result, {# > 1})', [1, 3], false],
    ['all(result, .ok)', [{ ok: true }, { ok: true }], true],
    ['any(result, # > 2)', [1, 3], true],
    ['none(result, # > 5)', [1, 3], true],
    ['one(result, # > 2)', [1, 3], true],
    ['one(result, # > 0)', [1, 3], false],
    ['filter(result, # > 1) == [2, 3]', [1, 2, 3], true],
    ['map(result, # * 2) == [2, 4]', [1, 2], true],
    ['map(result, #index) == [0, 1]', ['a', 'b'], true],
    ['count(result, # > 1) == 2', [1, 2, 3], true],
    ['count(result) == 1', [true, false], true],
    ['sum(result) == 6', [1, 2, 3], true],
    ['sum(result, # * 2) == 12', [1, 2, 3], true],
    ['mean(result) == 2', [1, 2, 3], true],
    ['median(result) == 2.5', [4, 1, 3, 2], true],
    ['min(result) == 1', [3, 1, 2], true],
    ['max(result) == 3', [3, 1, 2], true],
    ['max(1, 5, 2) == 5', null, true],
    ['abs(-2) == 2', null, true],
    ['ceil(1.2) == 2', null, true],
    ['floor(1.8) == 1', null, true],
    ['round(2.5) == 3 && round(-2.5) == -3', null, true], // Go's math.Round: half away from zero
    ['int(2.9) == 2', null, true],
    ['int("42") == 42', null, true],
    ['float("1.5") == 1.5', null, true],
    ['string(1.5) == "1.5"', null, true],
    ['string(result) == "[1 2]"', [1, 2], true],
    ['sum(1..4) == 10', null, true],
    ['(result | len()) == 2', [1, 2], true],
    ['result | all(# > 0)', [1, 2], true],
    ['{"a": 1}.a == 1', null, true],
    ['0x1F == 31 && 1_000 == 1000 && 1e3 == 1000', null, true],
    ['"tab\\there" contains "\\t"', null, true],
    ['`raw\\n` == "raw\\\\n"', null, true],
    ['all(result, all(#, # > 0))', [[1], [2, 3]], true],
    ['isNaN(result[0]) || result[0] >= 0.95', [Number.NaN], true],
    // Review findings. expr-lang lexer: a number may start with `.`; `//` and `/* */` are comments.
    ['result[0] >= .95', [0.97], true],
    ['.5 + .25 == 0.75 && (result ?.5 : 1) == .5', true, true],
    ['result[0] >= 0.95 // the SLO\n && len(result) == 1', [0.97], true],
    ['/* SLO */ result[0] /* lower bound */ >= 0.95', [0.97], true],
    // expr-lang runtime.In: nothing is in nil.
    ['"a" in result.tags', {}, false],
    ['"a" not in result.tags', {}, true],
    ['"a" in nil', null, false],
    // expr-lang builtin minMax: arrays flatten at any position and depth.
    ['max(result, 0) == 3', [1, 3], true],
    ['min([1, 2], 0) == 0', null, true],
    ['max(1, [2, [5]], 4) == 5', null, true],
    ['min(result) == -1', [[3, -1], 2], true],
    // NaN wins only in first position: every comparison with it is false.
    ['max(result) == 1', [1, Number.NaN], true],
    ['isNaN(max(result))', [Number.NaN, 1], true],
    ['min(result) == 1', [1, Number.NaN], true],
    // Go %v of a float64: %g, shortest.
    ['string(1234567.5) == "1.2345675e+06"', null, true],
    ['string(0.00001) == "1e-05" && string(0.0001) == "0.0001"', null, true],
    ['string(123456.5) == "123456.5"', null, true],
  ] as const)('%s on %j is %s', (condition, result, expected) => {
    expect(evaluateCondition(condition, result)).toBe(expected);
  });
});

describe('type errors are errors, as in expr-lang', () => {
  it.each([
    ['result >= 0', [1], 'invalid operation: >= (mismatched types []interface {} and int)'],
    ['result + 1 > 0', 'a', 'invalid operation: + (mismatched types string and int)'],
    ['result && true', 1, 'invalid operation: && (mismatched types int and bool)'],
    ['!result', 1, 'invalid operation: ! (mismatched type int)'],
    ['result[5] > 0', [1], 'index out of range: 5 (array length is 1)'],
    ['result[-2] > 0', [1], 'index out of range: -2 (array length is 1)'],
    ['result[0.5] > 0', [1], 'non-integer index (type float64)'],
    ['result.a > 0', null, 'cannot fetch a from nil'],
    ['result.a > 0', 'x', 'cannot fetch a from string'],
    ['len(result) > 0', 1, 'invalid argument for len (type int)'],
    ['all(result, # + 1)', [1], 'predicate of all must return bool, got int'],
    ['result ? true : false', 1, 'non-bool expression (type int) used as condition'],
    ['result % 0 == 0', 1, 'integer divide by zero'],
    ['result == "1"', 1, 'invalid operation: == (mismatched types int and string)'],
    ['result != "1"', 1, 'invalid operation: != (mismatched types int and string)'],
    ['result != result[0]', ['a'], 'invalid operation: != (mismatched types []interface {} and string)'],
    ['result[0] != "x"', [1], 'invalid operation: != (mismatched types int and string)'],
    ['max(result) > 0', ['a'], 'invalid argument for max (type string)'],
    ['result', 'yes', 'expected bool, but got string'],
    ['result matches "("', 'x', 'invalid regular expression "(": error parsing regexp: missing closing ): `(`'],
  ])('%s on %j: %s', (condition, result, reason) => {
    const error = errorOf(() => evaluateCondition(condition, result));
    expect(error.reason).toBe(reason);
  });

  it('NaN compares false', () => {
    expect(evaluateCondition('result >= 0.95', Number.NaN)).toBe(false);
    expect(evaluateCondition('result < 0.95', Number.NaN)).toBe(false);
    expect(evaluateCondition('result == result', Number.NaN)).toBe(false);
  });
});

describe('parse errors carry position and a caret excerpt', () => {
  it.each([
    ['len(result) == ', 15, 'unexpected end of expression'],
    ['1 + * 2', 4, 'unexpected token "*"'],
    ['result[0] >= 0.95 )', 18, 'unexpected token ")"'],
    ['"abc', 0, 'string literal not terminated'],
    ['result @ 1', 7, 'unexpected character "@"'],
    ['# > 1', 0, '# can only be used inside a predicate'],
    ['foo(1)', 0, 'unknown func foo'],
    ['len 1', 0, 'function len must be called'],
    ['all(result)', 0, 'all takes 2 arguments, got 1'],
    ['a ? 1', 0, 'unknown name a'],
    ['true ? 1', 8, 'expected ":" but found end of expression'],
    ['', 0, 'expression is empty'],
    ['"a" matches "(?=x)"', 12, 'invalid regular expression'],
    ['true /* open', 5, 'comment not terminated'],
  ])('%j at %i: %s', (expression, position, reason) => {
    const error = errorOf(() => compileCondition(expression));
    expect(error.position).toBe(position);
    expect(error.reason.startsWith(reason)).toBe(true);
    expect(error.message).toContain(`(at position ${position + 1})`);
    const [line, caret] = error.excerpt.split('\n');
    expect(line).toBe(` | ${expression}`);
    expect(caret).toBe(` | ${' '.repeat(position)}^`);
  });

  it('runtime errors point at the operator', () => {
    const error = errorOf(() => evaluateCondition('len(result) == 0 || result[0] >= 0.95', 0.5));
    expect(error.position).toBe(0);
    expect(error.excerpt).toContain('^');
  });

  it('is a GradualError with code CONDITION', () => {
    const error = errorOf(() => compileCondition('1 +'));
    expect(error.code).toBe('CONDITION');
    expect(error.name).toBe('ConditionError');
  });
});

describe('compiled conditions', () => {
  it('parse once, evaluate many times with different results', () => {
    const condition = compileCondition('len(result) == 0 || result[0] >= 0.95');
    expect(condition.expression).toBe('len(result) == 0 || result[0] >= 0.95');
    expect([[0.97], [0.5], []].map((result) => condition.evaluate(result))).toEqual([true, false, true]);
  });
});
