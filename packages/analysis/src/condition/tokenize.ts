import { ConditionError } from './condition-error.js';

/** One lexical token of a condition. */
export interface Token {
  kind: 'number' | 'string' | 'name' | 'pointer' | 'op' | 'eof';
  /** Operator or name text; for strings the decoded value; for pointers `''` or `index`. */
  text: string;
  number?: number | undefined;
  pos: number;
}

// Longest first, so `?.` wins over `?` and `**` over `*`.
const operators = [
  '?.',
  '??',
  '..',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '**',
  '=',
  ';',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '<',
  '>',
  '!',
  '?',
  ':',
  '.',
  ',',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '|',
];

const escapes: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '`': '`',
};

/** Splits an expression into tokens; throws a ConditionError at the first character it cannot read. */
export function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const fail = (reason: string, pos: number): never => {
    throw new ConditionError({ expression, reason, position: pos });
  };
  let i = 0;
  while (i < expression.length) {
    const c = expression[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    // expr-lang's comments: `// to the end of the line` and `/* ... */`.
    if (c === '/' && expression[i + 1] === '/') {
      while (i < expression.length && expression[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && expression[i + 1] === '*') {
      const end = expression.indexOf('*/', i + 2);
      if (end < 0) fail('comment not terminated', i);
      i = end + 2;
      continue;
    }
    const start = i;
    // `.95` is a number in expr-lang, as `0.95`.
    if (isDigit(c) || (c === '.' && isDigit(expression[i + 1] ?? ''))) {
      i = readNumber(expression, i, tokens, fail);
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      i = readString(expression, i, tokens, fail);
      continue;
    }
    if (isNameStart(c)) {
      while (i < expression.length && isNamePart(expression[i] as string)) i++;
      tokens.push({ kind: 'name', text: expression.slice(start, i), pos: start });
      continue;
    }
    if (c === '#') {
      i++;
      while (i < expression.length && isNamePart(expression[i] as string)) i++;
      const name = expression.slice(start + 1, i);
      if (name !== '' && name !== 'index' && name !== 'acc')
        fail(`unknown pointer #${name}; only #, #index and #acc exist`, start);
      tokens.push({ kind: 'pointer', text: name, pos: start });
      continue;
    }
    let op = operators.find((candidate) => expression.startsWith(candidate, i));
    if (op === undefined) fail(`unexpected character ${JSON.stringify(c)}`, i);
    // `a?.5` is not optional chaining; expr-lang reads `?.` only before a name or `[`.
    if (op === '?.' && isDigit(expression[i + 2] ?? '')) op = '?';
    tokens.push({ kind: 'op', text: op as string, pos: start });
    i += (op as string).length;
  }
  tokens.push({ kind: 'eof', text: '', pos: expression.length });
  return tokens;
}

function readNumber(expression: string, start: number, tokens: Token[], fail: (reason: string, pos: number) => never): number {
  let i = start;
  const radix = /^0[xX]/.test(expression.slice(i, i + 2))
    ? 16
    : /^0[oO]/.test(expression.slice(i, i + 2))
      ? 8
      : /^0[bB]/.test(expression.slice(i, i + 2))
        ? 2
        : 10;
  if (radix !== 10) {
    i += 2;
    const digitsStart = i;
    while (i < expression.length && /[0-9a-fA-F_]/.test(expression[i] as string)) i++;
    const digits = expression.slice(digitsStart, i).replace(/_/g, '');
    const value = Number.parseInt(digits, radix);
    if (digits === '' || Number.isNaN(value) || !new RegExp(`^[${'0123456789abcdef'.slice(0, radix)}]+$`, 'i').test(digits)) {
      fail(`invalid number ${JSON.stringify(expression.slice(start, i))}`, start);
    }
    tokens.push({ kind: 'number', text: expression.slice(start, i), number: value, pos: start });
    return i;
  }
  while (i < expression.length && /[0-9_]/.test(expression[i] as string)) i++;
  // A `.` belongs to the number only when a digit follows: `1..3` is a range, `1.5` a float.
  if (expression[i] === '.' && isDigit(expression[i + 1] ?? '')) {
    i++;
    while (i < expression.length && /[0-9_]/.test(expression[i] as string)) i++;
  }
  if (expression[i] === 'e' || expression[i] === 'E') {
    let j = i + 1;
    if (expression[j] === '+' || expression[j] === '-') j++;
    if (isDigit(expression[j] ?? '')) {
      i = j;
      while (i < expression.length && isDigit(expression[i] as string)) i++;
    }
  }
  const text = expression.slice(start, i);
  if (text.endsWith('_') || text.includes('__')) fail(`invalid number ${JSON.stringify(text)}`, start);
  if (isNameStart(expression[i] ?? '')) fail(`invalid number ${JSON.stringify(expression.slice(start, i + 1))}`, start);
  tokens.push({ kind: 'number', text, number: Number(text.replace(/_/g, '')), pos: start });
  return i;
}

function readString(expression: string, start: number, tokens: Token[], fail: (reason: string, pos: number) => never): number {
  const quote = expression[start] as string;
  let i = start + 1;
  let value = '';
  for (;;) {
    if (i >= expression.length) fail('string literal not terminated', start);
    const c = expression[i] as string;
    if (c === quote) break;
    if (c === '\\' && quote !== '`') {
      const next = expression[i + 1] ?? '';
      if (next === 'u' || next === 'x') {
        const width = next === 'u' ? 4 : 2;
        const hex = expression.slice(i + 2, i + 2 + width);
        if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) fail(`invalid escape \\${next}${hex}`, i);
        value += String.fromCharCode(Number.parseInt(hex, 16));
        i += 2 + width;
        continue;
      }
      const decoded = escapes[next];
      if (decoded === undefined) fail(`invalid escape \\${next}`, i);
      value += decoded;
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  tokens.push({ kind: 'string', text: value, pos: start });
  return i + 1;
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isNameStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$';
}

function isNamePart(c: string): boolean {
  return isNameStart(c) || isDigit(c);
}
