// Issue #17: parseAnalysisTemplate(object) refuses what is not plain data, with the path, before use;
// YAML errors name the place as parseRollout's do.
import { ValidationError } from '@gradual/core';
import { describe, expect, it } from 'vitest';
import { parseAnalysisTemplate, templateLimits } from '../src/index.js';

const valid = () => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisTemplate',
  metadata: { name: 't' },
  spec: { metrics: [{ name: 'm', successCondition: 'result > 0', provider: { web: { url: 'http://x' } } }] },
});

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    parseAnalysisTemplate(input as object);
  } catch (error) {
    expect(ValidationError.isValidationError(error), String(error)).toBe(true);
    return [...(error as ValidationError).issues];
  }
  throw new Error('expected a ValidationError');
}

describe('a template given as an object must be plain data', () => {
  it('a function, a symbol, a BigInt or a class instance is refused with its path', () => {
    const withFunction = valid();
    (withFunction.spec.metrics[0] as Record<string, unknown>)['count'] = () => 3;
    expect(issuesOf(withFunction)).toEqual([{ path: 'spec.metrics[0].count', message: 'a function is not plain data' }]);
    const withSymbol = valid();
    (withSymbol.metadata as Record<string, unknown>)['name'] = Symbol('t');
    expect(issuesOf(withSymbol)).toEqual([{ path: 'metadata.name', message: 'a symbol is not plain data' }]);
    const withDate = valid();
    (withDate.metadata as Record<string, unknown>)['labels'] = new Date(0);
    expect(issuesOf(withDate)).toEqual([{ path: 'metadata.labels', message: 'an instance of Date is not plain data' }]);
    expect(issuesOf({ ...valid(), extra: 1n })).toEqual([{ path: 'extra', message: 'a bigint is not plain data' }]);
  });

  it('a getter is refused and never runs', () => {
    let ran = false;
    const input = valid();
    Object.defineProperty(input.spec.metrics[0], 'interval', {
      enumerable: true,
      get() {
        ran = true;
        return '10s';
      },
    });
    expect(issuesOf(input)).toEqual([{ path: 'spec.metrics[0].interval', message: 'a getter or setter is not plain data' }]);
    expect(ran).toBe(false);
  });

  it('a Proxy is refused without running a trap', () => {
    const traps: string[] = [];
    const handler: ProxyHandler<object> = {
      get: (target, key, receiver) => {
        traps.push('get');
        return Reflect.get(target, key, receiver);
      },
      ownKeys: (target) => {
        traps.push('ownKeys');
        return Reflect.ownKeys(target);
      },
      getOwnPropertyDescriptor: (target, key) => {
        traps.push('getOwnPropertyDescriptor');
        return Reflect.getOwnPropertyDescriptor(target, key);
      },
    };
    expect(issuesOf(new Proxy(valid(), handler))).toEqual([{ path: '', message: 'a Proxy is not plain data' }]);
    const input = valid();
    input.spec = new Proxy(input.spec, handler) as typeof input.spec;
    expect(issuesOf(input)).toEqual([{ path: 'spec', message: 'a Proxy is not plain data' }]);
    expect(traps).toEqual([]);
  });

  it('a cycle is refused with the path that closes it', () => {
    const input = valid();
    (input.spec.metrics[0] as Record<string, unknown>)['provider'] = { web: input.spec };
    expect(issuesOf(input)).toEqual([
      { path: 'spec.metrics[0].provider.web', message: 'a cycle (the value contains itself) is not plain data' },
    ]);
  });

  it(`nesting past ${templateLimits.maxObjectDepth} levels is refused, even 10^5 deep (no stack overflow)`, () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) deep = { x: deep };
    const input = valid();
    (input.metadata as Record<string, unknown>)['annotations'] = deep;
    const [issue] = issuesOf(input);
    expect(issue?.message).toBe(`nested deeper than ${templateLimits.maxObjectDepth} levels is not plain data`);
    expect(issue?.path).toMatch(/^metadata\.annotations(\.x)+$/);
  });

  it('a shared object graph that would blow up exponentially is cut at the value limit', () => {
    let shared: unknown = 'x';
    for (let i = 0; i < 60; i++) shared = [shared, shared];
    const input = valid();
    (input.metadata as Record<string, unknown>)['annotations'] = { a: shared };
    const [issue] = issuesOf(input);
    expect(issue?.message).toBe(`more than ${templateLimits.maxObjectValues} values is not plain data`);
  });

  it('the parsed template is a copy: later changes to the input do not reach it', () => {
    const input = valid();
    const parsed = parseAnalysisTemplate(input);
    input.spec.metrics[0]!.successCondition = 'false';
    expect(parsed.spec.metrics[0]?.successCondition).toBe('result > 0');
  });
});

describe('template YAML errors name the place', () => {
  it('malformed YAML has a yaml:L:C path, as parseRollout', () => {
    const text = 'kind: AnalysisTemplate\nmetadata:\n  name: t\nspec:\n  metrics: [\n';
    const issues = issuesOf(text);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]?.path).toMatch(/^yaml:\d+:\d+$/);
    expect(issues[0]?.message).toMatch(/^malformed YAML at line \d+, column \d+: /);
  });

  it('a bad indentation points at its line', () => {
    const text = 'kind: AnalysisTemplate\nmetadata:\n  name: t\n   bad: indent\n';
    expect(issuesOf(text)[0]?.path).toMatch(/^yaml:[34]:\d+$/);
  });

  it('an alias bomb is refused with a path', () => {
    const text = `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [${'*a, '.repeat(9)}*a]\nc: &c [${'*b, '.repeat(9)}*b]\nd: [${'*c, '.repeat(99)}*c]\n`;
    const issues = issuesOf(text);
    expect(issues[0]?.path).toMatch(/^yaml:/);
    expect(issues[0]?.message).toMatch(/alias/i);
  });
});

// Template YAML is read by core's reader (readYaml), with parseRollout's bounds (issue #17).
describe('template YAML is bounded as manifests are', () => {
  const template = (extra: string) =>
    `apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata: {name: t}\nspec:\n  metrics:\n  - name: m\n    provider: {web: {url: "http://x"}}\n${extra}`;

  it('a 50 MB template is refused before parsing', () => {
    const started = performance.now();
    const issues = issuesOf(template(`    x: "${'a'.repeat(50_000_000)}"\n`));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(issues[0]?.message).toMatch(/over the limit of 4194304/);
  });

  it('40,000 keys in one mapping parse in linear time, and duplicate keys are refused at their place', () => {
    const keys = Array.from({ length: 40_000 }, (_, i) => `        k${i}: v`).join('\n');
    const started = performance.now();
    issuesOf(template(`    provider:\n      web:\n        url: "http://x"\n${keys}\n`));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(issuesOf(template('    name: again\n'))).toEqual([
      { path: 'yaml:8:5', message: 'duplicate key "name" at line 8, column 5: map keys must be unique' },
    ]);
  });

  it('a multi-document file gives its one AnalysisTemplate', () => {
    const parsed = parseAnalysisTemplate(`kind: Service\nmetadata: {name: s}\n---\n${template('')}`);
    expect(parsed.metadata.name).toBe('t');
  });
});
