import type { AnalysisRunner } from '../contracts/analysis-runner.js';
import type { CallOptions } from '../contracts/call-options.js';
import { analysisRequestsOf } from '../engine/analysis-requests-of.js';
import type { RolloutStatus } from '../engine/rollout-status.js';
import { CancelledError } from '../errors/cancelled-error.js';
import { GradualError } from '../errors/gradual-error.js';
import { ValidationError, type ValidationIssue } from '../errors/validation-error.js';
import type { RolloutSpec } from '../manifest/rollout-types.js';

/**
 * Before step 1: a spec that asks for analysis needs a runner, and every
 * run it can ask for must be startable (templates exist, args resolve), so
 * a typo in a template name fails now, not after traffic has moved.
 */
export async function preflightAnalysis(
  spec: RolloutSpec,
  status: RolloutStatus,
  runner: AnalysisRunner | undefined,
  options: CallOptions,
): Promise<void> {
  const requests = analysisRequestsOf(spec, status);
  if (requests.length === 0) return;
  if (!runner) {
    throw new GradualError(
      'NO_ANALYSIS_RUNNER',
      `${requests[0]?.path} asks for analysis, but no analysis runner was given (pass \`analysis\`, e.g. createAnalysisRunner from @gradual/analysis)`,
    );
  }
  if (!runner.validate) return;
  const issues: ValidationIssue[] = [];
  for (const { path, request } of requests) {
    try {
      await runner.validate(request, options);
    } catch (error) {
      if (CancelledError.isCancellation(error)) throw error;
      const inner = ValidationError.isValidationError(error)
        ? error.issues
        : [{ path: '', message: error instanceof Error ? error.message : String(error) }];
      for (const issue of inner) issues.push({ path: issue.path ? `${path}: ${issue.path}` : path, message: issue.message });
    }
  }
  if (issues.length > 0) throw new ValidationError(`Rollout "${spec.name}" analysis`, issues);
}
