import type { Builtin, BuiltinCall } from './builtin-helpers.js';
import { typeName } from './values.js';

/** The `i`th argument as a string, charged by its length (every string function reads its input). */
function text(call: BuiltinCall, name: string, i = 0): string {
  const value = call.args[i];
  if (typeof value !== 'string') return call.ctx.fail(`invalid argument for ${name} (type ${typeName(value)})`, call.pos);
  call.ctx.charge(call.env, value.length + 1, call.pos);
  return value;
}

function int(call: BuiltinCall, name: string, i: number): number {
  const value = call.args[i];
  if (typeof value !== 'number' || !Number.isInteger(value))
    return call.ctx.fail(`invalid argument for ${name} (type ${typeName(value)})`, call.pos);
  return value;
}

/** Charges what a result string or list costs to build. */
function built<T extends string | unknown[]>(call: BuiltinCall, value: T): T {
  call.ctx.charge(call.env, value.length, call.pos);
  return value;
}

// Go's strings.Trim: removes any of `cutset`'s characters from both ends.
function trimSet(value: string, cutset: string, start: boolean, end: boolean): string {
  const chars = new Set(cutset);
  const codePoints = [...value];
  let from = 0;
  let to = codePoints.length;
  if (start) while (from < to && chars.has(codePoints[from] as string)) from++;
  if (end) while (to > from && chars.has(codePoints[to - 1] as string)) to--;
  return codePoints.slice(from, to).join('');
}

// Go's strings.SplitN / SplitAfterN: n < 0 all pieces, n == 0 none, n > 0 at most n (the last holds the rest).
function split(value: string, separator: string, n: number, after: boolean): string[] {
  if (n === 0) return [];
  if (separator === '') {
    const chars = [...value];
    if (n < 0 || n >= chars.length) return chars;
    return [...chars.slice(0, n - 1), chars.slice(n - 1).join('')];
  }
  const out: string[] = [];
  let start = 0;
  while (n < 0 || out.length < n - 1) {
    const at = value.indexOf(separator, start);
    if (at < 0) break;
    out.push(value.slice(start, after ? at + separator.length : at));
    start = at + separator.length;
  }
  out.push(value.slice(start));
  return out;
}

// Character (code point) offset of a UTF-16 offset: conditions count characters, as len() does.
function characters(value: string, utf16: number): number {
  return utf16 < 0 ? -1 : [...value.slice(0, utf16)].length;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Longest string `repeat` may build (expr-lang's own limit). */
const MAX_REPEAT = 1_000_000;

/** expr-lang's string functions (Go's `strings` package underneath). */
export const stringBuiltins: Readonly<Record<string, Builtin>> = {
  trim(call) {
    const value = text(call, 'trim');
    return call.args.length === 2 ? trimSet(value, text(call, 'trim', 1), true, true) : value.trim();
  },
  trimPrefix(call) {
    const value = text(call, 'trimPrefix');
    const prefix = call.args.length === 2 ? text(call, 'trimPrefix', 1) : ' ';
    return value.startsWith(prefix) ? value.slice(prefix.length) : value;
  },
  trimSuffix(call) {
    const value = text(call, 'trimSuffix');
    const suffix = call.args.length === 2 ? text(call, 'trimSuffix', 1) : ' ';
    return suffix !== '' && value.endsWith(suffix) ? value.slice(0, value.length - suffix.length) : value;
  },
  upper: (call) => built(call, text(call, 'upper').toUpperCase()),
  lower: (call) => built(call, text(call, 'lower').toLowerCase()),
  split(call) {
    const value = text(call, 'split');
    const separator = text(call, 'split', 1);
    return built(call, split(value, separator, call.args.length === 3 ? int(call, 'split', 2) : -1, false));
  },
  splitAfter(call) {
    const value = text(call, 'splitAfter');
    const separator = text(call, 'splitAfter', 1);
    return built(call, split(value, separator, call.args.length === 3 ? int(call, 'splitAfter', 2) : -1, true));
  },
  replace(call) {
    const value = text(call, 'replace');
    const old = text(call, 'replace', 1);
    const replacement = text(call, 'replace', 2);
    const n = call.args.length === 4 ? int(call, 'replace', 3) : -1;
    if (n === 0) return value;
    if (old === '') {
      // Go's strings.Replace: an empty `old` matches before every character and at the end.
      const chars = [...value];
      call.ctx.charge(call.env, (chars.length + 1) * (replacement.length + 1), call.pos);
      let out = '';
      for (let i = 0; i <= chars.length; i++) out += (n < 0 || i < n ? replacement : '') + (chars[i] ?? '');
      return out;
    }
    const parts = value.split(old);
    call.ctx.charge(call.env, parts.length * (replacement.length + 1), call.pos);
    if (n < 0 || parts.length - 1 <= n) return parts.join(replacement);
    return `${parts.slice(0, n + 1).join(replacement)}${old}${parts.slice(n + 1).join(old)}`;
  },
  repeat(call) {
    const value = text(call, 'repeat');
    const n = int(call, 'repeat', 1);
    if (n < 0) return call.ctx.fail(`invalid argument for repeat (expected positive integer, got ${n})`, call.pos);
    if (n > MAX_REPEAT || value.length * n > MAX_REPEAT * 10) return call.ctx.fail('memory budget exceeded', call.pos);
    call.ctx.charge(call.env, value.length * n, call.pos);
    return value.repeat(n);
  },
  join(call) {
    const items = call.args[0];
    if (!Array.isArray(items)) return call.ctx.fail(`invalid argument for join (type ${typeName(items)})`, call.pos);
    const glue = call.args.length === 2 ? text(call, 'join', 1) : '';
    let size = 0;
    for (const item of items) {
      if (typeof item !== 'string')
        return call.ctx.fail(`invalid argument for join (element of type ${typeName(item)})`, call.pos);
      size += item.length + glue.length;
    }
    call.ctx.charge(call.env, size + 1, call.pos);
    return items.join(glue);
  },
  indexOf(call) {
    const value = text(call, 'indexOf');
    return characters(value, value.indexOf(text(call, 'indexOf', 1)));
  },
  lastIndexOf(call) {
    const value = text(call, 'lastIndexOf');
    return characters(value, value.lastIndexOf(text(call, 'lastIndexOf', 1)));
  },
  hasPrefix: (call) => text(call, 'hasPrefix').startsWith(text(call, 'hasPrefix', 1)),
  hasSuffix: (call) => text(call, 'hasSuffix').endsWith(text(call, 'hasSuffix', 1)),
  toBase64: (call) => built(call, Buffer.from(text(call, 'toBase64'), 'utf8').toString('base64')),
  fromBase64(call) {
    const value = text(call, 'fromBase64');
    // Go's StdEncoding is strict where Buffer is lenient: refuse what Go refuses.
    if (!BASE64.test(value)) return call.ctx.fail('illegal base64 data', call.pos);
    return Buffer.from(value, 'base64').toString('utf8');
  },
};
