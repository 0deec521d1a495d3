import { conditionLimits } from './condition-limits.js';
import { ExprDuration, ExprLocation, ExprTime, formatDuration, formatTimeDefault } from './time-values.js';

/** The kinds of value an expression sees; anything else in `result` is `unsupported`. */
export type ValueKind = 'nil' | 'bool' | 'number' | 'string' | 'array' | 'map' | 'time' | 'duration' | 'location' | 'unsupported';

/** Kind of a runtime value. Only plain objects are maps: class instances, functions and the like are not readable. */
export function kindOf(value: unknown): ValueKind {
  if (value === null || value === undefined) return 'nil';
  switch (typeof value) {
    case 'boolean':
      return 'bool';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'object': {
      if (Array.isArray(value)) return 'array';
      const proto = Object.getPrototypeOf(value);
      if (proto === Object.prototype || proto === null) return 'map';
      // Only builtins make these; a result is plain data.
      if (value instanceof ExprTime) return 'time';
      if (value instanceof ExprDuration) return 'duration';
      if (value instanceof ExprLocation) return 'location';
      return 'unsupported';
    }
    default:
      return 'unsupported';
  }
}

/** Go's name for the type of a value, as expr-lang writes it in messages. */
export function typeName(value: unknown): string {
  switch (kindOf(value)) {
    case 'nil':
      return 'nil';
    case 'bool':
      return 'bool';
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float64';
    case 'string':
      return 'string';
    case 'array':
      return '[]interface {}';
    case 'map':
      return 'map[string]interface {}';
    case 'time':
      return 'time.Time';
    case 'duration':
      return 'time.Duration';
    case 'location':
      return '*time.Location';
    default:
      return typeof value === 'object' ? 'object' : typeof value;
  }
}

/**
 * Reads an own data property of a plain object; `undefined` when absent.
 * Never reads inherited members (`constructor`, `__proto__`, `toString`) and
 * never runs a getter.
 */
export function ownDataProperty(map: object, key: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(map, key);
  return descriptor && 'value' in descriptor ? descriptor.value : undefined;
}

/**
 * Deep equality that never throws on mixed kinds: numbers by value (NaN
 * unequal), arrays and maps element-wise. `spend` is charged for the work:
 * one step per value visited, plus the characters of compared strings.
 */
export function looseEqual(a: unknown, b: unknown, spend: (steps: number) => void, depth = 0): boolean {
  if (depth > conditionLimits.maxValueDepth) return false;
  spend(1);
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka !== kb) return false;
  switch (ka) {
    case 'string':
      if ((a as string).length !== (b as string).length) return false;
      spend((a as string).length);
      return a === b;
    case 'nil':
      return true;
    case 'array': {
      const x = a as unknown[];
      const y = b as unknown[];
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) if (!looseEqual(x[i], y[i], spend, depth + 1)) return false;
      return true;
    }
    case 'map': {
      const xs = Object.keys(a as object);
      const ys = Object.keys(b as object);
      spend(xs.length + ys.length);
      if (xs.length !== ys.length) return false;
      for (const key of xs) {
        if (!Object.hasOwn(b as object, key)) return false;
        if (!looseEqual(ownDataProperty(a as object, key), ownDataProperty(b as object, key), spend, depth + 1)) return false;
      }
      return true;
    }
    case 'time':
      return (a as ExprTime).compare(b as ExprTime) === 0;
    case 'duration':
      return (a as ExprDuration).ns === (b as ExprDuration).ns;
    case 'location':
      return (
        (a as ExprLocation).name === (b as ExprLocation).name &&
        (a as ExprLocation).fixedOffset === (b as ExprLocation).fixedOffset
      );
    case 'unsupported':
      return false;
    default:
      return a === b;
  }
}

/** Formats a value as Go's `%v` would (what expr-lang's `string()` returns). */
export function formatValue(value: unknown, depth = 0): string {
  if (depth > conditionLimits.maxValueDepth) return '...';
  switch (kindOf(value)) {
    case 'nil':
      return '<nil>';
    case 'number':
      return formatNumber(value as number);
    case 'array':
      return `[${(value as unknown[]).map((item) => formatValue(item, depth + 1)).join(' ')}]`;
    case 'map':
      return `map[${Object.keys(value as object)
        .sort()
        .map((key) => `${key}:${formatValue(ownDataProperty(value as object, key), depth + 1)}`)
        .join(' ')}]`;
    case 'time':
      return formatTimeDefault(value as ExprTime);
    case 'duration':
      return formatDuration((value as ExprDuration).ns);
    case 'location':
      return (value as ExprLocation).name || formatTimeDefault(new ExprTime(0, value as ExprLocation)).slice(-5);
    case 'unsupported':
      return `<${typeName(value)}>`;
    default:
      return String(value);
  }
}

/**
 * Go's `%v` of a number: whole numbers as an int prints them (`10`), others
 * as a float64 prints them (`%g`, shortest): `0.95`, `1.2345675e+06`,
 * `1e-05`, `NaN`, `+Inf`. A whole float64 such as `1000000.0` cannot be told
 * from an int here, so it prints `1000000` where Go prints `1e+06`.
 */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Number.isInteger(value)) return String(value).replace(/e([+-])(\d)$/, 'e$10$2');
  // strconv's shortest %g switches to an exponent below 1e-4 and from 1e6 (precision 6).
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
  const exp = Number(exponent);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(value);
}
