import { compileCondition, type EvaluateOptions } from './compile-condition.js';

/**
 * Compiles and evaluates a condition in one go. Use `compileCondition` to
 * evaluate the same expression many times.
 *
 * @throws ConditionError when the expression is invalid or cannot be evaluated on `result`.
 */
export function evaluateCondition(expression: string, result: unknown, options?: EvaluateOptions): boolean {
  return compileCondition(expression).evaluate(result, options);
}
