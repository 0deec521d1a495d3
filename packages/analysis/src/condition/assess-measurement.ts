import { type CheckedResult, checkResult, unwrapChecked } from './check-result.js';
import { type CompiledCondition, checkedRunnerOf, compileCondition, type EvaluateOptions } from './compile-condition.js';
import { ConditionError } from './condition-error.js';

/** The conditions of a metric: source text or already compiled. Empty or absent means "not set". */
export interface MeasurementConditions {
  successCondition?: string | CompiledCondition | undefined;
  failureCondition?: string | CompiledCondition | undefined;
}

/** The phase a measurement gets from its conditions, and why when it is `Error`. */
export interface MeasurementAssessment {
  phase: 'Successful' | 'Failed' | 'Inconclusive' | 'Error';
  message?: string | undefined;
}

/**
 * Decides a measurement's phase from its value, with Argo's table
 * (`utils/evaluate/evaluate.go` `EvaluateResult`): both conditions empty is
 * Successful; only success false is Failed; both false is Inconclusive; a
 * true failure condition wins; any evaluation error is Error.
 */
export function assessMeasurement(
  conditions: MeasurementConditions,
  input: unknown,
  options?: EvaluateOptions,
): MeasurementAssessment {
  let result: CheckedResult;
  try {
    // Checked (and copied) once for both conditions.
    result = checkResult(input);
  } catch (error) {
    return { phase: 'Error', message: ConditionError.isConditionError(error) ? error.reason : String(error) };
  }
  const success = evaluate('successCondition', conditions.successCondition, result, options);
  if ('error' in success) return { phase: 'Error', message: success.error };
  const failure = evaluate('failureCondition', conditions.failureCondition, result, options);
  if ('error' in failure) return { phase: 'Error', message: failure.error };
  if (success.value === undefined && failure.value === undefined) return { phase: 'Successful' };
  if (failure.value === true) return { phase: 'Failed' };
  if (success.value === undefined) return { phase: 'Successful' };
  if (success.value) return { phase: 'Successful' };
  return { phase: failure.value === undefined ? 'Failed' : 'Inconclusive' };
}

function evaluate(
  field: 'successCondition' | 'failureCondition',
  condition: string | CompiledCondition | undefined,
  result: CheckedResult,
  options: EvaluateOptions | undefined,
): { value: boolean | undefined } | { error: string } {
  const text = typeof condition === 'string' ? condition : condition?.expression;
  if (text === undefined || text.trim() === '') return { value: undefined };
  try {
    const compiled = typeof condition === 'string' ? compileCondition(condition) : (condition as CompiledCondition);
    const runner = checkedRunnerOf(compiled);
    return { value: runner ? runner(unwrapChecked(result), options) : compiled.evaluate(result, options) };
  } catch (error) {
    const reason = ConditionError.isConditionError(error) ? error.reason : error instanceof Error ? error.message : String(error);
    // Argo's wording when the provider returned nothing (argo-rollouts #1466/#2101).
    const detail = isNilOrEmpty(unwrapChecked(result))
      ? 'metric result is nil or empty: no data returned from the metric provider'
      : reason;
    return { error: `could not evaluate ${field} "${text}": ${detail}` };
  }
}

function isNilOrEmpty(result: unknown): boolean {
  return result === null || result === undefined || (Array.isArray(result) && result.length === 0);
}
