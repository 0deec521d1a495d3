// expr-lang v1.17.8's builtins (the version Argo Rollouts' go.mod pins), with rows from
// expr-lang's own builtin/builtin_test.go (B) and docs/language-definition.md (D). expr-lang's
// test environment (ArrayOfString, ...) is passed as `result`.
import { describe, expect, it } from 'vitest';
import { unwrapChecked } from '../src/condition/check-result.js';
import { compileNode } from '../src/condition/compile-node.js';
import { type Env, EvaluationContext } from '../src/condition/evaluation-context.js';
import { parseCondition } from '../src/condition/parse-condition.js';
import { ExprDuration, ExprTime } from '../src/condition/time-values.js';
import { formatValue } from '../src/condition/values.js';
import { ConditionError, checkResult, compileCondition, evaluateCondition } from '../src/index.js';

const env = {
  ArrayOfString: ['foo', 'bar', 'baz'],
  ArrayOfInt: [1, 2, 3],
  ArrayOfAny: [1, '2', true],
  ArrayOfFloat: [1.5, 2.5, 3.5],
  EmptyIntArray: [],
  NestedIntArrays: [
    [1, 2],
    [3, 4],
  ],
};
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

/** The value of any expression (conditions themselves must be bool; this reads the value under test). */
function valueOfExpression(expression: string, result: unknown = env, now = NOW): unknown {
  const source = expression.replace(/\b(ArrayOf\w+|EmptyIntArray|NestedIntArrays)\b/g, 'result.$1');
  const ctx = new EvaluationContext(source);
  const evaluator = compileNode(parseCondition(source), ctx);
  const state: Env = { result: unwrapChecked(checkResult(result)), item: null, index: 0, steps: 0, now };
  return evaluator(state);
}

describe('expr-lang builtins (B: builtin_test.go TestBuiltin)', () => {
  it.each([
    ['len(1..10)', 10],
    ['len({foo: 1, bar: 2})', 2],
    ['len("hello")', 5],
    ['trim("  foo  ")', 'foo'],
    ['trim("__foo___", "_")', 'foo'],
    ['trimPrefix("prefix_foo", "prefix_")', 'foo'],
    ['trimSuffix("foo_suffix", "_suffix")', 'foo'],
    ['upper("foo")', 'FOO'],
    ['lower("FOO")', 'foo'],
    ['split("foo,bar,baz", ",")', ['foo', 'bar', 'baz']],
    ['split("foo,bar,baz", ",", 2)', ['foo', 'bar,baz']],
    ['splitAfter("foo,bar,baz", ",")', ['foo,', 'bar,', 'baz']],
    ['splitAfter("foo,bar,baz", ",", 2)', ['foo,', 'bar,baz']],
    ['replace("foo,bar,baz", ",", ";")', 'foo;bar;baz'],
    ['replace("foo,bar,baz,goo", ",", ";", 2)', 'foo;bar;baz,goo'],
    ['repeat("foo", 3)', 'foofoofoo'],
    ['join(ArrayOfString, ",")', 'foo,bar,baz'],
    ['join(ArrayOfString)', 'foobarbaz'],
    ['join(["foo", "bar", "baz"], ",")', 'foo,bar,baz'],
    ['indexOf("foo,bar,baz", ",")', 3],
    ['lastIndexOf("foo,bar,baz", ",")', 7],
    ['hasPrefix("foo,bar,baz", "foo")', true],
    ['hasSuffix("foo,bar,baz", "baz")', true],
    ['max([1, 2, 4, 10], 20, [29, 23, -19])', 29],
    ['min([1, 2, 4, 10], 20, [29, 23, -19])', -19],
    ['max(EmptyIntArray, 5)', 5],
    ['max(NestedIntArrays)', 4],
    ['sum(1..9)', 45],
    ['sum([.5, 1.5, 2.5])', 4.5],
    ['sum([])', 0],
    ['mean(1..9)', 5],
    ['mean([])', 0],
    ['mean([1, 2, 3.0, 4])', 2.5],
    ['mean(10, [1, 2, 3], 1..9)', 4.6923076923076925],
    ['mean(-10, [1, 2, 3, 4])', 0],
    ['mean(10.9, 1..9)', 5.59],
    ['mean(NestedIntArrays)', 2.5],
    ['median(1..9)', 5],
    ['median([])', 0],
    ['median([1, 2, 3, 4])', 2.5],
    ['median(10, [1, 2, 3], 1..9)', 4],
    ['median(-10, [1, 2, 3, 4])', 2],
    ['median(1..5, 4.9)', 3.5],
    ['toJSON({foo: 1, bar: 2})', '{\n  "bar": 2,\n  "foo": 1\n}'],
    ['fromJSON("[1, 2, 3]")', [1, 2, 3]],
    ['toBase64("hello")', 'aGVsbG8='],
    ['fromBase64("aGVsbG8=")', 'hello'],
    ['first(ArrayOfString)', 'foo'],
    ['first([])', null],
    ['last(ArrayOfAny)', true],
    ['last([])', null],
    ['get(ArrayOfString, 1)', 'bar'],
    ['get(ArrayOfString, 99)', null],
    ['get(ArrayOfInt, -1)', 3],
    ['get({foo: 1, bar: 2}, "foo")', 1],
    ['get({foo: 1, bar: 2}, "unknown")', null],
    ['take(ArrayOfString, 2)', ['foo', 'bar']],
    ['take(ArrayOfString, 99)', ['foo', 'bar', 'baz']],
    ['"foo" in keys({foo: 1, bar: 2})', true],
    ['1 in values({foo: 1, bar: 2})', true],
    ['len(toPairs({foo: 1, bar: 2}))', 2],
    ['len(toPairs({}))', 0],
    ['fromPairs([["foo", 1], ["bar", 2]])', { foo: 1, bar: 2 }],
    ['fromPairs(toPairs({foo: 1, bar: 2}))', { foo: 1, bar: 2 }],
    ['groupBy(1..9, # % 2)', { '0': [2, 4, 6, 8], '1': [1, 3, 5, 7, 9] }],
    ['groupBy(1..9, # % 2)[0]', [2, 4, 6, 8]],
    ['groupBy(1..3, # > 1)[true]', [2, 3]],
    ['groupBy(1..3, # > 1 ? nil : "")[nil]', [2, 3]],
    ['reduce(1..9, # + #acc, 0)', 45],
    ['reduce(1..9, # + #acc)', 45],
    ['reduce([.5, 1.5, 2.5], # + #acc, 0)', 4.5],
    ['reduce([], 5, 0)', 0],
    ['reduce(10..1, # + #acc, 100)', 100],
    ['reduce([], # + #acc, 42)', 42],
    ['concat(ArrayOfString, ArrayOfInt)', ['foo', 'bar', 'baz', 1, 2, 3]],
    ['flatten([["a", "b"], [1, 2]])', ['a', 'b', 1, 2]],
    ['flatten([["a", "b"], [1, 2, [3, [[[["c", "d"], "e"]]], 4]]])', ['a', 'b', 1, 2, 3, 'c', 'd', 'e', 4]],
    ['uniq([1, 15, "a", 2, 3, 5, 2, "a", 2, "b"])', [1, 15, 'a', 2, 3, 5, 'b']],
    ['uniq([[1, 2], "a", 2, 3, [1, 2], [1, 3]])', [[1, 2], 'a', 2, 3, [1, 3]]],
    ['timezone("UTC").String()', 'UTC'],
  ] as const)('%s', (expression, expected) => {
    if (expression.endsWith('.String()')) {
      // A location prints its name (`timezone(x).String()` is Go's Location.String).
      expect(formatValue(valueOfExpression(expression.replace('.String()', '')))).toBe(expected);
      return;
    }
    expect(valueOfExpression(expression)).toEqual(expected);
  });
});

describe('more of the documented library (D)', () => {
  it.each([
    ['let x = 42; x * 2', 84],
    ['let x = 42; let y = 2; x * y', 84],
    ['let name = "John Smith" | lower() | split(" "); "Hello, " + name[0] + "!"', 'Hello, john!'],
    ['filter(0..9, {# % 2 == 0})', [0, 2, 4, 6, 8]],
    ['find([1, 2, 3, 4], # > 2)', 3],
    ['find([1, 2], # > 2)', null],
    ['findIndex([1, 2, 3, 4], # > 2)', 2],
    ['findIndex([1, 2], # > 2)', -1],
    ['findLast([1, 2, 3, 4], # > 2)', 4],
    ['findLastIndex([1, 2, 3, 4], # > 2)', 3],
    ['count([true, false, true])', 2],
    ['concat([1, 2], [3, 4])', [1, 2, 3, 4]],
    ['flatten([1, 2, [3, 4]])', [1, 2, 3, 4]],
    ['uniq([1, 2, 3, 2, 1])', [1, 2, 3]],
    ['join(["apple", "orange", "grape"])', 'appleorangegrape'],
    ['reverse([3, 1, 4])', [4, 1, 3]],
    ['reverse(reverse([3, 1, 4]))', [3, 1, 4]],
    ['sort([3, 1, 4])', [1, 3, 4]],
    ['sort([3, 1, 4], "desc")', [4, 3, 1]],
    ['sortBy([{a: 3}, {a: 1}, {a: 2}], .a)', [{ a: 1 }, { a: 2 }, { a: 3 }]],
    ['sortBy([{a: 3}, {a: 1}, {a: 2}], .a, "desc")', [{ a: 3 }, { a: 2 }, { a: 1 }]],
    ['keys({"name": "John", "age": 30})', ['name', 'age']],
    ['values({"name": "John", "age": 30})', ['John', 30]],
    [
      'toPairs({"name": "John", "age": 30})',
      [
        ['name', 'John'],
        ['age', 30],
      ],
    ],
    ['type(42)', 'int'],
    ['type("hello")', 'string'],
    ['type(0.5)', 'float'],
    ['type([1])', 'array'],
    ['type({a: 1})', 'map'],
    ['type(nil)', 'nil'],
    ['type(now())', 'time.Time'],
    ['type(duration("1h"))', 'time.Duration'],
    ['int("123")', 123],
    ['float("123.45")', 123.45],
    ['string(123)', '123'],
    ['toBase64("Hello World")', 'SGVsbG8gV29ybGQ='],
    ['fromBase64("SGVsbG8gV29ybGQ=")', 'Hello World'],
    ['fromJSON(\'{"name": "John", "age": 30}\')', { name: 'John', age: 30 }],
    ['toJSON([1, "a<b", nil, true])', '[\n  1,\n  "a\\u003cb",\n  null,\n  true\n]'],
    ['toJSON([])', '[]'],
    ['bitand(12, 10)', 8],
    ['bitor(12, 10)', 14],
    ['bitxor(12, 10)', 6],
    ['bitnand(12, 10)', 4],
    ['bitnot(12)', -13],
    ['bitshl(1, 3)', 8],
    ['bitshr(-16, 2)', -4],
    ['bitushr(-5, 60)', 15],
    ['if 1 > 2 { "a" } else if 2 > 1 { "b" } else { "c" }', 'b'],
    ['filter([{n: 1, c: [1, 2]}, {n: 3, c: [2]}], { let post = #; any(.c, # == post.n) })', [{ n: 1, c: [1, 2] }]],
  ] as const)('%s', (expression, expected) => {
    expect(valueOfExpression(expression)).toEqual(expected);
  });
});

describe('dates and durations (D: Date Functions; B: date rows)', () => {
  it.each([
    ['duration("1h").Seconds() == 3600', true],
    ['duration("1h") == duration("60m")', true],
    ['duration("1h") > duration("59m")', true],
    ['duration("1h30m").Minutes()', 90],
    ['duration("1h").String()', '1h0m0s'],
    ['duration("1.5s").String()', '1.5s'],
    ['duration("300ms").String()', '300ms'],
    ['duration("-2h45m").String()', '-2h45m0s'],
    ['string(duration("90s"))', '1m30s'],
    ['duration("1h") * 2 == duration("2h")', true],
    ['duration("1h") / duration("1m")', 60],
    ['date("2023-08-14").Year() == 2023', true],
    ['date("2023-08-14").Month()', 8],
    ['date("2023-08-14").Day()', 14],
    ['date("2023-08-14").Weekday()', 1],
    ['date("2023-08-14").YearDay()', 226],
    ['date("15:04:05").Hour()', 15],
    ['date("2023-08-14T00:00:00Z").Unix()', 1_691_971_200],
    ['date("2006-01-02T15:04:05Z").Format("2006-01-02 15:04:05")', '2006-01-02 15:04:05'],
    ['date("2006.01.02", "2006.01.02").Format("Jan 2, 2006")', 'Jan 2, 2006'],
    ['date("2023-04-23T00:30:00.000+0100", "2006-01-02T15:04:05-0700", "America/Chicago").Format("2006-01-02")', '2023-04-23'],
    ['date("2023-04-23T00:30:00", "2006-01-02T15:04:05", "America/Chicago").Format("2006-01-02")', '2023-04-23'],
    ['date("2023-04-23", "2006-01-02", "America/Chicago").Format("2006-01-02")', '2023-04-23'],
    ['date("2023-08-14 00:00:00", "2006-01-02 15:04:05", "Europe/Zurich").UTC().Hour()', 22],
    [
      'date("2023-08-14 00:00:00", "2006-01-02 15:04:05", "Europe/Zurich").Format("2006-01-02T15:04:05Z07:00")',
      '2023-08-14T00:00:00+02:00',
    ],
    ['date("2023-08-14 00:00:00").In(timezone("Europe/Zurich")).Hour()', 2],
    ['date("Mon, 02 Jan 2006 15:04:05 UTC").Day()', 2],
    ['date("2023-08-14T10:00:00.123456789Z").Nanosecond()', 123456789],
    ['date("2023-08-14T10:00:00.5Z").Format("15:04:05.000")', '10:00:00.500'],
    ['date("2023-08-14T10:00:00Z").Format("3:04PM Monday, January _2")', '10:00AM Monday, August 14'],
    // Argo's EvalTime vector (utils/evaluate): date minus a duration.
    [
      '(date("2023-08-14 00:00:00", "2006-01-02 15:04:05", "UTC") - duration("1h")).Format("2006-01-02T15:04:05Z07:00")',
      '2023-08-13T23:00:00Z',
    ],
    ['date("2023-08-14") - date("2023-08-13") == duration("24h")', true],
    ['date("2023-08-14") + duration("1h") > date("2023-08-14")', true],
    ['date("2023-08-14").Before(date("2023-08-15"))', true],
    ['date("2023-08-14").AddDate(0, 1, 0).Format("2006-01-02")', '2023-09-14'],
    ['date("2023-08-14").Sub(date("2023-08-13")).Hours()', 24],
    ['now().Year()', 2026],
    ['now() - duration("1h") < now()', true],
    ['now().Format("2006-01-02T15:04Z")', '2026-01-15T12:00Z'],
    ['toJSON(date("2023-08-14T10:00:00Z"))', '"2023-08-14T10:00:00Z"'],
    ['toJSON(duration("1s"))', '1000000000'],
  ] as const)('%s', (expression, expected) => {
    expect(valueOfExpression(expression)).toEqual(expected);
  });

  it('dates and durations are values of their own', () => {
    expect(valueOfExpression('date("2023-08-14")')).toBeInstanceOf(ExprTime);
    expect(valueOfExpression('duration("1m")')).toBeInstanceOf(ExprDuration);
    expect(formatValue(valueOfExpression('date("2023-08-14T10:00:00Z")'))).toBe('2023-08-14 10:00:00 +0000 UTC');
  });

  it('now() is the clock the evaluation is given, so a fake clock drives conditions too', () => {
    const condition = compileCondition('now() - date(result) > duration("1h")');
    expect(condition.evaluate('2026-01-15T10:00:00Z', { now: NOW })).toBe(true);
    expect(condition.evaluate('2026-01-15T11:30:00Z', { now: NOW })).toBe(false);
  });
});

describe('errors from the library are ConditionErrors with a position (B: TestBuiltin_errors)', () => {
  it.each([
    ['len()', /len takes 1 arguments, got 0/],
    ['len(1)', /invalid argument for len \(type int\)/],
    ['abs("foo")', /invalid argument for abs \(type string\)/],
    ['max(1, "2")', /invalid argument for max \(type string\)/],
    ['median(1..9, "t")', /invalid argument for median \(type string\)/],
    ['mean("s", 1..9)', /invalid argument for mean \(type string\)/],
    ['duration("error")', /invalid duration/],
    ['date("error")', /invalid date/],
    ['get(1, 2)', /type int does not support indexing/],
    ['bitnot("1")', /invalid argument for bitnot/],
    ['bitshr(-5, -2)', /negative shift count -2/],
    ['bitshl(1, -1)', /negative shift count -1/],
    ['now(nil)', /invalid argument for now/],
    ['timezone("Mars/Olympus")', /unknown time zone Mars\/Olympus/],
    ['flatten([1, 2], [3, 4])', /flatten takes 1 arguments, got 2/],
    ['flatten(1)', /cannot flatten int/],
    ['fromJSON("5e2482")', /fromJSON: a number out of range/],
    ['fromJSON("{")', /fromJSON: /],
    ['repeat("x", -1)', /expected positive integer/],
    ['repeat("x", 2000000)', /memory budget exceeded/],
    ['reduce([], # + #acc)', /reduce of an empty array with no initial value/],
    ['sort([1, "a"])', /cannot compare/],
    ['fromBase64("%%%")', /illegal base64 data/],
    ['toJSON(0/0)', /json: unsupported value: NaN/],
    ['map([1], #acc)', /#acc can only be used inside the predicate of reduce/],
    ['let result = 1; result', /result cannot be a variable name/],
    ['let len = 1; len', /len cannot be a variable name/],
    ['(1).Year()', /type int has no method Year/],
    ['result.Foo()', /method calls on values are not allowed/],
    ['if true { 1 }', /expected else/],
  ])('%s', (expression, message) => {
    let error: unknown;
    try {
      valueOfExpression(expression, [1]);
    } catch (caught) {
      error = caught;
    }
    expect(ConditionError.isConditionError(error), String(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });
});

describe('the new builtins are inside the budget', () => {
  const BIG = 'x'.repeat(1_000_000);
  it.each([
    'all(1..100000, len(upper(result)) > 0)',
    'all(1..100000, len(split(result, "y")) > 0)',
    'all(1..100000, indexOf(result, "y") < 0)',
    'all(1..100000, hasSuffix(result, result))',
    'all(1..100000, len(replace(result, "x", "y")) > 0)',
    'all(1..100000, len(toBase64(result)) > 0)',
    'all(1..100000, len(toJSON(result)) > 0)',
    'all(1..100000, len(trim(result)) > 0)',
    'all(1..100000, fromJSON(toJSON(result)) == result)',
    'all(1..100000, len(repeat(result, 1)) > 0)',
  ])('%s on a 10^6-character string', (expression) => {
    const started = performance.now();
    expect(() => evaluateCondition(expression, BIG)).toThrow(/evaluation exceeded 1000000 steps/);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it.each([
    'len(uniq(1..3000)) > 0',
    'len(sort(1..1000000)) > 0',
    'len(sortBy(1..1000000, -#)) > 0',
    'reduce(1..1000000, #acc + #, 0) > 0',
    'len(groupBy(1..1000000, # % 7)) > 0',
    'len(flatten(map(1..1000, 1..1000))) > 0',
    'len(concat(1..600000, 1..600000)) > 0',
  ])('%s stops at the budget', (expression) => {
    const started = performance.now();
    expect(() => evaluateCondition(expression, null)).toThrow(/evaluation exceeded 1000000 steps/);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
