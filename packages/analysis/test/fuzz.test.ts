// Issue #17: fast-check over parseAnalysisTemplate and over the condition compiler and evaluator
// (with expr-lang's whole library and hostile results). Every property is bounded in runs and in
// wall time, and asserts that only our own errors come out.
import { ValidationError } from '@gradual/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConditionError, compileCondition, parseAnalysisTemplate } from '../src/index.js';

const TIME_LIMIT_MS = 8_000;
const run = (property: fc.IProperty<never> | fc.IProperty<unknown[]>, numRuns: number) =>
  fc.assert(property as fc.IProperty<unknown[]>, { numRuns, interruptAfterTimeLimit: TIME_LIMIT_MS, seed: 20261203 });

describe('parseAnalysisTemplate under fuzzing: a template or a ValidationError, nothing else', () => {
  const valid = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name: 't' },
    spec: {
      args: [{ name: 'service' }],
      metrics: [
        {
          name: 'success-rate',
          interval: '10s',
          successCondition: 'len(result) == 0 || result[0] >= 0.95',
          failureLimit: 2,
          provider: { prometheus: { address: 'http://p:9090', query: 'up{service="{{args.service}}"}' } },
        },
      ],
      dryRun: [{ metricName: '.*' }],
    },
  };
  const outcome = (input: unknown) => {
    try {
      parseAnalysisTemplate(input as object);
      return 'ok';
    } catch (error) {
      if (ValidationError.isValidationError(error)) {
        for (const issue of error.issues) expect(typeof issue.path).toBe('string');
        return 'invalid';
      }
      throw error;
    }
  };

  // Replace one value somewhere in the valid template with anything fast-check can make.
  const paths = [
    ['kind'],
    ['metadata'],
    ['metadata', 'name'],
    ['spec'],
    ['spec', 'metrics'],
    ['spec', 'metrics', 0],
    ['spec', 'metrics', 0, 'count'],
    ['spec', 'metrics', 0, 'interval'],
    ['spec', 'metrics', 0, 'successCondition'],
    ['spec', 'metrics', 0, 'failureLimit'],
    ['spec', 'metrics', 0, 'noData'],
    ['spec', 'metrics', 0, 'provider'],
    ['spec', 'args'],
    ['spec', 'args', 0],
    ['spec', 'dryRun', 0, 'metricName'],
    ['spec', 'measurementRetention'],
  ] as const;
  const hostileValue = fc.anything({
    maxDepth: 3,
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withSparseArray: true,
    withTypedArray: true,
    withBoxedValues: true,
  });

  it('one field replaced by anything (objects, BigInts, Maps, sparse arrays, null prototypes)', () => {
    run(
      fc.property(fc.constantFrom(...paths), hostileValue, (path, value) => {
        const input = structuredClone(valid) as Record<string, unknown>;
        let target: Record<string | number, unknown> = input;
        for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
        target[path[path.length - 1] as string] = value;
        expect(['ok', 'invalid']).toContain(outcome(input));
      }),
      400,
    );
  });

  it('any value at all as the whole input', () => {
    run(
      fc.property(hostileValue, (value) => {
        expect(['ok', 'invalid']).toContain(outcome(value));
      }),
      300,
    );
  });

  it('any text as YAML, and the valid template with characters changed', () => {
    const yaml = `kind: AnalysisTemplate\nmetadata:\n  name: t\nspec:\n  metrics:\n    - name: m\n      successCondition: result > 0\n      provider:\n        web:\n          url: http://x\n`;
    run(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(['ok', 'invalid']).toContain(outcome(text));
      }),
      300,
    );
    run(
      fc.property(fc.nat(yaml.length - 1), fc.string({ minLength: 1, maxLength: 3 }), (at, insert) => {
        expect(['ok', 'invalid']).toContain(outcome(yaml.slice(0, at) + insert + yaml.slice(at + 1)));
      }),
      300,
    );
  });
});

describe('conditions under fuzzing: a boolean or a ConditionError, nothing else', () => {
  const builtins1 = [
    'len',
    'upper',
    'lower',
    'trim',
    'first',
    'last',
    'reverse',
    'sort',
    'uniq',
    'flatten',
    'keys',
    'values',
    'toPairs',
    'fromPairs',
    'type',
    'toJSON',
    'fromJSON',
    'toBase64',
    'fromBase64',
    'duration',
    'date',
    'timezone',
    'mean',
    'median',
    'string',
    'int',
    'float',
    'bitnot',
  ];
  const builtins2 = [
    'split',
    'indexOf',
    'hasPrefix',
    'hasSuffix',
    'repeat',
    'join',
    'get',
    'take',
    'concat',
    'bitand',
    'bitshl',
    'trimPrefix',
    'max',
    'min',
  ];
  const predicates = [
    'all',
    'any',
    'filter',
    'map',
    'find',
    'findIndex',
    'findLast',
    'findLastIndex',
    'groupBy',
    'sortBy',
    'count',
    'sum',
  ];
  const grammar = fc.letrec((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(
        'result',
        'result[0]',
        'result.a',
        '1',
        '-2',
        '0.5',
        '"a,b"',
        '"2023-08-14"',
        '"1h"',
        'nil',
        'true',
        '[1, "x"]',
        '{a: 1}',
        'now()',
        '#',
        '#index',
      ),
      fc
        .tuple(
          tie('expr'),
          fc.constantFrom('==', '<', '+', '-', '*', '/', '&&', 'in', '??', 'contains', 'endsWith', '..'),
          tie('expr'),
        )
        .map(([a, op, b]) => `${a} ${op} ${b}`),
      fc.tuple(fc.constantFrom(...builtins1), tie('expr')).map(([f, a]) => `${f}(${a})`),
      fc.tuple(fc.constantFrom(...builtins2), tie('expr'), tie('expr')).map(([f, a, b]) => `${f}(${a}, ${b})`),
      fc.tuple(fc.constantFrom(...predicates), tie('expr'), tie('expr')).map(([f, a, b]) => `${f}(${a}, {${b}})`),
      fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `reduce(${a}, #acc + ${b}, 0)`),
      fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `let v = ${a}; ${b} ?? v`),
      fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([a, b, c]) => `if ${a} { ${b} } else { ${c} }`),
      fc
        .tuple(tie('expr'), fc.constantFrom('Year()', 'Hours()', 'Format("2006")', 'String()', 'Unix()'))
        .map(([a, m]) => `(${a}).${m}`),
      fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `${a}[${b}]`),
      tie('expr').map((a) => `(${a})`),
    ),
  })).expr;
  const results = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.array(fc.double(), { maxLength: 5 }),
    fc.constant('x'.repeat(10_000)),
    fc.constant(Array.from({ length: 10_000 }, (_, i) => i)),
  );
  const outcome = (expression: string, result: unknown) => {
    try {
      const value = compileCondition(expression).evaluate(result, { now: Date.UTC(2026, 0, 15) });
      expect(typeof value).toBe('boolean');
      return 'ok';
    } catch (error) {
      if (ConditionError.isConditionError(error)) return 'language-error';
      throw error;
    }
  };

  it('grammar-shaped expressions over the whole library, on JSON results', () => {
    run(
      fc.property(grammar, results, (expression, result) => {
        expect(['ok', 'language-error']).toContain(outcome(expression, result));
      }),
      1_500,
    );
  });

  it('token soup with the new keywords', () => {
    const alphabet = [
      'let',
      'if',
      'else',
      '{',
      '}',
      ';',
      '=',
      '#acc',
      '#',
      'reduce(',
      'date(',
      'now()',
      '.Year()',
      ',',
      ')',
      '(',
      'result',
      '1',
      '"a"',
      ' ',
      '+',
      '-',
      '..',
      '[',
      ']',
      '|',
      'split(',
    ];
    const soup = fc.array(fc.constantFrom(...alphabet), { maxLength: 30 }).map((parts) => parts.join(''));
    run(
      fc.property(soup, (expression) => {
        expect(['ok', 'language-error']).toContain(outcome(expression, [1, 2]));
      }),
      1_500,
    );
  });

  it('hostile results (getters, proxies, Maps, BigInts, cycles) are refused without running their code', () => {
    const touched: string[] = [];
    const hostile = fc.constantFrom<() => unknown>(
      () =>
        Object.defineProperty({}, 'a', {
          enumerable: true,
          get() {
            touched.push('getter');
            return 1;
          },
        }),
      () =>
        new Proxy([1], {
          get() {
            touched.push('proxy');
            return 1;
          },
        }),
      () => new Map([['a', 1]]),
      () => [1n],
      () => {
        const cycle: unknown[] = [];
        cycle.push(cycle);
        return cycle;
      },
      () => ({ f: () => touched.push('function') }),
    );
    run(
      fc.property(grammar, hostile, (expression, make) => {
        const result = make();
        let parsed = true;
        try {
          compileCondition(expression);
        } catch {
          parsed = false;
        }
        if (!parsed) return;
        expect(outcome(expression, result)).toBe('language-error');
      }),
      500,
    );
    expect(touched).toEqual([]);
  });
});
