import { parseRollout, ValidationError } from '@gradual/core';
import { describe, expect, it } from 'vitest';

// Argo Rollouts docs/migrating.md "Reference Deployment From Rollout" and rollout/templateref.go: the template
// (and, when the Rollout has none, the selector) come from the Deployment; scaleDown is never|onsuccess|progressively.
const template = { metadata: { labels: { app: 'demo' } }, spec: { containers: [{ name: 'demo', image: 'demo:1' }] } };
const rollout = (workloadRef: object, extra: object = {}) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'demo' },
  spec: {
    replicas: 5,
    workloadRef,
    strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }] } },
    ...extra,
  },
});
const issuesOf = (input: object, options?: Parameters<typeof parseRollout>[1]) => {
  try {
    parseRollout(input, options);
  } catch (error) {
    if (ValidationError.isInstance(error)) return error.issues;
    throw error;
  }
  return [];
};

describe('spec.workloadRef', () => {
  it('takes the template read from the Deployment: the same revision as the template inline', () => {
    const spec = parseRollout(rollout({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo', scaleDown: 'progressively' }), {
      workloadTemplate: template,
      workloadSelector: { matchLabels: { app: 'demo' } },
    });
    const inline = parseRollout({ ...rollout({}), spec: { ...rollout({}).spec, workloadRef: undefined, template } });
    expect(spec.template).toEqual(template);
    expect(spec.revision).toBe(inline.revision);
    expect(spec.selector).toEqual({ matchLabels: { app: 'demo' } });
    expect(spec.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo', scaleDown: 'progressively' });
  });

  it("defaults scaleDown to never (Argo's empty value scales nothing) and keeps the Rollout's own selector", () => {
    const spec = parseRollout(
      rollout({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo' }, { selector: { matchLabels: { app: 'mine' } } }),
      {
        workloadTemplate: template,
        workloadSelector: { matchLabels: { app: 'demo' } },
      },
    );
    expect(spec.workloadRef?.scaleDown).toBe('never');
    expect(spec.selector).toEqual({ matchLabels: { app: 'mine' } });
  });

  it('a changed Deployment template is a new revision', () => {
    const ref = rollout({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo' });
    const v1 = parseRollout(ref, { workloadTemplate: template });
    const v2 = parseRollout(ref, {
      workloadTemplate: { ...template, spec: { containers: [{ name: 'demo', image: 'demo:2' }] } },
    });
    expect(v2.revision).not.toBe(v1.revision);
  });

  it.each([
    ['no template given', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo' }, {}, undefined, ['spec.workloadRef']],
    [
      'a template on the Rollout too (Argo: template must be empty)',
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo' },
      { template },
      template,
      ['spec.template'],
    ],
    [
      'an unknown scaleDown',
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo', scaleDown: 'always' },
      {},
      template,
      ['spec.workloadRef.scaleDown'],
    ],
    [
      'a kind other than Deployment',
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'demo' },
      {},
      template,
      ['spec.workloadRef.kind'],
    ],
    [
      'another apiVersion',
      { apiVersion: 'apps/v1beta1', kind: 'Deployment', name: 'demo' },
      {},
      template,
      ['spec.workloadRef.apiVersion'],
    ],
    ['no name', { apiVersion: 'apps/v1', kind: 'Deployment' }, {}, template, ['spec.workloadRef.name']],
  ])('refuses %s, naming the path', (_name, ref, extra, workloadTemplate, paths) => {
    expect(issuesOf(rollout(ref, extra), workloadTemplate ? { workloadTemplate } : {}).map((issue) => issue.path)).toEqual(paths);
  });

  it('says what to do when the template is missing', () => {
    expect(issuesOf(rollout({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo' }))[0]?.message).toMatch(
      /workloadTemplate/,
    );
  });

  it("an empty spec.template next to workloadRef is accepted (Argo's EmptyTemplate counts {} as none)", () => {
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo' };
    expect(issuesOf(rollout(ref, { template: {} }), { workloadTemplate: template })).toEqual([]);
  });
});

describe('the fields a Workload writes onto ReplicaSets', () => {
  it('carries minReadySeconds and revisionHistoryLimit, and refuses negative ones', () => {
    const base = { template, strategy: { canary: { steps: [] } } };
    expect(parseRollout({ ...base, minReadySeconds: 5, revisionHistoryLimit: 2 })).toMatchObject({
      minReadySeconds: 5,
      revisionHistoryLimit: 2,
    });
    expect(parseRollout(base).revisionHistoryLimit).toBeUndefined();
    expect(issuesOf({ ...base, minReadySeconds: -1, revisionHistoryLimit: 'x' }).map((issue) => issue.path)).toEqual([
      'spec.minReadySeconds',
      'spec.revisionHistoryLimit',
    ]);
  });
});
