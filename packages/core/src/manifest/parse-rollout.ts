import type { JsonObject } from '../contracts/json.js';
import { ValidationError } from '../errors/validation-error.js';
import { hashJson } from './hash.js';
import { IssueCollector } from './issue-collector.js';
import { readManifest } from './read-manifest.js';
import type { RolloutSpec, RolloutStrategy } from './rollout-types.js';
import { readBlueGreenStrategy, readCanaryStrategy } from './validate-strategy.js';

/**
 * Reads a Rollout: YAML text or an object, a `kind: Rollout` manifest or a
 * bare spec. Applies Argo's defaults and checks everything at once: on any
 * problem it throws a ValidationError whose `issues` list each one with its
 * path (`spec.strategy.canary.steps[3].pause.duration`).
 */
export function parseRollout(input: string | object): RolloutSpec {
  const manifest = readManifest(input, 'Rollout', (value) => 'strategy' in value || 'template' in value);
  const issues = new IssueCollector();
  if (manifest.apiVersion !== undefined && !/^argoproj\.io\/v1alpha1$/.test(manifest.apiVersion)) {
    issues.add('apiVersion', `expected "argoproj.io/v1alpha1", got ${JSON.stringify(manifest.apiVersion)}`);
  }
  const spec = issues.object('spec', manifest.spec, true) ?? {};
  const replicas = issues.integer('spec.replicas', spec.replicas, { min: 0 }) ?? 1;
  const template = issues.object('spec.template', spec.template, spec.workloadRef == null);
  if (spec.workloadRef != null) {
    // The revision is the hash of the pod template; behind a reference gradual cannot see it change.
    issues.add(
      'spec.workloadRef',
      "is not supported: gradual cannot read the referenced workload's pod template; inline it as spec.template",
    );
  }
  const selector = issues.object('spec.selector', spec.selector);
  const paused = issues.boolean('spec.paused', spec.paused) ?? false;
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
    revision: revisionOf(workload, name),
    paused,
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
