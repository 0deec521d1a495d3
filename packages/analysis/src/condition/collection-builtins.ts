import { array, type Builtin, type BuiltinCall, number, truth } from './builtin-helpers.js';
import { conditionLimits } from './condition-limits.js';
import { ExprDuration, ExprTime } from './time-values.js';
import { formatValue, kindOf, looseEqual, ownDataProperty, typeName } from './values.js';

const spend = (call: BuiltinCall) => (steps: number) => call.ctx.charge(call.env, steps, call.pos);

/** Calls the predicate for items[i] with `#`, `#index` (and `#acc`) bound; restores them after. */
function withItem<T>(call: BuiltinCall, item: unknown, index: number, run: () => T): T {
  const { env } = call;
  const savedItem = env.item;
  const savedIndex = env.index;
  call.ctx.charge(env, 1, call.pos);
  env.item = item;
  env.index = index;
  try {
    return run();
  } finally {
    env.item = savedItem;
    env.index = savedIndex;
  }
}

function predicateOf(call: BuiltinCall, name: string) {
  const predicate = call.predicate;
  if (!predicate) return call.ctx.fail(`${name} needs a predicate`, call.pos);
  return predicate;
}

// find / findIndex / findLast / findLastIndex: the first match from the front or the back.
function finder(name: string, fromEnd: boolean, want: 'item' | 'index'): Builtin {
  return (call) => {
    const items = array(call, name);
    const predicate = predicateOf(call, name);
    for (let k = 0; k < items.length; k++) {
      const i = fromEnd ? items.length - 1 - k : k;
      const hit = withItem(call, items[i], i, () => truth(call, name, predicate(call.env)));
      if (hit) return want === 'item' ? (items[i] ?? null) : i;
    }
    return want === 'item' ? null : -1;
  };
}

/** Go's ordering for sort and sortBy (`runtime.Less`): numbers, strings, dates and durations, each with their own kind. */
function less(call: BuiltinCall, name: string, a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  if (typeof a === 'string' && typeof b === 'string') {
    call.ctx.charge(call.env, Math.min(a.length, b.length), call.pos);
    return a < b;
  }
  if (a instanceof ExprTime && b instanceof ExprTime) return a.compare(b) < 0;
  if (a instanceof ExprDuration && b instanceof ExprDuration) return a.ns < b.ns;
  return call.ctx.fail(`${name}: cannot compare ${typeName(a)} and ${typeName(b)}`, call.pos);
}

function order(call: BuiltinCall, name: string, value: unknown): 1 | -1 {
  if (value === undefined || value === 'asc') return 1;
  if (value === 'desc') return -1;
  return call.ctx.fail(`${name}: unknown order ${formatValue(value)}, use "asc" or "desc"`, call.pos);
}

// A stable sort of `keys` (parallel to `items`), charged n·log n comparisons.
function sortByKeys(call: BuiltinCall, name: string, items: unknown[], keys: unknown[], direction: 1 | -1): unknown[] {
  call.ctx.charge(call.env, items.length * Math.ceil(Math.log2(items.length + 1)), call.pos);
  const indexes = items.map((_, i) => i);
  indexes.sort((x, y) => {
    const a = keys[x];
    const b = keys[y];
    if (less(call, name, a, b)) return -direction;
    if (less(call, name, b, a)) return direction;
    return 0;
  });
  return indexes.map((i) => items[i]);
}

/** Flattens nested arrays (expr-lang's mean, median and sum take numbers at any depth, like min and max). */
function flatNumbers(call: BuiltinCall, name: string, values: unknown[]): number[] {
  const out: number[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (Array.isArray(value)) {
      if (depth > conditionLimits.maxValueDepth) call.ctx.fail(`${name}: arrays nested too deep`, call.pos);
      call.ctx.charge(call.env, value.length, call.pos);
      for (const item of value) visit(item, depth + 1);
      return;
    }
    out.push(number(call, name, value));
  };
  for (const value of values) visit(value, 0);
  return out;
}

function map(call: BuiltinCall, name: string): object {
  const value = call.args[0];
  if (kindOf(value) !== 'map') return call.ctx.fail(`${name}: cannot read ${typeName(value)} as a map`, call.pos);
  return value as object;
}

function mapKeys(call: BuiltinCall, value: object): string[] {
  const keys = Object.keys(value);
  call.ctx.charge(call.env, keys.length + 1, call.pos);
  return keys;
}

/** expr-lang's array and map functions that work on collections. */
export const collectionBuiltins: Readonly<Record<string, Builtin>> = {
  find: finder('find', false, 'item'),
  findIndex: finder('findIndex', false, 'index'),
  findLast: finder('findLast', true, 'item'),
  findLastIndex: finder('findLastIndex', true, 'index'),
  reduce(call) {
    const items = array(call, 'reduce');
    const predicate = predicateOf(call, 'reduce');
    let start = 0;
    let acc: unknown;
    if (call.args.length > 1) acc = call.args[1];
    else {
      if (items.length === 0) return call.ctx.fail('reduce of an empty array with no initial value', call.pos);
      acc = items[0];
      start = 1;
    }
    const saved = call.env.acc;
    try {
      for (let i = start; i < items.length; i++) {
        call.env.acc = acc;
        acc = withItem(call, items[i], i, () => predicate(call.env));
      }
    } finally {
      call.env.acc = saved;
    }
    return acc ?? null;
  },
  groupBy(call) {
    const items = array(call, 'groupBy');
    const predicate = predicateOf(call, 'groupBy');
    // Map keys are strings here: a number or bool groups under its printed form (`groupBy(x, # % 2)["1"]`).
    const out: Record<string, unknown[]> = Object.create(null);
    items.forEach((item, i) => {
      const key = withItem(call, item, i, () => predicate(call.env));
      const kind = kindOf(key);
      if (kind !== 'string' && kind !== 'number' && kind !== 'bool' && kind !== 'nil')
        call.ctx.fail(`groupBy: cannot use ${typeName(key)} as a map key`, call.pos);
      const name = typeof key === 'string' ? key : formatValue(key);
      if (!Object.hasOwn(out, name)) out[name] = [];
      (out[name] as unknown[]).push(item);
    });
    return out;
  },
  sortBy(call) {
    const items = array(call, 'sortBy');
    const predicate = predicateOf(call, 'sortBy');
    const keys = items.map((item, i) => withItem(call, item, i, () => predicate(call.env)));
    return sortByKeys(call, 'sortBy', items, keys, order(call, 'sortBy', call.args[1]));
  },
  sort(call) {
    const items = array(call, 'sort');
    return sortByKeys(call, 'sort', items, items, order(call, 'sort', call.args[1]));
  },
  mean(call) {
    const values = flatNumbers(call, 'mean', call.args);
    if (values.length === 0) return 0;
    return values.reduce((a, b) => a + b, 0) / values.length;
  },
  median(call) {
    const values = flatNumbers(call, 'median', call.args);
    call.ctx.charge(call.env, values.length * Math.ceil(Math.log2(values.length + 1)), call.pos);
    values.sort((a, b) => a - b);
    if (values.length === 0) return 0;
    const middle = Math.floor(values.length / 2);
    return values.length % 2 === 1
      ? (values[middle] as number)
      : ((values[middle - 1] as number) + (values[middle] as number)) / 2;
  },
  first(call) {
    const value = call.args[0];
    if (!Array.isArray(value)) return call.ctx.fail(`cannot get first element from ${typeName(value)}`, call.pos);
    return value.length > 0 ? (value[0] ?? null) : null;
  },
  last(call) {
    const value = call.args[0];
    if (!Array.isArray(value)) return call.ctx.fail(`cannot get last element from ${typeName(value)}`, call.pos);
    return value.length > 0 ? (value[value.length - 1] ?? null) : null;
  },
  get(call) {
    const [value, key] = call.args;
    if (Array.isArray(value)) {
      if (typeof key !== 'number' || !Number.isInteger(key)) return null;
      const i = key < 0 ? value.length + key : key;
      return i >= 0 && i < value.length ? (value[i] ?? null) : null;
    }
    if (kindOf(value) === 'map') return typeof key === 'string' ? (ownDataProperty(value as object, key) ?? null) : null;
    if (value === null) return null;
    return call.ctx.fail(`type ${typeName(value)} does not support indexing`, call.pos);
  },
  take(call) {
    const value = call.args[0];
    const n = call.args[1];
    if (!Array.isArray(value)) return call.ctx.fail(`cannot take from ${typeName(value)}`, call.pos);
    if (typeof n !== 'number' || !Number.isInteger(n)) return call.ctx.fail(`cannot take ${typeName(n)} elements`, call.pos);
    const count = Math.max(0, Math.min(n, value.length));
    call.ctx.charge(call.env, count, call.pos);
    return value.slice(0, count);
  },
  reverse(call) {
    const value = call.args[0];
    if (!Array.isArray(value)) return call.ctx.fail(`cannot reverse ${typeName(value)}`, call.pos);
    call.ctx.charge(call.env, value.length, call.pos);
    return [...value].reverse();
  },
  uniq(call) {
    const value = call.args[0];
    if (!Array.isArray(value)) return call.ctx.fail(`cannot uniq ${typeName(value)}`, call.pos);
    const out: unknown[] = [];
    const charge = spend(call);
    for (const item of value) {
      // Go's runtime.Equal, pairwise, as expr-lang does: quadratic, and charged so.
      if (!out.some((seen) => looseEqual(item, seen, charge))) out.push(item);
    }
    return out;
  },
  concat(call) {
    const out: unknown[] = [];
    for (const value of call.args) {
      if (!Array.isArray(value)) return call.ctx.fail(`cannot concat ${typeName(value)}`, call.pos);
      call.ctx.charge(call.env, value.length, call.pos);
      for (const item of value) out.push(item);
    }
    return out;
  },
  flatten(call) {
    const value = call.args[0];
    if (!Array.isArray(value)) return call.ctx.fail(`cannot flatten ${typeName(value)}`, call.pos);
    const out: unknown[] = [];
    const visit = (items: unknown[], depth: number): void => {
      if (depth > conditionLimits.maxValueDepth) call.ctx.fail('flatten: arrays nested too deep', call.pos);
      call.ctx.charge(call.env, items.length, call.pos);
      for (const item of items) {
        if (Array.isArray(item)) visit(item, depth + 1);
        else out.push(item);
      }
    };
    visit(value, 0);
    return out;
  },
  keys(call) {
    return mapKeys(call, map(call, 'keys'));
  },
  values(call) {
    const value = map(call, 'values');
    return mapKeys(call, value).map((key) => ownDataProperty(value, key) ?? null);
  },
  toPairs(call) {
    const value = map(call, 'toPairs');
    return mapKeys(call, value).map((key) => [key, ownDataProperty(value, key) ?? null]);
  },
  fromPairs(call) {
    const pairs = array(call, 'fromPairs');
    const out: Record<string, unknown> = Object.create(null);
    for (const pair of pairs) {
      if (!Array.isArray(pair)) return call.ctx.fail(`invalid pair ${formatValue(pair)}`, call.pos);
      if (pair.length !== 2) return call.ctx.fail(`invalid pair length ${formatValue(pair)}`, call.pos);
      const key = pair[0];
      if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean')
        return call.ctx.fail(`fromPairs: cannot use ${typeName(key)} as a map key`, call.pos);
      out[typeof key === 'string' ? key : formatValue(key)] = pair[1] ?? null;
    }
    return out;
  },
};
