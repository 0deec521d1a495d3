import { ConditionError } from './condition-error.js';
import { conditionLimits } from './condition-limits.js';

/** Per-evaluation state: the result, the current predicate element, and the work spent so far. */
export interface Env {
  result: unknown;
  /** `#` inside a predicate. */
  item: unknown;
  /** `#index` inside a predicate. */
  index: number;
  /** `#acc` inside reduce's predicate. */
  acc?: unknown;
  /** Values of `let` variables, by slot. */
  vars?: unknown[] | undefined;
  /** What `now()` returns, epoch ms; the system clock when absent. */
  now?: number | undefined;
  steps: number;
}

/** A compiled node: computes its value in an environment. */
export type Evaluator = (env: Env) => unknown;

/** What compiled nodes need to report errors against the source text. */
export class EvaluationContext {
  /** Instructions of the literal `matches` patterns compiled so far (bounded per expression). */
  patternSize = 0;

  constructor(readonly expression: string) {}

  fail(reason: string, pos: number): never {
    throw new ConditionError({ expression: this.expression, reason, position: pos });
  }

  /** Spends `steps` of the evaluation budget; fails once it is exhausted. */
  charge(env: Env, steps: number, pos: number): void {
    env.steps += steps;
    if (env.steps > conditionLimits.maxSteps) this.fail(`evaluation exceeded ${conditionLimits.maxSteps} steps`, pos);
  }
}
