import { type CheckedResult, checkResult, NOT_CHECKED, unwrapChecked } from './check-result.js';
import { compileNode } from './compile-node.js';
import { ConditionError } from './condition-error.js';
import { type Env, EvaluationContext, type Evaluator } from './evaluation-context.js';
import { generateRunner } from './generate-runner.js';
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
  evaluate(result: unknown | CheckedResult, options?: EvaluateOptions): boolean;
}

/** What an evaluation may be told besides the result. */
export interface EvaluateOptions {
  /** What `now()` returns, in epoch milliseconds; the system clock when absent. Analysis runs pass their clock's time. */
  now?: number | undefined;
}

/** Evaluates data that is already checked as plain data; the analysis run uses it after checking a measurement once. */
export type CheckedRunner = (data: unknown, options?: EvaluateOptions) => boolean;

/** Evaluations after which a condition is compiled to a generated function of its own. */
const generateAfterCalls = 64;

// A module-private key: only conditions compiled here carry a runner under it.
const RUNNER = Symbol('checked runner');

/**
 * The runner of a condition compiled here, for data already checked by
 * `checkResult` (unwrapped). Undefined for a CompiledCondition made elsewhere.
 */
export function checkedRunnerOf(condition: CompiledCondition): CheckedRunner | undefined {
  const runner = (condition as { [RUNNER]?: unknown })[RUNNER];
  return typeof runner === 'function' ? (runner as CheckedRunner) : undefined;
}

// Every field from the start, so the environment keeps one shape (V8 hidden class) for its whole life.
function freshEnv(): Env {
  return { result: null, item: null, index: 0, acc: undefined, vars: undefined, now: undefined, steps: 0 };
}

// Drops what the evaluation held, so a compiled condition keeps no result alive (a failed
// predicate leaves its element in `item`).
function release(env: Env): void {
  env.result = null;
  env.item = null;
  env.index = 0;
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
  // One environment serves every call: an evaluation is synchronous and runs no foreign code (the
  // runner reads `options.now` before it starts, and checked data is plain), so none can re-enter.
  const shared: Env = freshEnv();
  const fail = (error: unknown): never => {
    if (ConditionError.isConditionError(error)) throw error;
    // Defence in depth: nothing else should escape, but if it does it is still the language's error.
    throw new ConditionError(
      { expression, reason: `evaluation failed: ${error instanceof Error ? error.message : String(error)}` },
      { cause: error },
    );
  };
  const notBool = (value: unknown): never => {
    throw new ConditionError({ expression, reason: `expected bool, but got ${typeName(value)}` });
  };
  // Evaluates data already checked as plain data (`checkResult`'s copy, or a scalar).
  // Tiered, as V8 tiers code: generating a function costs about 100 µs, hundreds of evaluations of the
  // closure tree, so a condition is generated only once it has proved hot; one-shot runs never pay for it.
  // `run` keeps one identity (the generated function replaces `current` behind it), so what a host
  // holds stays valid; the call through `current` costs a few ns, far less than one closure-tree node.
  const closures = closureRunner(compileNode(ast, ctx), shared, fail, notBool);
  let calls = 0;
  let current: CheckedRunner = (data, options) => {
    if (++calls === generateAfterCalls) {
      current = generateRunner(ast, ctx, { shared, release, fail, notBool }) ?? closures;
    }
    return closures(data, options);
  };
  const run: CheckedRunner = (data, options) => current(data, options);
  const compiled: CompiledCondition & { [RUNNER]: CheckedRunner } = {
    expression,
    [RUNNER]: run,
    evaluate(result: unknown | CheckedResult, options?: EvaluateOptions): boolean {
      // Checked before anything reads it; a CheckedResult (one measurement, two conditions) is not checked again.
      const checked = unwrapChecked(result);
      if (checked !== NOT_CHECKED) return run(checked, options);
      if (typeof result === 'number') return run(result, options);
      return run(unwrapChecked(checkResult(result, expression)), options);
    },
  };
  return compiled;
}

/** The runner where code generation is forbidden: the same steps as the generated one, around the closure tree. */
function closureRunner(
  root: Evaluator,
  env: Env,
  fail: (error: unknown) => never,
  notBool: (value: unknown) => never,
): CheckedRunner {
  return (data: unknown, options?: EvaluateOptions): boolean => {
    // Read before the environment is touched: this is the last foreign code the evaluation runs.
    const now = options?.now;
    env.result = data;
    env.steps = 0;
    env.now = now;
    let value: unknown;
    try {
      value = root(env);
    } catch (error) {
      release(env);
      return fail(error);
    }
    release(env);
    if (typeof value !== 'boolean') notBool(value);
    return value;
  };
}
