import { type AnalysisMetric, type AnalysisTemplateRef, GradualError } from '@gradual/core';
import type { AnalysisTemplate, DryRunRule, MeasurementRetentionRule, TemplateArgument } from './analysis-template-types.js';

/** Several templates merged into one run's worth of metrics, args and rules. */
export interface FlattenedTemplates {
  metrics: AnalysisMetric[];
  args: TemplateArgument[];
  dryRun: DryRunRule[];
  measurementRetention: MeasurementRetentionRule[];
}

/**
 * Looks up `refs` in `library`, following nested `spec.templates`, in order.
 * `clusterScope` refs match ClusterAnalysisTemplates, others AnalysisTemplates.
 *
 * @throws GradualError `TEMPLATE` for a template not in the library or a cycle.
 */
export function resolveTemplateRefs(
  refs: readonly AnalysisTemplateRef[],
  library: readonly AnalysisTemplate[],
  trail: string[] = [],
): AnalysisTemplate[] {
  const out: AnalysisTemplate[] = [];
  for (const ref of refs) {
    const kind = ref.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
    const key = `${kind}/${ref.templateName}`;
    if (trail.includes(key)) throw new GradualError('TEMPLATE', `template cycle: ${[...trail, key].join(' -> ')}`);
    const template = library.find((candidate) => candidate.kind === kind && candidate.metadata.name === ref.templateName);
    if (!template) throw new GradualError('TEMPLATE', `${kind} "${ref.templateName}" not found`);
    out.push(template, ...resolveTemplateRefs(template.spec.templates ?? [], library, [...trail, key]));
  }
  return out;
}

/**
 * Merges templates as Argo's `FlattenTemplates` does: metrics concatenated
 * (names must stay unique), args merged by name (a value is never replaced
 * by none; two different values are an error), rules concatenated.
 *
 * @throws GradualError `TEMPLATE` on a duplicate metric or conflicting args.
 */
export function flattenTemplates(templates: readonly AnalysisTemplate[]): FlattenedTemplates {
  const metrics: AnalysisMetric[] = [];
  const args: TemplateArgument[] = [];
  const dryRun: DryRunRule[] = [];
  const measurementRetention: MeasurementRetentionRule[] = [];
  for (const template of templates) {
    for (const metric of template.spec.metrics ?? []) {
      if (metrics.some((existing) => existing.name === metric.name))
        throw new GradualError('TEMPLATE', `two metrics have the same name "${metric.name}"`);
      metrics.push(structuredClone(metric));
    }
    for (const arg of template.spec.args ?? []) {
      const existing = args.find((candidate) => candidate.name === arg.name);
      if (!existing) {
        args.push(structuredClone(arg));
        continue;
      }
      if (arg.value !== undefined && existing.value !== undefined && arg.value !== existing.value) {
        throw new GradualError('TEMPLATE', `Argument \`${arg.name}\` specified multiple times with different values`);
      }
      if (existing.value === undefined && arg.value !== undefined) existing.value = arg.value;
      if (existing.valueFrom === undefined && arg.valueFrom !== undefined) existing.valueFrom = structuredClone(arg.valueFrom);
    }
    dryRun.push(...(template.spec.dryRun ?? []));
    measurementRetention.push(...(template.spec.measurementRetention ?? []));
  }
  return { metrics, args, dryRun, measurementRetention };
}
