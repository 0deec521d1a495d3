import { parseRollout, ValidationError } from '@gradual/core';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { seed } from './support.js';

function issuesOf(input: string | object): { path: string; message: string }[] {
  try {
    parseRollout(input);
  } catch (error) {
    expect(ValidationError.isValidationError(error)).toBe(true);
    return [...(error as ValidationError).issues];
  }
  throw new Error('expected a ValidationError');
}

const canary = (strategy: object) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'demo' },
  spec: {
    replicas: 3,
    template: { metadata: { labels: { app: 'demo' } }, spec: { containers: [{ name: 'demo', image: 'demo:2' }] } },
    strategy: { canary: { canaryService: 'demo-canary', stableService: 'demo-stable', ...strategy } },
  },
});

describe('parseRollout', () => {
  it.each([
    'rollout-canary.yaml',
    'rollout-analysis.yaml',
    'rollout-experiment.yaml',
  ])('accepts the seed %s unchanged', (file) => {
    const spec = parseRollout(seed(file));
    expect(spec.name).toBe('rollouts-demo');
    expect(spec.replicas).toBe(5);
    expect(spec.revision).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(spec.strategy.canary?.steps.length).toBeGreaterThan(0);
  });

  it('applies defaults and keeps steps as written', () => {
    const spec = parseRollout(seed('rollout-canary.yaml'));
    expect(spec.strategy.canary?.steps).toEqual([
      { setWeight: 20 },
      { pause: { duration: '1m' } },
      { setWeight: 50 },
      { pause: { duration: '2m' } },
    ]);
    expect(spec.strategy.canary?.maxSurge).toBe('25%');
    expect(spec.paused).toBe(false);
    expect(spec.progressDeadlineSeconds).toBe(600);
  });

  it('accepts a bare spec and an object equal to the YAML', () => {
    const manifest = parseYaml(seed('rollout-analysis.yaml'));
    expect(parseRollout(manifest)).toEqual(parseRollout(seed('rollout-analysis.yaml')));
    const bare = parseRollout(manifest.spec);
    expect(bare.name).toBe('rollout');
    expect(bare.revision).toBe(parseRollout(manifest).revision);
  });

  it('gives the same revision whatever the key order, another for another template', () => {
    const a = parseRollout(canary({ steps: [] }));
    const reordered = canary({ steps: [] });
    reordered.spec.template = { spec: reordered.spec.template.spec, metadata: reordered.spec.template.metadata };
    expect(parseRollout(reordered).revision).toBe(a.revision);
    const other = canary({ steps: [] });
    other.spec.template.spec.containers[0] = { name: 'demo', image: 'demo:3' };
    expect(parseRollout(other).revision).not.toBe(a.revision);
  });

  it('defaults blue/green as Argo does', () => {
    const spec = parseRollout({
      template: { spec: {} },
      strategy: { blueGreen: { activeService: 'active', previewService: 'preview' } },
    });
    expect(spec.strategy.blueGreen).toMatchObject({
      autoPromotionEnabled: true,
      autoPromotionSeconds: 0,
      scaleDownDelaySeconds: 30,
    });
  });

  // Each row: a broken manifest and the issue path(s) it must report.
  it.each([
    ['weight above 100', canary({ steps: [{ setWeight: 120 }] }), ['spec.strategy.canary.steps[0].setWeight']],
    ['negative weight', canary({ steps: [{ setWeight: -1 }] }), ['spec.strategy.canary.steps[0].setWeight']],
    ['weight as text', canary({ steps: [{ setWeight: '20' }] }), ['spec.strategy.canary.steps[0].setWeight']],
    ['step with no key', canary({ steps: [{}] }), ['spec.strategy.canary.steps[0]']],
    ['step with two keys', canary({ steps: [{ setWeight: 10, pause: {} }] }), ['spec.strategy.canary.steps[0]']],
    ['unknown step', canary({ steps: [{ setWieght: 10 }] }), ['spec.strategy.canary.steps[0]']],
    ['malformed duration', canary({ steps: [{ pause: { duration: '1z' } }] }), ['spec.strategy.canary.steps[0].pause.duration']],
    [
      'analysis without templates',
      canary({ steps: [{ analysis: { templates: [] } }] }),
      ['spec.strategy.canary.steps[0].analysis.templates'],
    ],
    [
      'analysis template without name',
      canary({ steps: [{ analysis: { templates: [{}] } }] }),
      ['spec.strategy.canary.steps[0].analysis.templates[0].templateName'],
    ],
    [
      'same canary and stable service',
      canary({ canaryService: 'svc', stableService: 'svc', steps: [] }),
      ['spec.strategy.canary.stableService'],
    ],
    [
      'header route not in managedRoutes',
      canary({
        trafficRouting: { istio: { virtualService: { name: 'vs', routes: ['primary'] } }, managedRoutes: [{ name: 'other' }] },
        steps: [{ setHeaderRoute: { name: 'hdr', match: [{ headerName: 'x', headerValue: { exact: '1' } }] } }],
      }),
      ['spec.strategy.canary.steps[0].setHeaderRoute.name'],
    ],
    [
      'header match with two kinds',
      canary({
        trafficRouting: { istio: { virtualService: { name: 'vs' } }, managedRoutes: [{ name: 'hdr' }] },
        steps: [{ setHeaderRoute: { name: 'hdr', match: [{ headerName: 'x', headerValue: { exact: '1', prefix: '2' } }] } }],
      }),
      ['spec.strategy.canary.steps[0].setHeaderRoute.match[0].headerValue'],
    ],
    [
      'setCanaryScale without traffic routing',
      canary({ steps: [{ setCanaryScale: { replicas: 1 } }] }),
      ['spec.strategy.canary.steps[0].setCanaryScale'],
    ],
    [
      'background analysis startingStep past the end',
      canary({ steps: [{ setWeight: 10 }], analysis: { templates: [{ templateName: 't' }], startingStep: 5 } }),
      ['spec.strategy.canary.analysis.startingStep'],
    ],
    [
      'experiment with a bad specRef',
      canary({ steps: [{ experiment: { templates: [{ name: 'a', specRef: 'old' }] } }] }),
      ['spec.strategy.canary.steps[0].experiment.templates[0].specRef'],
    ],
    [
      'experiment weights overflowing with the canary weight',
      canary({
        trafficRouting: { istio: { virtualService: { name: 'vs' } } },
        steps: [
          { setWeight: 90 },
          {
            experiment: {
              templates: [
                { name: 'a', specRef: 'canary', weight: 10 },
                { name: 'b', specRef: 'stable', weight: 5 },
              ],
            },
          },
        ],
      }),
      ['spec.strategy.canary.steps[1].experiment.templates'],
    ],
    [
      'maxTrafficWeight other than 100',
      canary({ trafficRouting: { istio: { virtualService: { name: 'vs' } }, maxTrafficWeight: 1000 }, steps: [] }),
      ['spec.strategy.canary.trafficRouting.maxTrafficWeight'],
    ],
    ['maxSurge not a number or percentage', canary({ maxSurge: {}, steps: [] }), ['spec.strategy.canary.maxSurge']],
    [
      'dynamicStableScale (not modelled)',
      canary({ dynamicStableScale: true, steps: [] }),
      ['spec.strategy.canary.dynamicStableScale'],
    ],
    [
      'a typo in a pause (would otherwise wait for ever)',
      canary({ steps: [{ pause: { duraton: 10 } }] }),
      ['spec.strategy.canary.steps[0].pause.duraton'],
    ],
    ['a typo in the canary strategy', canary({ stableServce: 's2', steps: [] }), ['spec.strategy.canary.stableServce']],
    [
      "an experiment's old singular analysis (Argo would drop it silently)",
      canary({ steps: [{ experiment: { templates: [{ name: 'a', specRef: 'canary' }], analysis: { templateName: 'x' } } }] }),
      ['spec.strategy.canary.steps[0].experiment.analysis'],
    ],
    ['plugin step', canary({ steps: [{ plugin: { name: 'p' } }] }), ['spec.strategy.canary.steps[0].plugin']],
  ])('%s', (_name, manifest, paths) => {
    expect(issuesOf(manifest).map((issue) => issue.path)).toEqual(paths);
  });

  it('refuses a null strategy, workloadRef, and metadata that is not an object', () => {
    expect(issuesOf({ template: {}, strategy: { canary: null } })).toEqual([
      { path: 'spec.strategy', message: 'must set canary or blueGreen' },
    ]);
    expect(
      issuesOf({
        workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo' },
        strategy: { canary: { steps: [] } },
      }).map((i) => i.path),
    ).toEqual(['spec.workloadRef']);
    expect(issuesOf({ kind: 'Rollout', metadata: 'x', spec: { template: {}, strategy: { canary: { steps: [] } } } })).toEqual([
      { path: 'metadata', message: 'must be an object' },
    ]);
    const cyclic: Record<string, unknown> = { spec: {} };
    cyclic.self = cyclic;
    expect(issuesOf({ template: cyclic, strategy: { canary: { steps: [] } } })).toEqual([
      // Refused as it is read, before hashing (issue #17): the path is the input's own.
      { path: 'template.self', message: 'is not plain data: a cycle (the value contains itself)' },
    ]);
  });

  it('names the field a typo meant', () => {
    expect(issuesOf(canary({ steps: [{ pause: { duraton: 10 } }] }))).toEqual([
      { path: 'spec.strategy.canary.steps[0].pause.duraton', message: 'is not a field here; did you mean "duration"?' },
    ]);
    expect(issuesOf(canary({ steps: [{ setWieght: 10 }] }))[0]?.message).toBe(
      'unknown step type "setWieght"; did you mean "setWeight"? (expected one of setWeight, pause, analysis, setCanaryScale, setHeaderRoute, setMirrorRoute, experiment)',
    );
  });

  it('refuses both strategies and neither', () => {
    expect(
      issuesOf({ template: {}, strategy: { canary: { steps: [] }, blueGreen: { activeService: 'a' } } }).map((i) => i.path),
    ).toContain('spec.strategy');
    expect(issuesOf({ template: {}, strategy: {} })).toEqual([
      { path: 'spec.strategy', message: 'must set canary or blueGreen' },
    ]);
  });

  it('reports every problem at once', () => {
    const issues = issuesOf(
      canary({
        steps: [{ setWeight: 101 }, { pause: { duration: 'soon' } }, { bogus: true }, { analysis: { templates: [] } }],
      }),
    );
    expect(issues.map((issue) => issue.path)).toEqual([
      'spec.strategy.canary.steps[0].setWeight',
      'spec.strategy.canary.steps[1].pause.duration',
      'spec.strategy.canary.steps[2]',
      'spec.strategy.canary.steps[3].analysis.templates',
    ]);
    expect(issues[0]?.message).toBe('must be between 0 and 100, got 101');
  });

  it('names the line of malformed YAML', () => {
    const text = 'kind: Rollout\nspec:\n  strategy:\n    canary:\n      steps:\n      - setWeight: [20\n';
    const issues = issuesOf(text);
    expect(issues[0]?.message).toMatch(/malformed YAML at line \d+/);
  });

  it('refuses another kind', () => {
    expect(issuesOf({ kind: 'Deployment', spec: {} })).toEqual([
      { path: 'kind', message: 'expected "Rollout", got "Deployment"' },
    ]);
  });

  it('picks the Rollout out of a multi-document file', () => {
    const text = `apiVersion: v1\nkind: Service\nmetadata: {name: s}\n---\n${seed('rollout-canary.yaml')}`;
    expect(parseRollout(text).name).toBe('rollouts-demo');
  });
});

describe('parseRollout and hostile YAML', () => {
  it('refuses an alias bomb with a ValidationError, not a crash', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 6; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    const text = `kind: Rollout\nmetadata:\n  labels:\n${levels.map((l) => `    ${l}`).join('\n')}\nspec: {}\n`;
    expect(() => parseRollout(text)).toThrow(ValidationError);
  });
});
