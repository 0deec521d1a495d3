import type { BinaryOperator, ConditionNode } from './ast.js';
import { builtins } from './builtins.js';
import { type CompiledPattern, compilePattern, PATTERN_COMPILE_STEPS_PER_INSTRUCTION } from './compile-pattern.js';
import { conditionLimits } from './condition-limits.js';
import type { Env, EvaluationContext, Evaluator } from './evaluation-context.js';
import { methods } from './time-methods.js';
import { durationOf, ExprDuration, ExprTime } from './time-values.js';
import { formatValue, kindOf, looseEqual, ownDataProperty, typeName } from './values.js';

/**
 * Turns an AST into a tree of closures, once, so evaluating does no
 * dispatch on node types. Every operator checks its operand types the way
 * expr-lang does and fails with the operator's position.
 */
export function compileNode(node: ConditionNode, ctx: EvaluationContext): Evaluator {
  switch (node.type) {
    case 'literal': {
      const value = node.value;
      return () => value;
    }
    case 'result':
      return (env) => env.result;
    case 'pointer':
      if (node.name === 'acc') return (env) => env.acc ?? null;
      return node.name === '' ? (env) => env.item : (env) => env.index;
    case 'let': {
      const value = compileNode(node.value, ctx);
      const body = compileNode(node.body, ctx);
      const slot = node.slot;
      return (env) => {
        const computed = value(env);
        if (env.vars === undefined) env.vars = [];
        env.vars[slot] = computed;
        return body(env);
      };
    }
    case 'variable': {
      const slot = node.slot;
      return (env) => env.vars?.[slot] ?? null;
    }
    case 'method':
      return compileMethod(node, ctx);
    case 'member':
      return compileMember(node.property, node.optional, compileNode(node.object, ctx), ctx, node.pos);
    case 'index':
      return compileIndex(node, ctx);
    case 'slice':
      return compileSlice(node, ctx);
    case 'unary':
      return compileUnary(node.op, compileNode(node.operand, ctx), ctx, node.pos);
    case 'binary':
      return compileBinary(node, ctx);
    case 'conditional': {
      const test = compileNode(node.test, ctx);
      const consequent = compileNode(node.consequent, ctx);
      const alternate = compileNode(node.alternate, ctx);
      return (env) => {
        const value = test(env);
        if (typeof value !== 'boolean') ctx.fail(`non-bool expression (type ${typeName(value)}) used as condition`, node.pos);
        return value ? consequent(env) : alternate(env);
      };
    }
    case 'call':
      return compileCall(node, ctx);
    case 'closure':
      return compileNode(node.body, ctx);
    case 'array': {
      const elements = node.elements.map((element) => compileNode(element, ctx));
      return (env) => elements.map((element) => element(env));
    }
    case 'map': {
      const entries = node.entries.map((entry) => [entry.key, compileNode(entry.value, ctx)] as const);
      return (env) => {
        // A null prototype: a key named `__proto__` is plain data here.
        const out: Record<string, unknown> = Object.create(null);
        for (const [key, value] of entries) out[key] = value(env);
        return out;
      };
    }
  }
}

function compileMethod(node: Extract<ConditionNode, { type: 'method' }>, ctx: EvaluationContext): Evaluator {
  const method = methods[node.name];
  if (!method || !Object.hasOwn(methods, node.name)) return ctx.fail(`unknown method ${node.name}`, node.pos);
  const object = compileNode(node.object, ctx);
  const args = node.args.map((arg) => compileNode(arg, ctx));
  const pos = node.pos;
  return (env) => {
    const receiver = object(env);
    const kind = kindOf(receiver);
    if (kind !== 'time' && kind !== 'duration') return ctx.fail(`type ${typeName(receiver)} has no method ${node.name}`, pos);
    return method({ receiver, args: args.map((arg) => arg(env)), fail: (reason) => ctx.fail(reason, pos) });
  };
}

function compileMember(property: string, optional: boolean, object: Evaluator, ctx: EvaluationContext, pos: number): Evaluator {
  return (env) => memberOf(object(env), property, optional, ctx, pos);
}

/** `value.property` (`value?.property` when optional), with expr-lang's errors. */
export function memberOf(value: unknown, property: string, optional: boolean, ctx: EvaluationContext, pos: number): unknown {
  // A map here is plain data (results are checked, maps are built by the language), so every own
  // property is a data property and a plain read is as safe as the descriptor, without allocating one.
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const proto = Object.getPrototypeOf(value);
    if (proto === null || (proto === Object.prototype && !inheritable(property)))
      return (value as Record<string, unknown>)[property] ?? null;
    if (proto === Object.prototype)
      return Object.hasOwn(value, property) ? ((value as Record<string, unknown>)[property] ?? null) : null;
  }
  if (value === null || value === undefined) {
    if (optional) return null;
    return ctx.fail(`cannot fetch ${property} from nil`, pos);
  }
  if (kindOf(value) !== 'map') return ctx.fail(`cannot fetch ${property} from ${typeName(value)}`, pos);
  return ownDataProperty(value as object, property) ?? null;
}

/**
 * Whether a plain object would inherit `property` from Object.prototype (`toString`, `__proto__`, or
 * anything a polluted prototype gained), so that only an own-property check may read it. Asked on every
 * read, not once: the prototype can change. `in` runs no getter, and V8 answers it from its inline
 * cache, where `Object.hasOwn` costs a call (about 3 ns) on each read.
 */
export function inheritable(property: string): boolean {
  return property in Object.prototype;
}

function compileIndex(node: Extract<ConditionNode, { type: 'index' }>, ctx: EvaluationContext): Evaluator {
  const object = compileNode(node.object, ctx);
  const pos = node.pos;
  const optional = node.optional;
  // `result[0]` is the common case: a constant integer index needs no type check on it.
  if (node.index.type === 'literal' && typeof node.index.value === 'number' && Number.isInteger(node.index.value)) {
    const at = node.index.value;
    return (env) => {
      const value = object(env);
      if (Array.isArray(value)) {
        const i = at < 0 ? value.length + at : at;
        if (i >= 0 && i < value.length) return value[i] ?? null;
        return ctx.fail(`index out of range: ${at} (array length is ${value.length})`, pos);
      }
      return indexValue(env, value, at, optional, ctx, pos);
    };
  }
  const index = compileNode(node.index, ctx);
  return (env) => indexValue(env, object(env), index(env), optional, ctx, pos);
}

export function indexValue(
  env: Env,
  value: unknown,
  index: unknown,
  optional: boolean,
  ctx: EvaluationContext,
  pos: number,
): unknown {
  const kind = kindOf(value);
  if (kind === 'nil') {
    if (optional) return null;
    return ctx.fail(`cannot fetch ${typeof index === 'string' ? index : String(index)} from nil`, pos);
  }
  if (kind === 'map') {
    // Keys are strings; a number, bool or nil reads the key groupBy/fromPairs made of it (`groupBy(x, # % 2)[0]`).
    const key = typeof index === 'string' ? index : mapKeyOf(index);
    if (key === undefined) return ctx.fail(`cannot use ${typeName(index)} as a map key`, pos);
    return ownDataProperty(value as object, key) ?? null;
  }
  if (kind === 'array' || kind === 'string') {
    if (typeof index !== 'number' || !Number.isInteger(index))
      return ctx.fail(`non-integer index (type ${typeName(index)})`, pos);
    // Strings are indexed by character (code point), which means reading the whole string.
    if (kind === 'string') ctx.charge(env, (value as string).length + 1, pos);
    const items = kind === 'string' ? [...(value as string)] : (value as unknown[]);
    const i = index < 0 ? items.length + index : index;
    if (i < 0 || i >= items.length) return ctx.fail(`index out of range: ${index} (array length is ${items.length})`, pos);
    return items[i] ?? null;
  }
  return ctx.fail(`cannot index ${typeName(value)}`, pos);
}

function mapKeyOf(index: unknown): string | undefined {
  const kind = kindOf(index);
  return kind === 'number' || kind === 'bool' || kind === 'nil' ? formatValue(index) : undefined;
}

function compileSlice(node: Extract<ConditionNode, { type: 'slice' }>, ctx: EvaluationContext): Evaluator {
  const object = compileNode(node.object, ctx);
  const from = node.from ? compileNode(node.from, ctx) : undefined;
  const to = node.to ? compileNode(node.to, ctx) : undefined;
  return (env) => {
    const value = object(env);
    const kind = kindOf(value);
    if (kind !== 'array' && kind !== 'string') return ctx.fail(`cannot slice ${typeName(value)}`, node.pos);
    if (kind === 'string') ctx.charge(env, (value as string).length + 1, node.pos);
    const items = kind === 'string' ? [...(value as string)] : (value as unknown[]);
    const bound = (evaluator: Evaluator | undefined, fallback: number) => {
      if (!evaluator) return fallback;
      const raw = evaluator(env);
      if (typeof raw !== 'number' || !Number.isInteger(raw))
        return ctx.fail(`non-integer slice index (type ${typeName(raw)})`, node.pos);
      const i = raw < 0 ? items.length + raw : raw;
      return Math.min(Math.max(i, 0), items.length);
    };
    const start = bound(from, 0);
    const end = bound(to, items.length);
    ctx.charge(env, Math.max(0, end - start), node.pos);
    const sliced = items.slice(start, Math.max(start, end));
    return kind === 'string' ? sliced.join('') : sliced;
  };
}

function compileUnary(op: '!' | '-' | '+', operand: Evaluator, ctx: EvaluationContext, pos: number): Evaluator {
  if (op === '!') {
    return (env) => {
      const value = operand(env);
      if (typeof value !== 'boolean') return ctx.fail(`invalid operation: ! (mismatched type ${typeName(value)})`, pos);
      return !value;
    };
  }
  return (env) => {
    const value = operand(env);
    if (typeof value !== 'number') return ctx.fail(`invalid operation: ${op} (mismatched type ${typeName(value)})`, pos);
    return op === '-' ? -value : value;
  };
}

export function mismatch(ctx: EvaluationContext, op: string, a: unknown, b: unknown, pos: number): never {
  return ctx.fail(`invalid operation: ${op} (mismatched types ${typeName(a)} and ${typeName(b)})`, pos);
}

/**
 * `==` as expr-lang types it: numbers across int/float, nil with anything,
 * otherwise the kinds must agree. `op` names the operator in errors. Deep
 * comparisons and long strings are charged to the budget as they are walked.
 */
export function equal(ctx: EvaluationContext, env: Env, a: unknown, b: unknown, pos: number, op: '==' | '!=' = '=='): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === 'nil' || kb === 'nil') return ka === kb;
  if (ka !== kb || ka === 'unsupported') return mismatch(ctx, op, a, b, pos);
  return looseEqual(a, b, spender(ctx, env, pos));
}

/** A callback that charges `steps` to the evaluation budget at `pos`. */
function spender(ctx: EvaluationContext, env: Env, pos: number): (steps: number) => void {
  return (steps) => ctx.charge(env, steps, pos);
}

function compileBinary(node: Extract<ConditionNode, { type: 'binary' }>, ctx: EvaluationContext): Evaluator {
  const { op, pos } = node;
  const left = compileNode(node.left, ctx);
  if (op === 'matches' && node.right.type === 'literal' && typeof node.right.value === 'string') {
    // A literal pattern is compiled with the condition, so a bad one is a compile error.
    const pattern = compilePattern(node.right.value, ctx, node.right.pos, (size) => {
      ctx.patternSize += size;
      if (ctx.patternSize > conditionLimits.maxPatternSizePerExpression)
        ctx.fail(
          `regular expressions of this expression are too large together (over ${conditionLimits.maxPatternSizePerExpression} instructions)`,
          node.right.pos,
        );
    });
    return (env) => {
      const value = left(env);
      if (typeof value !== 'string') return mismatch(ctx, 'matches', value, '', pos);
      return matchPattern(ctx, env, pattern, value, pos);
    };
  }
  const right = compileNode(node.right, ctx);
  const constant = node.right.type === 'literal' && typeof node.right.value === 'number' ? node.right.value : undefined;
  if (constant !== undefined && op in numericComparisons) {
    const fused = compileFusedComparison(node.left, left, op as keyof typeof numericComparisons, constant, ctx, pos);
    if (fused) return fused;
  }
  switch (op) {
    case '||':
    case '&&': {
      const stopOn = op === '||';
      return (env) => {
        const a = left(env);
        if (a === stopOn) return a;
        if (typeof a !== 'boolean') return ctx.fail(`invalid operation: ${op} (mismatched types ${typeName(a)} and bool)`, pos);
        const b = right(env);
        if (typeof b !== 'boolean') return ctx.fail(`invalid operation: ${op} (mismatched types bool and ${typeName(b)})`, pos);
        return b;
      };
    }
    case '==':
    case '!=': {
      const negate = op === '!=';
      if (constant !== undefined) {
        return (env) => {
          const a = left(env);
          if (typeof a === 'number') return (a === constant) !== negate;
          return equal(ctx, env, a, constant, pos, op) !== negate;
        };
      }
      return (env) => equal(ctx, env, left(env), right(env), pos, op) !== negate;
    }
    case '<':
    case '>':
    case '<=':
    case '>=': {
      const compare = comparators[op];
      if (constant !== undefined) {
        // One closure per operator: the hot path is a plain number comparison V8 can inline.
        const fail = (a: unknown) => mismatch(ctx, op, a, constant, pos);
        switch (op) {
          case '<':
            return (env) => {
              const a = left(env);
              return typeof a === 'number' ? a < constant : fail(a);
            };
          case '>':
            return (env) => {
              const a = left(env);
              return typeof a === 'number' ? a > constant : fail(a);
            };
          case '<=':
            return (env) => {
              const a = left(env);
              return typeof a === 'number' ? a <= constant : fail(a);
            };
          default:
            return (env) => {
              const a = left(env);
              return typeof a === 'number' ? a >= constant : fail(a);
            };
        }
      }
      return (env) => {
        const a = left(env);
        const b = right(env);
        if (typeof a === 'number' && typeof b === 'number') return compare(a, b);
        if (typeof a === 'string' && typeof b === 'string') {
          ctx.charge(env, Math.min(a.length, b.length) + 1, pos);
          return compare(a, b);
        }
        if (a instanceof ExprTime && b instanceof ExprTime) return compare(a.compare(b), 0);
        if (a instanceof ExprDuration && b instanceof ExprDuration) return compare(a.ns, b.ns);
        return mismatch(ctx, op, a, b, pos);
      };
    }
    case '??':
      return (env) => {
        const a = left(env);
        return a === null || a === undefined ? right(env) : a;
      };
    default:
      return compileOther(op, left, right, ctx, pos);
  }
}

const numericComparisons = { '==': 0, '!=': 1, '<': 2, '>': 3, '<=': 4, '>=': 5 } as const;

function compareNumber(op: keyof typeof numericComparisons, a: number, b: number): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    default:
      return a >= b;
  }
}

/**
 * `len(result) <op> N` and `result[i] <op> N` are what most conditions are
 * made of: read the number straight from `result` when it is an array and
 * fall back to the general evaluator (and its errors) otherwise.
 */
function compileFusedComparison(
  leftNode: ConditionNode,
  left: Evaluator,
  op: keyof typeof numericComparisons,
  constant: number,
  ctx: EvaluationContext,
  pos: number,
): Evaluator | undefined {
  const slow = (env: Env, a: unknown): boolean => {
    if (typeof a === 'number') return compareNumber(op, a, constant);
    if (op === '==' || op === '!=') return equal(ctx, env, a, constant, pos, op) !== (op === '!=');
    return mismatch(ctx, op, a, constant, pos);
  };
  if (leftNode.type === 'call' && leftNode.name === 'len' && leftNode.args[0]?.type === 'result') {
    return (env) => {
      const r = env.result;
      return Array.isArray(r) ? compareNumber(op, r.length, constant) : slow(env, left(env));
    };
  }
  if (leftNode.type === 'member' && leftNode.object.type === 'result' && !leftNode.optional) {
    // `result.p99 < 300`: the result is checked plain data, so an own property is a data property.
    const property = leftNode.property;
    // Its objects have Object.prototype or null for prototype: with the name not on Object.prototype
    // a plain read can only find an own property.
    const read = (env: Env): number | undefined => {
      const r = env.result;
      if (typeof r !== 'object' || r === null || Array.isArray(r) || inheritable(property)) return undefined;
      const a: unknown = (r as Record<string, unknown>)[property];
      return typeof a === 'number' ? a : undefined;
    };
    // One closure per operator, so the comparison is not a switch on every evaluation.
    switch (op) {
      case '==':
        return (env) => {
          const a = read(env);
          return a === undefined ? slow(env, left(env)) : a === constant;
        };
      case '!=':
        return (env) => {
          const a = read(env);
          return a === undefined ? slow(env, left(env)) : a !== constant;
        };
      case '<':
        return (env) => {
          const a = read(env);
          return a === undefined ? slow(env, left(env)) : a < constant;
        };
      case '>':
        return (env) => {
          const a = read(env);
          return a === undefined ? slow(env, left(env)) : a > constant;
        };
      case '<=':
        return (env) => {
          const a = read(env);
          return a === undefined ? slow(env, left(env)) : a <= constant;
        };
      default:
        return (env) => {
          const a = read(env);
          return a === undefined ? slow(env, left(env)) : a >= constant;
        };
    }
  }
  if (
    leftNode.type === 'index' &&
    leftNode.object.type === 'result' &&
    leftNode.index.type === 'literal' &&
    typeof leftNode.index.value === 'number' &&
    Number.isInteger(leftNode.index.value)
  ) {
    const at = leftNode.index.value;
    return (env) => {
      const r = env.result;
      if (Array.isArray(r)) {
        const a: unknown = r[at < 0 ? r.length + at : at];
        if (typeof a === 'number') return compareNumber(op, a, constant);
      }
      return slow(env, left(env));
    };
  }
  return undefined;
}

const comparators = {
  '<': (a: number | string, b: number | string) => a < b,
  '>': (a: number | string, b: number | string) => a > b,
  '<=': (a: number | string, b: number | string) => a <= b,
  '>=': (a: number | string, b: number | string) => a >= b,
};

function compileOther(op: BinaryOperator, left: Evaluator, right: Evaluator, ctx: EvaluationContext, pos: number): Evaluator {
  switch (op) {
    case 'in':
    case 'not in': {
      const negate = op === 'not in';
      return (env) => {
        const a = left(env);
        const b = right(env);
        // expr-lang's runtime.In: nothing is in nil (`"a" in result.tags` with no tags is false).
        if (b === null || b === undefined) return negate;
        if (Array.isArray(b)) {
          const spend = spender(ctx, env, pos);
          for (let i = 0; i < b.length; i++) if (looseEqual(a, b[i], spend)) return !negate;
          return negate;
        }
        if (kindOf(b) === 'map') {
          if (typeof a !== 'string') return ctx.fail(`cannot use ${typeName(a)} as a map key`, pos);
          return Object.hasOwn(b as object, a) !== negate;
        }
        return ctx.fail(`operator "in" not defined on ${typeName(b)}`, pos);
      };
    }
    case 'matches': {
      const cache = new Map<string, CompiledPattern>();
      return (env) => {
        const a = left(env);
        const b = right(env);
        if (typeof a !== 'string' || typeof b !== 'string') return mismatch(ctx, 'matches', a, b, pos);
        let pattern = cache.get(b);
        if (!pattern) {
          // A pattern built at run time is charged for its compile, before it runs.
          pattern = compilePattern(b, ctx, pos, (size) => ctx.charge(env, size * PATTERN_COMPILE_STEPS_PER_INSTRUCTION, pos));
          if (cache.size >= 16) cache.clear();
          cache.set(b, pattern);
        }
        return matchPattern(ctx, env, pattern, a, pos);
      };
    }
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      return (env) => {
        const a = left(env);
        const b = right(env);
        if (typeof a !== 'string' || typeof b !== 'string') return mismatch(ctx, op, a, b, pos);
        // A search reads the subject; a prefix or suffix test reads the pattern's length of it.
        ctx.charge(env, op === 'contains' ? a.length + b.length : Math.min(a.length, b.length) + 1, pos);
        return op === 'contains' ? a.includes(b) : op === 'startsWith' ? a.startsWith(b) : a.endsWith(b);
      };
    case '..':
      return (env) => {
        const a = left(env);
        const b = right(env);
        if (typeof a !== 'number' || typeof b !== 'number' || !Number.isInteger(a) || !Number.isInteger(b))
          return mismatch(ctx, '..', a, b, pos);
        const size = Math.max(0, b - a + 1);
        ctx.charge(env, size, pos);
        return Array.from({ length: size }, (_, i) => a + i);
      };
    case '+':
      return (env) => {
        const a = left(env);
        const b = right(env);
        if (typeof a === 'number' && typeof b === 'number') return a + b;
        if (typeof a === 'string' && typeof b === 'string') {
          ctx.charge(env, a.length + b.length, pos);
          return a + b;
        }
        if (Array.isArray(a) && Array.isArray(b)) {
          ctx.charge(env, a.length + b.length, pos);
          return [...a, ...b];
        }
        const timed = timeArithmetic(ctx, '+', a, b, pos);
        if (timed !== undefined) return timed;
        return mismatch(ctx, '+', a, b, pos);
      };
    default:
      return compileArithmetic(op, left, right, ctx, pos);
  }
}

function compileArithmetic(
  op: BinaryOperator,
  left: Evaluator,
  right: Evaluator,
  ctx: EvaluationContext,
  pos: number,
): Evaluator {
  return (env) => {
    const a = left(env);
    const b = right(env);
    if (typeof a !== 'number' || typeof b !== 'number') {
      const timed = timeArithmetic(ctx, op, a, b, pos);
      return timed === undefined ? mismatch(ctx, op, a, b, pos) : timed;
    }
    switch (op) {
      case '-':
        return a - b;
      case '*':
        return a * b;
      // `/` always yields a float in expr-lang, as in JavaScript.
      case '/':
        return a / b;
      case '%':
        if (!Number.isInteger(a) || !Number.isInteger(b)) return mismatch(ctx, '%', a, b, pos);
        if (b === 0) return ctx.fail('integer divide by zero', pos);
        return a % b;
      default:
        return a ** b;
    }
  };
}

/**
 * expr-lang's arithmetic on dates and durations (vm/runtime helpers): date −
 * date is a duration; date ± duration a date; durations add, subtract and
 * multiply by numbers; duration / duration is a float. Undefined when the
 * operands are not such values.
 */
function timeArithmetic(ctx: EvaluationContext, op: BinaryOperator, a: unknown, b: unknown, pos: number): unknown {
  const checked = (build: () => unknown) => {
    try {
      return build();
    } catch (error) {
      return ctx.fail(`${op} on durations: ${(error as Error).message}`, pos);
    }
  };
  if (a instanceof ExprTime) {
    if (op === '-' && b instanceof ExprTime) return checked(() => durationOf(a.since(b)));
    if ((op === '+' || op === '-') && b instanceof ExprDuration) return a.plus(op === '+' ? b.ns : -b.ns);
    return undefined;
  }
  if (a instanceof ExprDuration) {
    if (op === '+' && b instanceof ExprTime) return b.plus(a.ns);
    if (b instanceof ExprDuration) {
      if (op === '+') return checked(() => durationOf(a.ns + b.ns));
      if (op === '-') return checked(() => durationOf(a.ns - b.ns));
      if (op === '*') return checked(() => durationOf(a.ns * b.ns));
      if (op === '/') return a.ns / b.ns;
    }
    if (typeof b === 'number' && Number.isInteger(b)) {
      if (op === '*') return checked(() => durationOf(a.ns * b));
      if (op === '/') return a.ns / b;
    }
    return undefined;
  }
  if (typeof a === 'number' && Number.isInteger(a) && b instanceof ExprDuration && op === '*')
    return checked(() => durationOf(a * b.ns));
  return undefined;
}

// RE2 works in time proportional to input length × program size; charge that before running it.
function matchPattern(ctx: EvaluationContext, env: Env, pattern: CompiledPattern, input: string, pos: number): boolean {
  ctx.charge(env, (input.length + 1) * pattern.size, pos);
  return pattern.regex.matcher(input).find();
}

function compileCall(node: Extract<ConditionNode, { type: 'call' }>, ctx: EvaluationContext): Evaluator {
  const builtin = builtins[node.name];
  if (!builtin || !Object.hasOwn(builtins, node.name)) return ctx.fail(`unknown func ${node.name}`, node.pos);
  const pos = node.pos;
  const [first, second] = node.args;
  // Predicate builtins evaluate their collection and hand the predicate itself to the builtin.
  if (second?.type === 'closure' && first) {
    const collection = compileNode(first, ctx);
    const predicate = compileNode(second, ctx);
    // Arguments after the predicate: sortBy's order, reduce's initial value.
    const rest = node.args.slice(2).map((arg) => compileNode(arg, ctx));
    if (rest.length === 0) return (env: Env) => builtin({ ctx, env, pos, args: [collection(env)], predicate });
    return (env: Env) => builtin({ ctx, env, pos, args: [collection(env), ...rest.map((arg) => arg(env))], predicate });
  }
  const args = node.args.map((arg) => compileNode(arg, ctx));
  if (args.length === 1) {
    const only = args[0] as Evaluator;
    // `len(result)` is in most conditions: answer arrays without building a call.
    if (node.name === 'len') {
      return (env: Env) => {
        const value = only(env);
        return Array.isArray(value) ? value.length : builtin({ ctx, env, pos, args: [value] });
      };
    }
    return (env: Env) => builtin({ ctx, env, pos, args: [only(env)] });
  }
  if (args.length === 2) {
    const [first, second] = args as [Evaluator, Evaluator];
    // `default(result, 0)`: both arguments are evaluated, as in Argo's helper, without building a call.
    if (node.name === 'default') {
      return (env: Env) => {
        const value = first(env);
        const fallback = second(env);
        return value === null || value === undefined ? fallback : value;
      };
    }
    return (env: Env) => builtin({ ctx, env, pos, args: [first(env), second(env)] });
  }
  return (env: Env) =>
    builtin({
      ctx,
      env,
      pos,
      args: args.map((arg) => arg(env)),
    });
}
