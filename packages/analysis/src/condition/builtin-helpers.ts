import type { Env, EvaluationContext, Evaluator } from './evaluation-context.js';
import { typeName } from './values.js';

/** What a builtin receives: evaluated arguments, and the predicate for the predicate builtins. */
export interface BuiltinCall {
  ctx: EvaluationContext;
  env: Env;
  pos: number;
  args: unknown[];
  predicate?: Evaluator | undefined;
}

/** A builtin's implementation. */
export type Builtin = (call: BuiltinCall) => unknown;

/** The first argument as an array, charged by its length. */
export function array(call: BuiltinCall, name: string): unknown[] {
  const value = call.args[0];
  if (!Array.isArray(value)) call.ctx.fail(`invalid argument for ${name} (type ${typeName(value)})`, call.pos);
  call.ctx.charge(call.env, value.length, call.pos);
  return value;
}

/** `value` as a number, or a type error naming the builtin. */
export function number(call: BuiltinCall, name: string, value: unknown): number {
  if (typeof value !== 'number') call.ctx.fail(`invalid argument for ${name} (type ${typeName(value)})`, call.pos);
  return value;
}

/** The first argument as an array of numbers. */
export function numbers(call: BuiltinCall, name: string): number[] {
  return array(call, name).map((item) => number(call, name, item));
}

/** Runs the predicate over each element with `#` and `#index` bound, restoring them for nested predicates. */
export function each(call: BuiltinCall, name: string, visit: (value: unknown, item: unknown) => boolean | undefined): void {
  const items = array(call, name);
  const { env, predicate } = call;
  const savedItem = env.item;
  const savedIndex = env.index;
  try {
    for (let i = 0; i < items.length; i++) {
      call.ctx.charge(env, 1, call.pos);
      env.item = items[i];
      env.index = i;
      const value = predicate ? predicate(env) : items[i];
      if (visit(value, items[i]) === false) return;
    }
  } finally {
    env.item = savedItem;
    env.index = savedIndex;
  }
}

/** A predicate's boolean, or a type error. */
export function truth(call: BuiltinCall, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') call.ctx.fail(`predicate of ${name} must return bool, got ${typeName(value)}`, call.pos);
  return value;
}
