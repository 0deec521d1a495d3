import type { AnalysisRunArgument, AnalysisTemplateRef } from '../contracts/analysis-runner.js';
import type { IssueCollector } from './issue-collector.js';
import type { RolloutAnalysis } from './rollout-types.js';

/** Reads a Rollout's `analysis` block (a step's, the background one, or blue/green's): templates are required. */
// `name` is not read by Argo but stands in its own examples (examples/rollout-analysis-step.yaml): accepted.
const analysisFields = ['templates', 'args', 'dryRun', 'measurementRetention', 'analysisRunMetadata', 'name'] as const;

export function readRolloutAnalysis(
  issues: IssueCollector,
  path: string,
  value: unknown,
  extraFields?: readonly string[],
): RolloutAnalysis | undefined {
  const block = issues.object(path, value, true);
  if (!block) return undefined;
  issues.unknownKeys(path, block, [...analysisFields, ...(extraFields ?? [])]);
  const templates = readTemplateRefs(issues, `${path}.templates`, block.templates);
  const args = readArgs(issues, `${path}.args`, block.args);
  const dryRun = issues.array(`${path}.dryRun`, block.dryRun);
  dryRun?.forEach((entry, i) => {
    issues.string(`${path}.dryRun[${i}].metricName`, (entry as Record<string, unknown>)?.metricName, true);
  });
  const retention = issues.array(`${path}.measurementRetention`, block.measurementRetention);
  retention?.forEach((entry, i) => {
    const item = issues.object(`${path}.measurementRetention[${i}]`, entry, true);
    if (!item) return;
    issues.string(`${path}.measurementRetention[${i}].metricName`, item.metricName, true);
    issues.integer(`${path}.measurementRetention[${i}].limit`, item.limit, { min: 0, required: true });
  });
  return {
    ...(block as unknown as RolloutAnalysis),
    templates: templates ?? [],
    ...(args ? { args } : {}),
  };
}

export function readTemplateRefs(issues: IssueCollector, path: string, value: unknown): AnalysisTemplateRef[] | undefined {
  const list = issues.array(path, value, true);
  if (!list) return undefined;
  if (list.length === 0) issues.add(path, 'must name at least one AnalysisTemplate');
  const refs: AnalysisTemplateRef[] = [];
  list.forEach((entry, i) => {
    const ref = issues.object(`${path}[${i}]`, entry, true);
    if (!ref) return;
    const templateName = issues.string(`${path}[${i}].templateName`, ref.templateName, true);
    const clusterScope = issues.boolean(`${path}[${i}].clusterScope`, ref.clusterScope);
    if (templateName) refs.push({ templateName, ...(clusterScope === undefined ? {} : { clusterScope }) });
  });
  return refs;
}

export function readArgs(issues: IssueCollector, path: string, value: unknown): AnalysisRunArgument[] | undefined {
  const list = issues.array(path, value);
  if (!list) return undefined;
  const seen = new Set<string>();
  list.forEach((entry, i) => {
    const arg = issues.object(`${path}[${i}]`, entry, true);
    if (!arg) return;
    const name = issues.string(`${path}[${i}].name`, arg.name, true);
    if (name && seen.has(name)) issues.add(`${path}[${i}].name`, `argument "${name}" is listed twice`);
    if (name) seen.add(name);
    if (arg.value !== undefined && typeof arg.value !== 'string') {
      issues.add(`${path}[${i}].value`, 'must be a string (quote numbers in YAML)');
    }
    const valueFrom = issues.object(`${path}[${i}].valueFrom`, arg.valueFrom);
    if (valueFrom) {
      const source = issues.exactlyOne(`${path}[${i}].valueFrom`, valueFrom, [
        'podTemplateHashValue',
        'fieldRef',
        'secretKeyRef',
      ]);
      if (
        source === 'podTemplateHashValue' &&
        valueFrom.podTemplateHashValue !== 'Stable' &&
        valueFrom.podTemplateHashValue !== 'Latest'
      ) {
        issues.add(`${path}[${i}].valueFrom.podTemplateHashValue`, 'must be "Stable" or "Latest"');
      }
    }
  });
  return list as AnalysisRunArgument[];
}
