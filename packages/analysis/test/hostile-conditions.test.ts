// Issue #17: work the condition budget did not charge, and results from a host that run code when read.
import { describe, expect, it } from 'vitest';
import { unwrapChecked } from '../src/condition/check-result.js';
import {
  CheckedResult,
  ConditionError,
  checkResult,
  compileCondition,
  evaluateCondition,
  parseAnalysisTemplate,
} from '../src/index.js';

const BIG = 'x'.repeat(1_000_000);
const budgetError = /evaluation exceeded 1000000 steps/;

// Each would take over a minute (10^5 × 10^6 characters) if the work were not charged; a
// generous wall-clock bound keeps the test meaningful on a loaded machine.
const quickly = (run: () => unknown) => {
  const started = performance.now();
  expect(run).toThrow(budgetError);
  expect(performance.now() - started).toBeLessThan(10_000);
};

describe('every step of evaluation is charged in proportion to its work', () => {
  it.each([
    ['endsWith', 'all(1..100000, result endsWith result)', BIG],
    ['startsWith', 'all(1..100000, result startsWith result)', BIG],
    ['contains', 'all(1..100000, result contains "y")', BIG],
    ['len of a string', 'all(1..100000, len(result) > 0)', BIG],
    ['string index', 'all(1..100000, result[-1] == "x")', BIG],
    ['string slice', 'all(1..100000, len(result[1:3]) == 2)', BIG],
    ['string ==', 'all(1..100000, result == result)', BIG],
    ['string <', 'all(1..100000, result <= result)', BIG],
    ['asFloat of a long string', 'all(1..100000, asFloat(result) > 0)', '1'.repeat(1_000_000)],
    ['int of a long string', 'all(1..100000, int(result) > 0)', '1'.repeat(1_000_000)],
  ])('%s on a 10^6-character string stops at the budget', (_name, expression, result) => {
    const condition = compileCondition(expression);
    quickly(() => condition.evaluate(result));
  });

  it('len of a map is charged by its keys', () => {
    const map = Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, i]));
    quickly(() => evaluateCondition('all(1..100000, len(result) > 0)', map));
  });

  it('deep == and in are charged by the values they walk', () => {
    const deep = Array.from({ length: 100_000 }, (_, i) => ({ a: [i, i] }));
    quickly(() => evaluateCondition('all(1..100000, result == result)', deep));
    quickly(() => evaluateCondition('all(1..1000, result in [result, result])', deep));
    quickly(() =>
      evaluateCondition(
        'all(1..100000, 99999 in result)',
        Array.from({ length: 100_000 }, (_, i) => i),
      ),
    );
  });

  it('median is charged for its sort', () => {
    quickly(() =>
      evaluateCondition(
        'all(1..1000, median(result) > 0)',
        Array.from({ length: 100_000 }, (_, i) => i),
      ),
    );
  });

  it('cheap conditions still pass', () => {
    expect(evaluateCondition('result endsWith "x" && len(result) == 500000', BIG.slice(0, 500_000))).toBe(true);
    expect(evaluateCondition('result[0] == "x" && result[1:3] == "yz"', 'xyz')).toBe(true);
  });
});

describe('a result handed in by a host is checked as plain data before evaluation', () => {
  const refused = (result: unknown, path: RegExp) => {
    let error: unknown;
    try {
      evaluateCondition('true', result);
    } catch (caught) {
      error = caught;
    }
    expect(ConditionError.isConditionError(error), String(error)).toBe(true);
    expect((error as ConditionError).reason).toMatch(path);
  };

  it('a getter is refused with its path and never runs', () => {
    let ran = 0;
    const inner = Object.defineProperty({}, 'rate', {
      enumerable: true,
      get() {
        ran++;
        return 1;
      },
    });
    refused({ data: [inner] }, /^result is not plain data: result\.data\[0\]\.rate: a getter or setter$/);
    const array = [1, 2];
    Object.defineProperty(array, 1, {
      get() {
        ran++;
        return 2;
      },
    });
    refused(array, /result\[1\]: a getter or setter/);
    expect(ran).toBe(0);
  });

  it('Symbol.iterator is never called, and a symbol-keyed property is refused', () => {
    let ran = 0;
    const array = [1, 2, 3];
    Object.defineProperty(array, Symbol.iterator, {
      value: function* () {
        ran++;
        yield 99;
      },
    });
    refused(array, /result: a symbol-keyed property/);
    expect(ran).toBe(0);
  });

  it('no Proxy trap runs', () => {
    const traps: string[] = [];
    const handler: ProxyHandler<object> = Object.fromEntries(
      ['get', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'defineProperty'].map((trap) => [
        trap,
        (...args: unknown[]) => {
          traps.push(trap);
          return (Reflect as unknown as Record<string, (...a: unknown[]) => unknown>)[trap]?.(...args);
        },
      ]),
    );
    refused(new Proxy([0.97], handler), /^result is not plain data: result: a Proxy$/);
    refused({ nested: new Proxy({}, handler) }, /result\.nested: a Proxy/);
    expect(() => compileCondition('len(result) == 0 || result[0] >= 0.95').evaluate(new Proxy([0.97], handler))).toThrow(
      /a Proxy/,
    );
    expect(traps).toEqual([]);
  });

  it('functions, symbols, BigInts, class instances, cycles and deep nesting are refused with their path', () => {
    refused({ f: () => 1 }, /result\.f: a function/);
    refused([Symbol('s')], /result\[0\]: a symbol/);
    refused({ n: 1n }, /result\.n: a bigint/);
    refused({ when: new Date(0) }, /result\.when: an instance of Date/);
    refused(new Map(), /result: an instance of Map/);
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    refused(cycle, /result\.self: a cycle/);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    refused(deep, /nested deeper than 200 levels/);
  });

  it('shared (not cyclic) references are fine, and the check runs once per value', () => {
    const shared = { a: 1 };
    expect(evaluateCondition('result[0].a == result[1].a', [shared, shared])).toBe(true);
    const checked = checkResult([0.97]);
    expect(checkResult(checked)).toBe(checked);
    // The copy is out of the host's reach: CheckedResult exposes nothing of it.
    expect(Object.keys(checked)).toEqual([]);
    // A forged wrapper is not a CheckedResult: its "value" is checked like any host value.
    const forged = Object.create(CheckedResult.prototype, { value: { get: () => [1] } });
    expect(() => compileCondition('true').evaluate(forged)).toThrow(/result is not plain data/);
    expect(compileCondition('result[0] >= 0.95').evaluate(checked)).toBe(true);
  });

  it('own keys named like prototype members stay data', () => {
    const result = JSON.parse('{"__proto__": {"x": 1}}');
    const checked = unwrapChecked(checkResult(result)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(checked)).not.toHaveProperty('x');
    expect(evaluateCondition('result.__proto__.x == 1', result)).toBe(true);
  });
});

describe('NaN and infinities print as Go prints them, not as null', () => {
  const template = (metric: Record<string, unknown>) => ({
    kind: 'AnalysisTemplate',
    metadata: { name: 't' },
    spec: { metrics: [{ name: 'm', provider: { web: {} }, ...metric }] },
  });
  it.each([
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '+Inf'],
    [Number.NEGATIVE_INFINITY, '-Inf'],
  ])('count: %s', (count, text) => {
    expect(() => parseAnalysisTemplate(template({ count }))).toThrow(`spec.metrics[0].count: must be an integer, got ${text}`);
  });

  it('in condition messages', () => {
    expect(() => evaluateCondition('int(result) > 0', Number.NaN)).toThrow(/cannot convert NaN to int/);
    expect(() => evaluateCondition('result[5] > 0', [Number.POSITIVE_INFINITY])).toThrow(/index out of range: 5/);
    expect(() => evaluateCondition('result > 0', 'x')).toThrow(/mismatched types string and int/);
  });
});
