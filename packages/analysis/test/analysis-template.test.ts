import { readFileSync } from 'node:fs';
import { GradualError, ValidationError } from '@gradual/core';
import { describe, expect, it } from 'vitest';
import { parseAnalysisTemplate, substituteArgs } from '../src/index.js';
import { flattenTemplates, resolveTemplateRefs } from '../src/template/flatten-templates.js';
import { resolveArgs } from '../src/template/resolve-args.js';

const seed = readFileSync(new URL('./fixtures/analysistemplate-success-rate.yaml', import.meta.url), 'utf8');

const issuesOf = (input: string | object) => {
  try {
    parseAnalysisTemplate(input);
  } catch (error) {
    if (ValidationError.isValidationError(error)) return error.issues;
    throw error;
  }
  throw new Error('expected a ValidationError');
};

const withMetrics = (metrics: unknown[], spec: Record<string, unknown> = {}) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisTemplate',
  metadata: { name: 't' },
  spec: { metrics, ...spec },
});

describe('parseAnalysisTemplate', () => {
  it('reads the seed template from YAML', () => {
    const template = parseAnalysisTemplate(seed);
    expect(template.kind).toBe('AnalysisTemplate');
    expect(template.metadata.name).toBe('success-rate');
    expect(template.spec.args).toEqual([{ name: 'service-name' }]);
    expect(template.spec.metrics[0]).toMatchObject({ name: 'success-rate', interval: '10s', failureLimit: 2 });
    expect(Object.keys(template.spec.metrics[0]?.provider ?? {})).toEqual(['prometheus']);
  });

  it('reads a ClusterAnalysisTemplate object', () => {
    expect(
      parseAnalysisTemplate({ ...withMetrics([{ name: 'a', provider: { web: {} } }]), kind: 'ClusterAnalysisTemplate' }).kind,
    ).toBe('ClusterAnalysisTemplate');
  });

  // Argo's validation (reference §4.3, pkg/apis/rollouts/validation and utils/analysis ValidateMetric).
  it.each([
    ['no metrics', withMetrics([]), [{ path: 'spec.metrics', message: 'no metrics specified' }]],
    ['no provider', withMetrics([{ name: 'a' }]), [{ path: 'spec.metrics[0].provider', message: 'no provider specified' }]],
    [
      'two providers',
      withMetrics([{ name: 'a', provider: { web: {}, prometheus: {} } }]),
      [{ path: 'spec.metrics[0].provider', message: 'multiple providers specified (web, prometheus)' }],
    ],
    [
      'failureLimit below -1',
      withMetrics([{ name: 'a', provider: { web: {} }, failureLimit: -2 }]),
      [{ path: 'spec.metrics[0].failureLimit', message: 'must be >= -1' }],
    ],
    [
      'failureLimit -1 without consecutiveSuccessLimit',
      withMetrics([{ name: 'a', provider: { web: {} }, failureLimit: -1 }]),
      [
        {
          path: 'spec.metrics[0].failureLimit',
          message: 'failureLimit -1 disables failure, so consecutiveSuccessLimit must be > 0',
        },
      ],
    ],
    [
      'count below failureLimit + consecutiveSuccessLimit',
      withMetrics([{ name: 'a', provider: { web: {} }, count: 3, interval: '1s', failureLimit: 2, consecutiveSuccessLimit: 2 }]),
      [{ path: 'spec.metrics[0].count', message: 'count (3) must be >= failureLimit + consecutiveSuccessLimit (4)' }],
    ],
    [
      'count below inconclusiveLimit',
      withMetrics([{ name: 'a', provider: { web: {} }, count: 1, inconclusiveLimit: 2 }]),
      [{ path: 'spec.metrics[0].count', message: 'count (1) must be >= inconclusiveLimit (2)' }],
    ],
    [
      'count > 1 without interval',
      withMetrics([{ name: 'a', provider: { web: {} }, count: 2 }]),
      [{ path: 'spec.metrics[0].interval', message: 'is required when count > 1' }],
    ],
    [
      'a bad interval',
      withMetrics([{ name: 'a', provider: { web: {} }, interval: 'soon' }]),
      [{ path: 'spec.metrics[0].interval', message: expect.stringMatching(/^invalid duration: "soon" /) }],
    ],
    [
      'a bad condition',
      withMetrics([{ name: 'a', provider: { web: {} }, successCondition: 'result >' }]),
      [{ path: 'spec.metrics[0].successCondition', message: expect.stringContaining('unexpected end of expression') }],
    ],
    [
      'a negative consecutiveErrorLimit',
      withMetrics([{ name: 'a', provider: { web: {} }, consecutiveErrorLimit: -1 }]),
      [{ path: 'spec.metrics[0].consecutiveErrorLimit', message: 'must be >= 0' }],
    ],
    [
      'a bad dryRun regex',
      withMetrics([{ name: 'a', provider: { web: {} } }], { dryRun: [{ metricName: '(' }] }),
      [{ path: 'spec.dryRun[0].metricName', message: expect.stringContaining('invalid regular expression') }],
    ],
    [
      'a duplicate arg',
      withMetrics([{ name: 'a', provider: { web: {} } }], { args: [{ name: 'x' }, { name: 'x' }] }),
      [{ path: 'spec.args[1].name', message: 'duplicate argument name "x"' }],
    ],
  ])('refuses %s', (_name, input, issues) => {
    expect(issuesOf(input)).toEqual(issues);
  });

  it('lists every issue at once, with its path', () => {
    const issues = issuesOf({
      kind: 'Rollout',
      metadata: {},
      spec: {
        metrics: [
          { name: 'a', provider: {} },
          { name: 'a', provider: { web: {} }, inconclusiveLimit: 'x' },
        ],
      },
    });
    expect(issues.map((issue) => issue.path)).toEqual([
      'kind',
      'metadata.name',
      'spec.metrics[0].provider',
      'spec.metrics[1].inconclusiveLimit',
      'spec.metrics[1].name',
    ]);
    expect(issues[4]?.message).toBe('duplicate metric name "a"');
  });

  it('leaves fields with placeholders to be checked after substitution', () => {
    expect(() =>
      parseAnalysisTemplate(withMetrics([{ name: 'a', provider: { web: {} }, count: '{{args.n}}', interval: '{{args.i}}' }])),
    ).not.toThrow();
  });

  it('reports YAML syntax errors', () => {
    expect(() => parseAnalysisTemplate('kind: [')).toThrow(ValidationError);
  });
});

describe('substituteArgs (utils/template/template_test.go vectors, §4.2)', () => {
  it.each([
    ['test-{{args.var}}', { var: 'foo' }, 'test-foo'],
    ['test-{{ args.var }}', { var: 'foo' }, 'test-foo'],
    ['test', {}, 'test'],
    ['{{args.var}}', { var: 'double quotes"newline\nand tab\t' }, 'double quotes"newline\nand tab\t'],
  ])('%j with %j -> %j', (text, args, expected) => {
    expect(substituteArgs({ text }, args).text).toBe(expected);
  });

  it('an unknown placeholder is an error', () => {
    expect(() => substituteArgs({ text: 'test-{{args.var}}' }, {})).toThrow('failed to resolve {{args.var}}');
    expect(() => substituteArgs({ text: '{{metadata.name}}' }, {})).toThrow('failed to resolve {{metadata.name}}');
  });

  it('an unterminated tag is an error', () => {
    expect(() => substituteArgs({ text: 'a {{args.x' }, { x: '1' })).toThrow(/Cannot find end tag="}}"/);
  });

  it('substitutes in every string field, keeping the placeholders asked for', () => {
    expect(substituteArgs({ a: ['{{args.x}}', { b: '{{args.y}}' }], n: 1 }, { x: '1' }, new Set(['y']))).toEqual({
      a: ['1', { b: '{{args.y}}' }],
      n: 1,
    });
  });
});

describe('merging templates and args (utils/analysis/factory.go, §4.2)', () => {
  const a = parseAnalysisTemplate(
    withMetrics([{ name: 'one', provider: { web: {} } }], { args: [{ name: 'x', value: '1' }, { name: 'y' }] }),
  );
  const b = parseAnalysisTemplate({
    ...withMetrics([{ name: 'two', provider: { web: {} } }], { args: [{ name: 'y', value: '2' }] }),
    metadata: { name: 'b' },
  });

  it('concatenates metrics; a value is never replaced by none', () => {
    const flat = flattenTemplates([a, b]);
    expect(flat.metrics.map((metric) => metric.name)).toEqual(['one', 'two']);
    expect(flat.args).toEqual([
      { name: 'x', value: '1' },
      { name: 'y', value: '2' },
    ]);
  });

  it('refuses the same arg with two values, and two metrics with one name', () => {
    const c = parseAnalysisTemplate({
      ...withMetrics([{ name: 'three', provider: { web: {} } }], { args: [{ name: 'x', value: '9' }] }),
      metadata: { name: 'c' },
    });
    expect(() => flattenTemplates([a, c])).toThrow('Argument `x` specified multiple times with different values');
    expect(() => flattenTemplates([a, a])).toThrow('two metrics have the same name "one"');
  });

  it('rollout args override declared ones only; every arg must resolve', () => {
    expect(
      resolveArgs(
        [{ name: 'x', value: '1' }],
        [
          { name: 'x', value: '2' },
          { name: 'z', value: '3' },
        ],
      ).values,
    ).toEqual({ x: '2' });
    expect(() => resolveArgs([{ name: 'x' }], [])).toThrow('args.x was not resolved');
    expect(resolveArgs([{ name: 's', valueFrom: { secretKeyRef: { name: 'n', key: 'k' } } }]).secrets).toEqual([
      { name: 's', secretKeyRef: { name: 'n', key: 'k' } },
    ]);
  });

  it('follows nested templates and detects cycles', () => {
    const parent = parseAnalysisTemplate({
      ...withMetrics([], { templates: [{ templateName: 't' }] }),
      metadata: { name: 'parent' },
    });
    expect(resolveTemplateRefs([{ templateName: 'parent' }], [parent, a]).map((t) => t.metadata.name)).toEqual(['parent', 't']);
    const loop = parseAnalysisTemplate({
      ...withMetrics([], { templates: [{ templateName: 'loop' }] }),
      metadata: { name: 'loop' },
    });
    expect(() => resolveTemplateRefs([{ templateName: 'loop' }], [loop])).toThrow(GradualError);
  });
});
