import { type Builtin, type BuiltinCall, each, number, truth } from './builtin-helpers.js';
import { collectionBuiltins } from './collection-builtins.js';
import { conditionLimits } from './condition-limits.js';
import { conversionBuiltins } from './conversion-builtins.js';
import { stringBuiltins } from './string-builtins.js';
import { timeBuiltins } from './time-builtins.js';
import { formatValue, kindOf, typeName } from './values.js';

// Go's strconv.ParseFloat words: Inf/Infinity/NaN in any case, after an optional sign.
const goFloatWord = /^[+-]?(?:inf|infinity|nan)$/i;
const goInt = /^[+-]?\d+$/;

function parseGoFloat(call: BuiltinCall, text: string): number {
  call.ctx.charge(call.env, text.length + 1, call.pos);
  // Nearly every value is a decimal: scanned by hand, it skips a regex run and two string copies.
  if (isGoDecimal(text)) return Number(text);
  if (!goFloatWord.test(text)) call.ctx.fail(`strconv.ParseFloat: parsing ${JSON.stringify(text)}: invalid syntax`, call.pos);
  const lower = text.toLowerCase().replace(/^\+/, '');
  if (lower === 'nan' || lower === '-nan') return Number.NaN;
  if (lower === 'inf' || lower === 'infinity') return Number.POSITIVE_INFINITY;
  return Number.NEGATIVE_INFINITY;
}

const isDigit = (code: number) => code >= 48 && code <= 57;

/** Whether `text` is `[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?`, the decimal form Go's ParseFloat reads (and `Number` reads alike). */
export function isGoDecimal(text: string): boolean {
  const n = text.length;
  let i = 0;
  let code = text.charCodeAt(0);
  if (code === 43 || code === 45) i++;
  let digits = 0;
  while (i < n && isDigit(text.charCodeAt(i))) {
    i++;
    digits++;
  }
  if (i < n && text.charCodeAt(i) === 46) {
    i++;
    while (i < n && isDigit(text.charCodeAt(i))) {
      i++;
      digits++;
    }
  }
  if (digits === 0) return false;
  if (i === n) return true;
  code = text.charCodeAt(i);
  if (code !== 101 && code !== 69) return false;
  i++;
  code = text.charCodeAt(i);
  if (code === 43 || code === 45) i++;
  const exponentStart = i;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  return i > exponentStart && i === n;
}

function parseGoInt(call: BuiltinCall, text: string): number {
  call.ctx.charge(call.env, text.length + 1, call.pos);
  if (!goInt.test(text)) call.ctx.fail(`strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax`, call.pos);
  const value = Number(text);
  if (!Number.isSafeInteger(value))
    call.ctx.fail(`strconv.ParseInt: parsing ${JSON.stringify(text)}: value out of range`, call.pos);
  return value;
}

/**
 * expr-lang's `min`/`max` (builtin/utils.go `minMax`): arrays are flattened
 * at any position and depth, and an element replaces the best so far only
 * when `better(best, element)` holds, so a NaN wins only in first position
 * (every comparison with it is false). A single non-number, non-array
 * argument is returned as it is; no numbers at all gives nil.
 */
function minMax(call: BuiltinCall, name: string, better: (best: number, next: number) => boolean): unknown {
  if (call.args.length === 1 && !Array.isArray(call.args[0]) && typeof call.args[0] !== 'number') return call.args[0];
  let best: number | undefined;
  const visit = (value: unknown, depth: number): void => {
    if (Array.isArray(value)) {
      if (depth > conditionLimits.maxValueDepth) call.ctx.fail(`${name}: arrays nested too deep`, call.pos);
      call.ctx.charge(call.env, value.length, call.pos);
      for (const item of value) visit(item, depth + 1);
      return;
    }
    const next = number(call, name, value);
    if (best === undefined || better(best, next)) best = next;
  };
  for (const arg of call.args) visit(arg, 0);
  return best ?? null;
}

/** The function table: the only code an expression can call. */
export const builtins: Readonly<Record<string, Builtin>> = {
  ...collectionBuiltins,
  ...stringBuiltins,
  ...timeBuiltins,
  ...conversionBuiltins,
  len(call) {
    const value = call.args[0];
    if (Array.isArray(value)) return value.length;
    // Counting characters (code points) and listing keys both walk the whole value.
    if (typeof value === 'string') {
      call.ctx.charge(call.env, value.length + 1, call.pos);
      return [...value].length;
    }
    if (kindOf(value) === 'map') {
      const keys = Object.keys(value as object);
      call.ctx.charge(call.env, keys.length + 1, call.pos);
      return keys.length;
    }
    return call.ctx.fail(`invalid argument for len (type ${typeName(value)})`, call.pos);
  },
  all(call) {
    let out = true;
    each(call, 'all', (value) => {
      if (!truth(call, 'all', value)) out = false;
      return out;
    });
    return out;
  },
  any(call) {
    let out = false;
    each(call, 'any', (value) => {
      if (truth(call, 'any', value)) out = true;
      return !out;
    });
    return out;
  },
  none(call) {
    let out = true;
    each(call, 'none', (value) => {
      if (truth(call, 'none', value)) out = false;
      return out;
    });
    return out;
  },
  one(call) {
    let matches = 0;
    each(call, 'one', (value) => {
      if (truth(call, 'one', value)) matches++;
      return matches <= 1;
    });
    return matches === 1;
  },
  filter(call) {
    const out: unknown[] = [];
    each(call, 'filter', (value, item) => {
      if (truth(call, 'filter', value)) out.push(item);
      return true;
    });
    return out;
  },
  map(call) {
    const out: unknown[] = [];
    each(call, 'map', (value) => {
      out.push(value);
      return true;
    });
    return out;
  },
  count(call) {
    let out = 0;
    each(call, 'count', (value) => {
      if (truth(call, 'count', value)) out++;
      return true;
    });
    return out;
  },
  sum(call) {
    let out = 0;
    each(call, 'sum', (value) => {
      out += number(call, 'sum', value);
      return true;
    });
    return out;
  },
  min: (call) => minMax(call, 'min', (best, next) => best > next),
  max: (call) => minMax(call, 'max', (best, next) => best < next),
  abs: (call) => Math.abs(number(call, 'abs', call.args[0])),
  ceil: (call) => Math.ceil(number(call, 'ceil', call.args[0])),
  floor: (call) => Math.floor(number(call, 'floor', call.args[0])),
  // Go's math.Round rounds half away from zero.
  round: (call) => {
    const value = number(call, 'round', call.args[0]);
    return Math.sign(value) * Math.round(Math.abs(value));
  },
  int(call) {
    const value = call.args[0];
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) call.ctx.fail(`cannot convert ${formatValue(value)} to int`, call.pos);
      return Math.trunc(value);
    }
    if (typeof value === 'string') return parseGoInt(call, value);
    return call.ctx.fail(`invalid argument for int (type ${typeName(value)})`, call.pos);
  },
  float(call) {
    const value = call.args[0];
    if (typeof value === 'number') return value;
    if (typeof value === 'string') return parseGoFloat(call, value);
    return call.ctx.fail(`invalid argument for float (type ${typeName(value)})`, call.pos);
  },
  string(call) {
    const text = formatValue(call.args[0]);
    call.ctx.charge(call.env, text.length, call.pos);
    return text;
  },
  // Argo's asInt: numbers are truncated, strings must be Go integers (`asInt("1.1")` errs).
  asInt(call) {
    const value = call.args[0];
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) call.ctx.fail(`asInt: cannot convert ${formatValue(value)} to int`, call.pos);
      return Math.trunc(value);
    }
    if (typeof value === 'string') return parseGoInt(call, value);
    return call.ctx.fail(`asInt: cannot convert ${typeName(value)} to int`, call.pos);
  },
  asFloat(call) {
    const value = call.args[0];
    if (typeof value === 'number') return value;
    if (typeof value === 'string') return parseGoFloat(call, value);
    return call.ctx.fail(`asFloat: cannot convert ${typeName(value)} to float64`, call.pos);
  },
  isNaN: (call) => Number.isNaN(number(call, 'isNaN', call.args[0])),
  isInf: (call) => {
    const value = number(call, 'isInf', call.args[0]);
    return value === Number.POSITIVE_INFINITY || value === Number.NEGATIVE_INFINITY;
  },
  // The parser only accepts `result` as the first argument, which is what Argo inspects.
  isNil: (call) => call.args[0] === null || call.args[0] === undefined,
  default: (call) => (call.args[0] === null || call.args[0] === undefined ? call.args[1] : call.args[0]),
};
