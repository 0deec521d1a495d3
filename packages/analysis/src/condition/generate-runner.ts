import type { ConditionNode } from './ast.js';
import { array, truth } from './builtin-helpers.js';
import { builtins } from './builtins.js';
import { compileNode, equal, indexValue, memberOf, mismatch } from './compile-node.js';
import type { Env, EvaluationContext } from './evaluation-context.js';
import { typeName } from './values.js';

/** What a runner does around the expression: shared with the closure runner of compile-condition. */
export interface RunnerParts {
  /** The one environment of the condition's evaluations (none can re-enter: they run no foreign code). */
  shared: Env;
  release: (env: Env) => void;
  /** Rethrows what the evaluation threw as the language's error. */
  fail: (error: unknown) => never;
  /** Throws "expected bool" for an outcome that is not a boolean. */
  notBool: (value: unknown) => never;
}

/** Evaluates data already checked as plain data. */
export type GeneratedRunner = (data: unknown, options?: { now?: number | undefined } | undefined) => boolean;

let generationAllowed: boolean | undefined;

// A host may forbid code generation (`--disallow-code-generation-from-strings`); conditions then run as closures.
function canGenerate(): boolean {
  if (generationAllowed === undefined) {
    try {
      generationAllowed = new Function('return true')() === true;
    } catch {
      generationAllowed = false;
    }
  }
  return generationAllowed;
}

/**
 * Compiles a condition to one JavaScript function per condition (undefined where code generation is
 * forbidden). Closures shared by every condition make V8's call sites megamorphic once a process has
 * a few conditions, and a megamorphic call is neither inlined nor cheap; a function of its own per
 * condition is monomorphic, so V8 inlines the whole expression into the runner. The common nodes
 * (`result`, members, constant indexes, comparisons, `&&`, `||`, `len`, `default`, the quantifiers)
 * are written out; any other node is its closure from compileNode, called from the generated code.
 * Nothing of the expression's text enters the source but numbers printed by `String` and member
 * names printed by `JSON.stringify` (a string literal); every other value is handed in as an argument.
 */
export function generateRunner(ast: ConditionNode, ctx: EvaluationContext, parts: RunnerParts): GeneratedRunner | undefined {
  if (!canGenerate()) return undefined;
  const generator = new Generator(ctx);
  const root = generator.function(ast);
  // Written out, the expression sets nothing in the environment but `result`; a closure may set
  // `#`, `let` variables and `#acc`, which `release` clears.
  const releaseAfter = generator.closures === 0 && !generator.binds ? 'env.result = null;' : 'release(env);';
  const names = generator.values.map((_, i) => `v${i}`);
  const source = [
    '"use strict";',
    names.length > 0 ? `const [${names.join(', ')}] = values;` : '',
    'const { shared, release, fail, notBool } = parts;',
    'const isArray = Array.isArray, OP = Object.prototype, getPrototypeOf = Object.getPrototypeOf;',
    ...generator.functions,
    'return function run(data, options) {',
    // Read before the environment is touched: the last foreign code the evaluation runs.
    '  const now = options?.now;',
    '  const env = shared;',
    '  env.result = data;',
    '  env.steps = 0;',
    '  env.now = now;',
    '  let value;',
    '  try {',
    `    value = ${root}(env);`,
    '  } catch (error) {',
    '    release(env);',
    '    return fail(error);',
    '  }',
    `  ${releaseAfter}`,
    "  if (typeof value !== 'boolean') notBool(value);",
    '  return value;',
    '};',
  ].join('\n');
  return new Function('values', 'parts', source)(generator.values, parts) as GeneratedRunner;
}

/** Temporaries of one generated function. */
interface Scope {
  temps: number;
  /** In a quantifier's loop: `#` and `#index` are its locals `item` and `i`. */
  inLoop?: boolean | undefined;
}

const numericOps = new Set(['<', '>', '<=', '>=']);
const quantifiers = new Set(['all', 'any', 'none', 'one', 'count', 'filter', 'map']);

class Generator {
  /** Values the generated code reads as `v0`, `v1`, ...: closures, helpers, constants. */
  readonly values: unknown[] = [];
  /** Source of the generated functions, in order. */
  readonly functions: string[] = [];
  /** Closures called so far: a predicate without any needs no `#` in the environment. */
  closures = 0;
  /** Whether a quantifier writes `#` to the environment. */
  binds = false;

  constructor(private readonly ctx: EvaluationContext) {}

  /** Generates `function fN(env) { return <node> }` and returns its name. */
  function(node: ConditionNode): string {
    const slot = this.functions.length;
    const name = `f${slot}`;
    this.functions.push('');
    const scope: Scope = { temps: 0 };
    const body = this.emit(node, scope);
    this.functions[slot] = `function ${name}(env) {\n  const r = env.result;\n${temps(scope)}  return ${body};\n}`;
    return name;
  }

  private value(value: unknown): string {
    this.values.push(value);
    return `v${this.values.length - 1}`;
  }

  private temp(scope: Scope): string {
    return `t${scope.temps++}`;
  }

  /** The node's closure, called from the generated code. */
  private closure(node: ConditionNode): string {
    this.closures++;
    return `${this.value(compileNode(node, this.ctx))}(env)`;
  }

  private emit(node: ConditionNode, scope: Scope): string {
    const ctx = this.ctx;
    switch (node.type) {
      case 'literal':
        return literal(node.value) ?? this.value(node.value);
      case 'result':
        return 'r';
      case 'pointer':
        if (node.name === 'acc') return this.closure(node);
        if (scope.inLoop) return node.name === '' ? 'item' : 'i';
        return node.name === '' ? 'env.item' : 'env.index';
      case 'closure':
        return this.emit(node.body, scope);
      case 'member': {
        const object = this.emit(node.object, scope);
        const t = this.temp(scope);
        const key = JSON.stringify(node.property);
        const { property, optional, pos } = node;
        const slow = this.value((value: unknown) => memberOf(value, property, optional, ctx, pos));
        // Inside a checked result every object is plain with Object.prototype or null for prototype;
        // other objects (dates, durations) have their prototype looked at.
        const plain = fromResult(node.object)
          ? `!(${key} in OP)`
          : `(getPrototypeOf(${t}) === null || (getPrototypeOf(${t}) === OP && !(${key} in OP)))`;
        return `(${t} = ${object}, typeof ${t} === 'object' && ${t} !== null && !isArray(${t}) && ${plain} ? (${t}[${key}] ?? null) : ${slow}(${t}))`;
      }
      case 'index': {
        const index = node.index;
        if (index.type !== 'literal' || typeof index.value !== 'number' || !Number.isInteger(index.value))
          return this.closure(node);
        const at = index.value;
        const object = this.emit(node.object, scope);
        const t = this.temp(scope);
        const { optional, pos } = node;
        const slow = this.value((env: Env, value: unknown) => indexValue(env, value, at, optional, ctx, pos));
        const element =
          at >= 0
            ? `${at} < ${t}.length ? (${t}[${at}] ?? null)`
            : `${t}.length >= ${-at} ? (${t}[${t}.length - ${-at}] ?? null)`;
        return `(${t} = ${object}, isArray(${t}) && ${element} : ${slow}(env, ${t}))`;
      }
      case 'unary': {
        if (node.op !== '!') return this.closure(node);
        const operand = this.emit(node.operand, scope);
        const t = this.temp(scope);
        const pos = node.pos;
        const fail = this.value((value: unknown) => ctx.fail(`invalid operation: ! (mismatched type ${typeName(value)})`, pos));
        return `(${t} = ${operand}, typeof ${t} === 'boolean' ? !${t} : ${fail}(${t}))`;
      }
      case 'conditional': {
        const test = this.emit(node.test, scope);
        const t = this.temp(scope);
        const pos = node.pos;
        const fail = this.value((value: unknown) =>
          ctx.fail(`non-bool expression (type ${typeName(value)}) used as condition`, pos),
        );
        const consequent = this.emit(node.consequent, scope);
        const alternate = this.emit(node.alternate, scope);
        return `(${t} = ${test}, typeof ${t} === 'boolean' ? (${t} ? ${consequent} : ${alternate}) : ${fail}(${t}))`;
      }
      case 'binary':
        return this.binary(node, scope);
      case 'call':
        return this.call(node, scope);
      default:
        return this.closure(node);
    }
  }

  private binary(node: Extract<ConditionNode, { type: 'binary' }>, scope: Scope): string {
    const ctx = this.ctx;
    const { op, pos } = node;
    const constant = node.right.type === 'literal' && typeof node.right.value === 'number' ? node.right.value : undefined;
    if (op === '&&' || op === '||') {
      const left = this.emit(node.left, scope);
      const right = this.emit(node.right, scope);
      const a = this.temp(scope);
      const b = this.temp(scope);
      const failLeft = this.value((value: unknown) =>
        ctx.fail(`invalid operation: ${op} (mismatched types ${typeName(value)} and bool)`, pos),
      );
      const failRight = this.value((value: unknown) =>
        ctx.fail(`invalid operation: ${op} (mismatched types bool and ${typeName(value)})`, pos),
      );
      const stop = op === '||' ? 'true' : 'false';
      return `(${a} = ${left}, ${a} === ${stop} ? ${a} : typeof ${a} !== 'boolean' ? ${failLeft}(${a}) : (${b} = ${right}, typeof ${b} === 'boolean' ? ${b} : ${failRight}(${b})))`;
    }
    if (constant !== undefined && numericOps.has(op)) {
      const left = this.emit(node.left, scope);
      const a = this.temp(scope);
      const fail = this.value((value: unknown) => mismatch(ctx, op, value, constant, pos));
      return `(${a} = ${left}, typeof ${a} === 'number' ? ${a} ${op} ${this.number(constant)} : ${fail}(${a}))`;
    }
    if (op === '==' || op === '!=') {
      const negate = op === '!=';
      const left = this.emit(node.left, scope);
      if (constant !== undefined) {
        const a = this.temp(scope);
        const slow = this.value((env: Env, value: unknown) => equal(ctx, env, value, constant, pos, op) !== negate);
        return `(${a} = ${left}, typeof ${a} === 'number' ? ${a} ${negate ? '!==' : '==='} ${this.number(constant)} : ${slow}(env, ${a}))`;
      }
      const right = this.emit(node.right, scope);
      const compare = this.value((env: Env, a: unknown, b: unknown) => equal(ctx, env, a, b, pos, op) !== negate);
      return `${compare}(env, ${left}, ${right})`;
    }
    if (op === '??') {
      const left = this.emit(node.left, scope);
      const right = this.emit(node.right, scope);
      const a = this.temp(scope);
      return `(${a} = ${left}, ${a} === null || ${a} === undefined ? ${right} : ${a})`;
    }
    return this.closure(node);
  }

  private call(node: Extract<ConditionNode, { type: 'call' }>, scope: Scope): string {
    const ctx = this.ctx;
    const builtin = builtins[node.name];
    // Unknown names fail in compileNode, with its message.
    if (!builtin || !Object.hasOwn(builtins, node.name)) return this.closure(node);
    const { name, pos } = node;
    const [first, second] = node.args;
    if (second?.type === 'closure' && first) {
      if (node.args.length !== 2 || !quantifiers.has(name)) return this.closure(node);
      return this.quantifier(node, first, second, scope);
    }
    if (name === 'len' && first && node.args.length === 1) {
      const value = this.emit(first, scope);
      const t = this.temp(scope);
      const slow = this.value((env: Env, value: unknown) => builtin({ ctx, env, pos, args: [value] }));
      return `(${t} = ${value}, isArray(${t}) ? ${t}.length : ${slow}(env, ${t}))`;
    }
    const args = node.args.map((arg) => this.emit(arg, scope));
    // `default(result, 0)`: both arguments are evaluated, as in Argo's helper.
    if (name === 'default' && args.length === 2) {
      const a = this.temp(scope);
      const b = this.temp(scope);
      return `(${a} = ${args[0]}, ${b} = ${args[1]}, ${a} === null || ${a} === undefined ? ${b} : ${a})`;
    }
    if ((name === 'asFloat' || name === 'float') && args.length === 1) {
      const t = this.temp(scope);
      const slow = this.value((env: Env, value: unknown) => builtin({ ctx, env, pos, args: [value] }));
      return `(${t} = ${args[0]}, typeof ${t} === 'number' ? ${t} : ${slow}(env, ${t}))`;
    }
    const call = this.value((env: Env, ...values: unknown[]) => builtin({ ctx, env, pos, args: values }));
    return `${call}(env${args.map((arg) => `, ${arg}`).join('')})`;
  }

  /**
   * `all`, `any`, `none`, `one`, `count`, `filter`, `map` with a predicate: a loop of their own with
   * the predicate written inline. Same order as the builtins: the array checked and charged by its
   * length, then one step per element before its predicate runs; `#` and `#index` restored after.
   */
  private quantifier(
    node: Extract<ConditionNode, { type: 'call' }>,
    collection: ConditionNode,
    predicate: ConditionNode,
    scope: Scope,
  ): string {
    const ctx = this.ctx;
    const { name, pos } = node;
    const items = this.emit(collection, scope);
    const slot = this.functions.length;
    const fn = `f${slot}`;
    this.functions.push('');
    const inner: Scope = { temps: 0, inLoop: true };
    const closuresBefore = this.closures;
    const value = this.emit(predicate, inner);
    // Only closures read `#` from the environment; written out, the predicate reads the loop's locals.
    const bind = this.closures > closuresBefore;
    if (bind) this.binds = true;
    // Throws the builtin's own error for what is not an array.
    const checkArray = this.value((env: Env, value: unknown) => array({ ctx, env, pos, args: [value] }, name));
    const checkBool = this.value((env: Env, value: unknown) => truth({ ctx, env, pos, args: [] }, name, value));
    const ctxName = this.value(ctx);
    const test = name === 'map' ? '' : `  if (typeof v !== 'boolean') ${checkBool}(env, v);\n`;
    const [init, step, done] = {
      all: ['true', 'if (!v) { out = false; break; }', 'out'],
      any: ['false', 'if (v) { out = true; break; }', 'out'],
      none: ['true', 'if (v) { out = false; break; }', 'out'],
      one: ['0', 'if (v && ++out > 1) break;', 'out === 1'],
      count: ['0', 'if (v) out++;', 'out'],
      filter: ['[]', 'if (v) out.push(item);', 'out'],
      map: ['[]', 'out.push(v);', 'out'],
    }[name as 'all'] as [string, string, string];
    this.functions[slot] = [
      `function ${fn}(env, items) {`,
      `  if (!isArray(items)) ${checkArray}(env, items);`,
      `  ${ctxName}.charge(env, items.length, ${pos});`,
      '  const r = env.result;',
      temps(inner).trimEnd(),
      bind ? '  const savedItem = env.item, savedIndex = env.index;' : '',
      `  let out = ${init};`,
      '  for (let i = 0; i < items.length; i++) {',
      `  ${ctxName}.charge(env, 1, ${pos});`,
      '  const item = items[i];',
      ...(bind ? ['  env.item = item;', '  env.index = i;'] : []),
      `  const v = ${value};`,
      `${test}  ${step}`,
      '  }',
      ...(bind ? ['  env.item = savedItem;', '  env.index = savedIndex;'] : []),
      `  return ${done};`,
      '}',
    ]
      .filter((line) => line !== '')
      .join('\n');
    return `${fn}(env, ${items})`;
  }

  /** A number constant as source: printed when `String` gives it back exactly, else handed in. */
  private number(value: number): string {
    return literal(value) ?? this.value(value);
  }
}

/** Source for a literal value, or undefined when it must be handed in as a value. */
function literal(value: null | boolean | number | string): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0) ? `(${String(value)})` : undefined;
  return JSON.stringify(value);
}

/** Whether a node's value is part of the checked result (`result`, `result.a`, `result[0].b`). */
function fromResult(node: ConditionNode): boolean {
  if (node.type === 'result') return true;
  if (node.type === 'member' || node.type === 'index') return fromResult(node.object);
  return false;
}

function temps(scope: Scope): string {
  if (scope.temps === 0) return '';
  return `  let ${Array.from({ length: scope.temps }, (_, i) => `t${i}`).join(', ')};\n`;
}
