import { type CompiledCondition, compileCondition } from '../condition/compile-condition.js';

/** Compiles each distinct condition once per runner; bounded so that endless distinct texts cannot grow it. */
export function createConditionCache(limit = 256): (expression: string) => CompiledCondition {
  const cache = new Map<string, CompiledCondition>();
  return (expression) => {
    let compiled = cache.get(expression);
    if (!compiled) {
      compiled = compileCondition(expression);
      if (cache.size >= limit) cache.clear();
      cache.set(expression, compiled);
    }
    return compiled;
  };
}
