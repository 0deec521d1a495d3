import type { AnalysisRunArgument, AnalysisRunRequest } from '../contracts/analysis-runner.js';
import type { RolloutAnalysis, RolloutSpec } from '../manifest/rollout-types.js';
import { resolveFieldRef } from './resolve-field-ref.js';
import type { RolloutStatus } from './rollout-status.js';

// Every pass asks for the requests of the runs its step wants; built once per analysis and inputs, a request
// is also the same string for the run's name each time, which the lookups by name compare cheaply. Shared,
// so it is frozen.
interface Built {
  spec: RolloutSpec;
  stableRevision: string | null;
  attempt: number;
  kind: AnalysisRunRequest['kind'];
  suffix: string;
  request: AnalysisRunRequest;
}
const built = new WeakMap<RolloutAnalysis, Built>();

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
  const { spec, status, analysis, kind, suffix } = input;
  const known = built.get(analysis);
  if (
    known &&
    known.spec === spec &&
    known.stableRevision === status.stableRevision &&
    known.attempt === status.attempt &&
    known.kind === kind &&
    known.suffix === suffix
  )
    return known.request;
  const request = buildRequest(input);
  built.set(analysis, { spec, stableRevision: status.stableRevision, attempt: status.attempt, kind, suffix, request });
  return request;
}

function buildRequest(input: {
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
  return Object.freeze({
    name: `${spec.name}-${spec.revision}-${status.attempt}-${input.suffix}`,
    kind,
    templates: analysis.templates,
    args: Object.freeze(args) as AnalysisRunArgument[],
    ...(analysis.dryRun ? { dryRun: analysis.dryRun } : {}),
    ...(analysis.measurementRetention ? { measurementRetention: analysis.measurementRetention } : {}),
    labels: Object.freeze({
      rollout: spec.name,
      'rollouts-pod-template-hash': spec.revision,
      'rollout-type': kind,
      ...(analysis.analysisRunMetadata?.labels ?? {}),
    }),
  });
}
