import type { JsonObject } from '../contracts/json.js';
import { ValidationError } from '../errors/validation-error.js';
import { hashJson } from './hash.js';
import { IssueCollector } from './issue-collector.js';
import { readManifest } from './read-manifest.js';
import type { ParseRolloutOptions, RolloutSpec, RolloutStrategy, WorkloadRef } from './rollout-types.js';
import { readBlueGreenStrategy, readCanaryStrategy } from './validate-strategy.js';

/**
 * Reads a Rollout: YAML text or an object, a `kind: Rollout` manifest or a
 * bare spec. Applies Argo's defaults and checks everything at once: on any
 * problem it throws a ValidationError whose `issues` list each one with its
 * path (`spec.strategy.canary.steps[3].pause.duration`).
 *
 * A Rollout with `spec.workloadRef` has no `spec.template` of its own (Argo's rule): pass the referenced
 * Deployment's pod template as `options.workloadTemplate`.
 */
export function parseRollout(input: string | object, options: ParseRolloutOptions = {}): RolloutSpec {
  const manifest = readManifest(
    input,
    'Rollout',
    (value) => 'strategy' in value || 'template' in value || 'workloadRef' in value,
  );
  const issues = new IssueCollector();
  if (manifest.apiVersion !== undefined && !/^argoproj\.io\/v1alpha1$/.test(manifest.apiVersion)) {
    issues.add('apiVersion', `expected "argoproj.io/v1alpha1", got ${JSON.stringify(manifest.apiVersion)}`);
  }
  const spec = issues.object('spec', manifest.spec, true) ?? {};
  const replicas = issues.integer('spec.replicas', spec.replicas, { min: 0 }) ?? 1;
  const workloadRef = spec.workloadRef == null ? undefined : readWorkloadRef(issues, spec.workloadRef);
  let template = issues.object('spec.template', spec.template, workloadRef === undefined && spec.workloadRef == null);
  if (spec.workloadRef != null) {
    // Argo: "template must be empty for workload reference rollout"; the template is the Deployment's.
    if (spec.template != null && !isEmpty(spec.template)) {
      issues.add('spec.template', 'must be empty when spec.workloadRef is set: the pod template is read from the Deployment');
    }
    if (options.workloadTemplate == null) {
      issues.add(
        'spec.workloadRef',
        "has no pod template: read the Deployment's spec.template and pass it as parseRollout(input, { workloadTemplate })",
      );
    } else template = issues.object('spec.workloadRef (workloadTemplate)', options.workloadTemplate);
  }
  const selector =
    issues.object('spec.selector', spec.selector) ??
    (spec.workloadRef != null ? issues.object('spec.workloadRef (workloadSelector)', options.workloadSelector) : undefined);
  const paused = issues.boolean('spec.paused', spec.paused) ?? false;
  const minReadySeconds = issues.integer('spec.minReadySeconds', spec.minReadySeconds, { min: 0 });
  const revisionHistoryLimit = issues.integer('spec.revisionHistoryLimit', spec.revisionHistoryLimit, { min: 0 });
  const rollbackWindow = issues.object('spec.rollbackWindow', spec.rollbackWindow);
  const rollbackRevisions = rollbackWindow
    ? issues.integer('spec.rollbackWindow.revisions', rollbackWindow.revisions, { min: 0 })
    : undefined;
  const progressDeadlineSeconds = issues.integer('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, { min: 1 }) ?? 600;
  const progressDeadlineAbort = issues.boolean('spec.progressDeadlineAbort', spec.progressDeadlineAbort) ?? false;

  const strategy: RolloutStrategy = {};
  const rawStrategy = issues.object('spec.strategy', spec.strategy, true);
  if (rawStrategy) {
    const canary = issues.object('spec.strategy.canary', rawStrategy.canary);
    const blueGreen = issues.object('spec.strategy.blueGreen', rawStrategy.blueGreen);
    if (canary && blueGreen) issues.add('spec.strategy', 'set either canary or blueGreen, not both');
    else if (!canary && !blueGreen && rawStrategy.canary == null && rawStrategy.blueGreen == null) {
      issues.add('spec.strategy', 'must set canary or blueGreen');
    }
    if (canary) strategy.canary = readCanaryStrategy(issues, 'spec.strategy.canary', canary);
    if (blueGreen) strategy.blueGreen = readBlueGreenStrategy(issues, 'spec.strategy.blueGreen', blueGreen);
  }

  if (manifest.metadata === undefined) issues.add('metadata', 'must be an object');
  const metadata = manifest.metadata ?? {};
  const name = typeof metadata.name === 'string' && metadata.name ? metadata.name : 'rollout';
  if (metadata.name !== undefined && typeof metadata.name !== 'string') issues.add('metadata.name', 'must be a string');
  if (!issues.ok) throw new ValidationError(`Rollout "${name}"`, issues.issues);

  const workload = template as JsonObject;
  return {
    name,
    ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}),
    ...(metadata.labels && typeof metadata.labels === 'object' ? { labels: metadata.labels as Record<string, string> } : {}),
    ...(metadata.annotations && typeof metadata.annotations === 'object'
      ? { annotations: metadata.annotations as Record<string, string> }
      : {}),
    replicas,
    ...(selector ? { selector: selector as JsonObject } : {}),
    template: workload,
    ...(workloadRef ? { workloadRef } : {}),
    revision: revisionOf(workload, name),
    paused,
    ...(minReadySeconds === undefined ? {} : { minReadySeconds }),
    ...(revisionHistoryLimit === undefined ? {} : { revisionHistoryLimit }),
    ...(rollbackRevisions ? { rollbackWindow: { revisions: rollbackRevisions } } : {}),
    progressDeadlineSeconds,
    progressDeadlineAbort,
    strategy,
  };
}

function revisionOf(template: JsonObject, name: string): string {
  try {
    return hashJson(template);
  } catch (error) {
    // Only an object graph with a cycle gets here (YAML and JSON cannot express one).
    throw new ValidationError(
      `Rollout "${name}"`,
      [{ path: 'spec.template', message: 'cannot be hashed: it contains a reference cycle' }],
      { cause: error },
    );
  }
}

const scaleDowns = ['never', 'onsuccess', 'progressively'] as const;

/** `spec.workloadRef` as Argo reads it; gradual supports a Deployment (apps/v1) only. */
function readWorkloadRef(issues: IssueCollector, raw: unknown): WorkloadRef | undefined {
  const ref = issues.object('spec.workloadRef', raw);
  if (!ref) return undefined;
  const apiVersion = issues.string('spec.workloadRef.apiVersion', ref.apiVersion, true);
  const kind = issues.string('spec.workloadRef.kind', ref.kind, true);
  const name = issues.string('spec.workloadRef.name', ref.name, true);
  const scaleDown = issues.string('spec.workloadRef.scaleDown', ref.scaleDown) ?? 'never';
  if (apiVersion !== undefined && apiVersion !== 'apps/v1') {
    issues.add('spec.workloadRef.apiVersion', `expected "apps/v1", got ${JSON.stringify(apiVersion)}`);
  }
  if (kind !== undefined && kind !== 'Deployment') {
    issues.add('spec.workloadRef.kind', `expected "Deployment" (the only workload gradual reads), got ${JSON.stringify(kind)}`);
  }
  if (name === '') issues.add('spec.workloadRef.name', 'must not be empty');
  if (!(scaleDowns as readonly string[]).includes(scaleDown)) {
    issues.add('spec.workloadRef.scaleDown', `must be one of never, onsuccess, progressively, got ${JSON.stringify(scaleDown)}`);
  }
  if (!name || apiVersion !== 'apps/v1' || kind !== 'Deployment') return undefined;
  return { apiVersion, kind, name, scaleDown: scaleDown as WorkloadRef['scaleDown'] };
}

function isEmpty(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}
