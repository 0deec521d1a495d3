import { parseRollout, ValidationError } from '@gradual/core';
import { describe, expect, it } from 'vitest';

// Probes that hung or crashed before: each must end quickly with a ValidationError that says where.
// The time bounds are far from the seconds to minutes the unbounded versions took.
const rollout = (extra: string) =>
  `kind: Rollout\nspec:\n  template: {}\n  strategy:\n    canary:\n      steps: [{setWeight: 10}]\n${extra}`;

function issuesOf(input: unknown): readonly { path: string; message: string }[] {
  try {
    parseRollout(input as string);
  } catch (error) {
    expect(ValidationError.isInstance(error), String(error)).toBe(true);
    return (error as ValidationError).issues;
  }
  throw new Error('parseRollout accepted the input');
}

function timed<T>(body: () => T): { result: T; ms: number } {
  const started = performance.now();
  const result = body();
  return { result, ms: performance.now() - started };
}

describe('hostile manifests', () => {
  it('a mapping with 40,000 keys parses in linear time (it took 10-27 s)', () => {
    const keys = Array.from({ length: 40_000 }, (_, i) => `    k${i}: ${i}`).join('\n');
    const { result, ms } = timed(() =>
      parseRollout(rollout(`  analysis:\n    args:\n${keys.replaceAll('    k', '     - k')}\n`)),
    );
    expect(ms).toBeLessThan(5_000);
    expect(result.replicas).toBe(1);
  });

  it('duplicate keys are still refused, at their line and column', () => {
    const issues = issuesOf('kind: Rollout\nspec:\n  replicas: 1\n  replicas: 2\n  template: {}\n');
    expect(issues).toEqual([
      { path: 'yaml:4:3', message: 'duplicate key "replicas" at line 4, column 3: map keys must be unique' },
    ]);
  });

  it('a 50 MB document is refused before parsing (it took 15-30 s and 2 GB)', () => {
    const text = rollout(`  x: "${'a'.repeat(50_000_000)}"\n`);
    const { result, ms } = timed(() => issuesOf(text));
    expect(ms).toBeLessThan(1_000);
    expect(result[0]?.message).toMatch(/YAML text of 50000\d+ characters is over the limit of 4194304/);
  });

  it('a 10 MB unknown key gets no "did you mean" search and is shortened in the path (it took 13-20 s)', () => {
    const key = 'k'.repeat(3_000_000);
    const { result, ms } = timed(() =>
      issuesOf({ kind: 'Rollout', spec: { template: {}, strategy: { canary: { steps: [{ pause: { [key]: 1 } }] } } } }),
    );
    expect(ms).toBeLessThan(2_000);
    expect(result).toHaveLength(1);
    expect(result[0]?.path).toBe(`spec.strategy.canary.steps[0].pause.${'k'.repeat(64)}…`);
    expect(result[0]?.message.length).toBeLessThan(500);
  });

  it('an unknown step type of 10 MB is named shortened', () => {
    const step = { ['s'.repeat(10_000_000)]: {} };
    const { result, ms } = timed(() => issuesOf({ template: {}, strategy: { canary: { steps: [step] } } }));
    expect(ms).toBeLessThan(2_000);
    expect(result[0]?.message.length).toBeLessThan(1_000);
  });

  it('YAML nested past what the stack holds is a ValidationError, not a RangeError', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const issues = issuesOf(`kind: Rollout\nspec:\n  template: {}\n  x: ${deep}\n`);
    expect(issues[0]?.message).toMatch(/nested too deeply|malformed YAML/);
  });

  it('replicas: 1e308 and other int32 fields past 2^31-1 are refused with their path', () => {
    expect(issuesOf({ template: {}, replicas: 1e308, strategy: { canary: { steps: [] } } })).toEqual([
      { path: 'spec.replicas', message: 'must be between 0 and 2147483647, got 1e+308' },
    ]);
    const issues = issuesOf({
      template: {},
      progressDeadlineSeconds: 2 ** 31,
      strategy: { canary: { steps: [{ setCanaryScale: { replicas: 2 ** 40 } }] } },
    });
    const paths = issues.map((issue) => issue.path);
    expect(paths).toContain('spec.progressDeadlineSeconds');
    expect(paths).toContain('spec.strategy.canary.steps[0].setCanaryScale.replicas');
  });
});

describe('objects that are not plain data are refused before use', () => {
  const valid = () => ({ template: {}, strategy: { canary: { steps: [{ setWeight: 10 }] } } });

  it('a getter never runs', () => {
    let ran = false;
    const spec = valid();
    Object.defineProperty(spec.strategy.canary.steps[0]!, 'setWeight', {
      enumerable: true,
      get: () => {
        ran = true;
        return 10;
      },
    });
    expect(issuesOf(spec)).toEqual([
      { path: 'strategy.canary.steps[0].setWeight', message: 'is not plain data: a getter or setter' },
    ]);
    expect(ran).toBe(false);
  });

  it('a Proxy is refused without running a trap', () => {
    let trapped = false;
    const spec = valid() as Record<string, unknown>;
    spec.strategy = new Proxy(
      {},
      {
        ownKeys: () => {
          trapped = true;
          return [];
        },
        get: () => {
          trapped = true;
          return undefined;
        },
      },
    );
    expect(issuesOf(spec)[0]).toEqual({ path: 'strategy', message: 'is not plain data: a Proxy' });
    expect(trapped).toBe(false);
  });

  it('functions, symbols, class instances, cycles, NaN and 10^5-deep nesting, each with its path', () => {
    const cases: [unknown, string, RegExp][] = [
      [{ ...valid(), replicas: () => 3 }, 'replicas', /a function/],
      [{ ...valid(), replicas: Symbol('x') }, 'replicas', /a symbol/],
      [{ ...valid(), template: new Date(0) }, 'template', /an instance of Date/],
      [{ ...valid(), replicas: Number.NaN }, 'replicas', /out of range/],
    ];
    const cyclic = valid() as Record<string, unknown>;
    cyclic.template = cyclic;
    cases.push([cyclic, 'template', /a cycle/]);
    let deep: Record<string, unknown> = {};
    const root = { ...valid(), template: deep };
    for (let i = 0; i < 100_000; i++) {
      const next = {};
      deep.x = next;
      deep = next;
    }
    cases.push([root, 'template.x', /nested deeper than 100 levels/]);
    for (const [input, path, reason] of cases) {
      const [issue] = issuesOf(input);
      expect(issue?.path.startsWith(path), `${issue?.path} starts with ${path}`).toBe(true);
      expect(issue?.message).toMatch(reason);
    }
  });

  it('the parsed spec is a copy: changing the input afterwards changes nothing', () => {
    const input = valid();
    const spec = parseRollout(input);
    input.strategy.canary.steps[0]!.setWeight = 90;
    expect(spec.strategy.canary?.steps[0]).toEqual({ setWeight: 10 });
  });
});
