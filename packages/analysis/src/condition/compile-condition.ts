import { checkResult } from './check-result.js';
import { compileNode } from './compile-node.js';
import { ConditionError } from './condition-error.js';
import { type Env, EvaluationContext } from './evaluation-context.js';
import { parseCondition } from './parse-condition.js';
import { typeName } from './values.js';

/** A condition parsed and compiled once, to be evaluated against many results. */
export interface CompiledCondition {
  /** The source text. */
  readonly expression: string;
  /**
   * Evaluates against `result` (a measurement's value). Returns the boolean;
   * throws a ConditionError for a type error, an out-of-range index, a non-bool
   * outcome or an exhausted budget.
   */
  evaluate(result: unknown, options?: EvaluateOptions): boolean;
}

/** What an evaluation may be told besides the result. */
export interface EvaluateOptions {
  /** What `now()` returns, in epoch milliseconds; the system clock when absent. Analysis runs pass their clock's time. */
  now?: number;
}

// Drops what the evaluation held, so a compiled condition keeps no result alive.
function release(env: Env): void {
  env.result = null;
  env.vars = undefined;
  env.acc = undefined;
}

/**
 * Parses and compiles an Argo Rollouts condition (expr-lang dialect). Throws
 * a ConditionError, with position and caret excerpt, when the expression is
 * not valid or names something that does not exist.
 *
 * @example
 * const condition = compileCondition('len(result) == 0 || result[0] >= 0.95');
 * condition.evaluate([0.97]); // true
 */
export function compileCondition(expression: string): CompiledCondition {
  const ast = parseCondition(expression);
  const ctx = new EvaluationContext(expression);
  const root = compileNode(ast, ctx);
  // Evaluation is synchronous and runs no foreign code, so one environment serves every call;
  // `busy` still guards against re-entry.
  const shared: Env = { result: null, item: null, index: 0, steps: 0 };
  let busy = false;
  const fail = (error: unknown): never => {
    if (ConditionError.isConditionError(error)) throw error;
    // Defence in depth: nothing else should escape, but if it does it is still the language's error.
    throw new ConditionError(
      { expression, reason: `evaluation failed: ${error instanceof Error ? error.message : String(error)}` },
      { cause: error },
    );
  };
  return {
    expression,
    evaluate(result: unknown, options?: EvaluateOptions): boolean {
      const own = !busy;
      const env: Env = own ? shared : { result: null, item: null, index: 0, steps: 0 };
      // Checked before anything reads it; a value checked before (one measurement, two conditions) is not copied again.
      env.result = checkResult(result, expression);
      env.steps = 0;
      env.now = options?.now;
      if (own) busy = true;
      let value: unknown;
      try {
        value = root(env);
      } catch (error) {
        if (own) busy = false;
        release(env);
        return fail(error);
      }
      if (own) busy = false;
      release(env);
      if (typeof value !== 'boolean')
        throw new ConditionError({ expression, reason: `expected bool, but got ${typeName(value)}` });
      return value;
    },
  };
}
