import { copyPlainData, NotPlainDataError } from '@gradual/core/adapter';
import type { Builtin, BuiltinCall } from './builtin-helpers.js';
import { conditionLimits } from './condition-limits.js';
import { formatGoTime } from './go-time-layout.js';
import type { ExprDuration, ExprTime } from './time-values.js';
import { formatNumber, kindOf, ownDataProperty, typeName } from './values.js';

/** Longest text `fromJSON` parses. */
const MAX_JSON_TEXT = 10_000_000;

// Go's encoding/json escapes <, > and & (HTML-safe) and the two JavaScript line separators.
const htmlUnsafe = /[<>&\u2028\u2029]/g;
const escapeHtml = (text: string) =>
  text.replace(htmlUnsafe, (c) => `\\u${(c.codePointAt(0) as number).toString(16).padStart(4, '0')}`);

/** Go's json.MarshalIndent(v, "", "  ") of a condition value: sorted map keys, dates as RFC 3339, durations as nanoseconds. */
function toJson(call: BuiltinCall, value: unknown, indent: string, depth: number): string {
  if (depth > conditionLimits.maxValueDepth) return call.ctx.fail('toJSON: value nested too deep', call.pos);
  call.ctx.charge(call.env, 1, call.pos);
  switch (kindOf(value)) {
    case 'nil':
      return 'null';
    case 'bool':
      return String(value);
    case 'number': {
      const n = value as number;
      if (!Number.isFinite(n)) return call.ctx.fail(`json: unsupported value: ${formatNumber(n)}`, call.pos);
      return JSON.stringify(n);
    }
    case 'string':
      call.ctx.charge(call.env, (value as string).length, call.pos);
      return escapeHtml(JSON.stringify(value));
    case 'time':
      return JSON.stringify(formatGoTime(value as ExprTime, '2006-01-02T15:04:05.999999999Z07:00'));
    case 'duration':
      return String((value as ExprDuration).ns);
    case 'array': {
      const items = value as unknown[];
      if (items.length === 0) return '[]';
      const inner = `${indent}  `;
      return `[\n${items.map((item) => inner + toJson(call, item, inner, depth + 1)).join(',\n')}\n${indent}]`;
    }
    case 'map': {
      const keys = Object.keys(value as object).sort();
      if (keys.length === 0) return '{}';
      const inner = `${indent}  `;
      return `{\n${keys
        .map(
          (key) =>
            `${inner}${escapeHtml(JSON.stringify(key))}: ${toJson(call, ownDataProperty(value as object, key), inner, depth + 1)}`,
        )
        .join(',\n')}\n${indent}}`;
    }
    default:
      return call.ctx.fail(`json: unsupported type: ${typeName(value)}`, call.pos);
  }
}

function int64(call: BuiltinCall, name: string, value: unknown): bigint {
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    return call.ctx.fail(`invalid argument for ${name} (type ${typeName(value)}): an integer is required`, call.pos);
  return BigInt(value);
}

function bitwise(name: string, op: (a: bigint, b: bigint) => bigint): Builtin {
  return (call) => Number(BigInt.asIntN(64, op(int64(call, name, call.args[0]), int64(call, name, call.args[1]))));
}

function shift(name: string, op: (a: bigint, b: bigint) => bigint): Builtin {
  return (call) => {
    const amount = int64(call, name, call.args[1]);
    if (amount < 0n) return call.ctx.fail(`invalid operation: negative shift count ${amount}`, call.pos);
    return Number(op(int64(call, name, call.args[0]), amount > 64n ? 64n : amount));
  };
}

/** expr-lang's conversion, JSON and bitwise functions. */
export const conversionBuiltins: Readonly<Record<string, Builtin>> = {
  type(call) {
    const value = call.args[0];
    switch (kindOf(value)) {
      case 'nil':
        return 'nil';
      case 'bool':
        return 'bool';
      case 'number':
        return Number.isInteger(value) ? 'int' : 'float';
      case 'string':
        return 'string';
      case 'array':
        return 'array';
      case 'map':
        return 'map';
      default:
        return typeName(value);
    }
  },
  toJSON: (call) => toJson(call, call.args[0], '', 0),
  fromJSON(call) {
    const text = call.args[0];
    if (typeof text !== 'string') return call.ctx.fail(`invalid argument for fromJSON (type ${typeName(text)})`, call.pos);
    if (text.length > MAX_JSON_TEXT) return call.ctx.fail(`fromJSON: text longer than ${MAX_JSON_TEXT} characters`, call.pos);
    call.ctx.charge(call.env, text.length + 1, call.pos);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return call.ctx.fail(`fromJSON: ${(error as Error).message}`, call.pos);
    }
    try {
      // JSON.parse makes plain data; the copy bounds its depth and size as a result's are.
      return copyPlainData(parsed, {
        root: '',
        undefinedAs: 'null',
        maxDepth: conditionLimits.maxValueDepth,
        maxValues: conditionLimits.maxResultValues,
        finiteNumbers: true,
      });
    } catch (error) {
      if (error instanceof NotPlainDataError) return call.ctx.fail(`fromJSON: ${error.message}`, call.pos);
      throw error;
    }
  },
  bitand: bitwise('bitand', (a, b) => a & b),
  bitor: bitwise('bitor', (a, b) => a | b),
  bitxor: bitwise('bitxor', (a, b) => a ^ b),
  bitnand: bitwise('bitnand', (a, b) => a & ~b),
  bitnot: (call) => Number(~int64(call, 'bitnot', call.args[0])),
  bitshl: shift('bitshl', (a, b) => BigInt.asIntN(64, a << b)),
  bitshr: shift('bitshr', (a, b) => BigInt.asIntN(64, a >> b)),
  bitushr: shift('bitushr', (a, b) => BigInt.asIntN(64, BigInt.asUintN(64, a) >> b)),
};
