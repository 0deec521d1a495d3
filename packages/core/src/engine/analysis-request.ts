import type { AnalysisRunArgument, AnalysisRunRequest } from '../contracts/analysis-runner.js';
import type { RolloutAnalysis, RolloutSpec } from '../manifest/rollout-types.js';
import { resolveFieldRef } from './resolve-field-ref.js';
import type { RolloutStatus } from './rollout-status.js';

/**
 * The request for one of the rollout's runs. Names are deterministic
 * (rollout, revision, attempt, kind, step) so a resumed reconcile finds the
 * run it started; `podTemplateHashValue` args are resolved here because only
 * the engine knows the revisions.
 */
export function analysisRequest(input: {
  spec: RolloutSpec;
  status: RolloutStatus;
  analysis: RolloutAnalysis;
  kind: AnalysisRunRequest['kind'];
  suffix: string;
}): AnalysisRunRequest {
  const { spec, status, analysis, kind } = input;
  const args = (analysis.args ?? []).map((arg): AnalysisRunArgument => {
    const hashFrom = arg.valueFrom?.podTemplateHashValue;
    if (hashFrom) return { name: arg.name, value: hashFrom === 'Latest' ? spec.revision : (status.stableRevision ?? '') };
    const fieldPath = arg.valueFrom?.fieldRef?.fieldPath;
    if (fieldPath) {
      // Unresolvable paths stay as written: the runner then reports the arg as not resolved, naming it.
      const value = resolveFieldRef(spec, fieldPath);
      return value === undefined ? arg : { name: arg.name, value };
    }
    return arg;
  });
  return {
    name: `${spec.name}-${spec.revision}-${status.attempt}-${input.suffix}`,
    kind,
    templates: analysis.templates,
    args,
    ...(analysis.dryRun ? { dryRun: analysis.dryRun } : {}),
    ...(analysis.measurementRetention ? { measurementRetention: analysis.measurementRetention } : {}),
    labels: {
      rollout: spec.name,
      'rollouts-pod-template-hash': spec.revision,
      'rollout-type': kind,
      ...(analysis.analysisRunMetadata?.labels ?? {}),
    },
  };
}
