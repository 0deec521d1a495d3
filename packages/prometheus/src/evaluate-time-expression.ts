import { parseGoDuration } from '@gradual/core/adapter';
import { parseGoTime } from './parse-go-time.js';

type Value = { kind: 'time'; ms: number } | { kind: 'duration'; ms: number } | { kind: 'string'; text: string };

// The layouts expr-lang's `date()` tries when given none, in its order.
const defaultLayouts = [
  '2006-01-02',
  '15:04:05',
  '2006-01-02 15:04:05',
  '2006-01-02T15:04:05.999999999Z07:00',
  '02 Jan 06 15:04 MST',
  'Monday, 02-Jan-06 15:04:05 MST',
  'Mon, 02 Jan 2006 15:04:05 MST',
];

/**
 * Evaluates a `rangeQuery.start` / `end` expression the way Argo Rollouts
 * does with expr-lang, for the part of the language such expressions use:
 * `now()`, `duration("1h")`, `date(text[, layout[, zone]])`, `+`, `-` and
 * parentheses, e.g. `now() - duration("10m")`. `now` is the rollout clock's
 * time in epoch ms. Returns epoch ms; throws an Error with expr-lang's wording.
 */
export function evaluateTimeExpression(expression: string, now: number): number {
  const tokens = tokenize(expression);
  let at = 0;
  const peek = () => tokens[at];
  const expect = (text: string) => {
    const token = tokens[at++];
    if (token?.text !== text)
      throw new Error(`unexpected ${token ? JSON.stringify(token.text) : 'end of expression'}, expected ${JSON.stringify(text)}`);
  };

  const primary = (): Value => {
    const token = tokens[at++];
    if (!token) throw new Error('unexpected end of expression');
    if (token.kind === 'string') return { kind: 'string', text: token.text };
    if (token.text === '(') {
      const value = sum();
      expect(')');
      return value;
    }
    if (token.kind !== 'name') throw new Error(`unexpected ${JSON.stringify(token.text)}`);
    expect('(');
    const args: Value[] = [];
    while (peek()?.text !== ')') {
      args.push(sum());
      if (peek()?.text === ',') at++;
      else break;
    }
    expect(')');
    return call(token.text, args, now);
  };

  const sum = (): Value => {
    let left = primary();
    while (peek()?.text === '+' || peek()?.text === '-') {
      const operator = tokens[at++]?.text as '+' | '-';
      left = combine(left, operator, primary());
    }
    return left;
  };

  const result = sum();
  if (at < tokens.length) throw new Error(`unexpected ${JSON.stringify(tokens[at]?.text)}`);
  if (result.kind !== 'time')
    throw new Error(`expected time.Time, but got ${result.kind === 'duration' ? 'time.Duration' : 'string'}`);
  return result.ms;
}

function call(name: string, args: Value[], now: number): Value {
  const strings = args.map((arg) => {
    if (arg.kind !== 'string') throw new Error(`${name}() takes string arguments`);
    return arg.text;
  });
  switch (name) {
    case 'now':
      if (args.length !== 0) throw new Error('now() takes no arguments');
      return { kind: 'time', ms: now };
    case 'duration':
      if (strings.length !== 1) throw new Error('duration() takes one argument');
      return { kind: 'duration', ms: parseGoDuration(strings[0] as string) };
    case 'date': {
      const [text, layout, zone] = strings as [string, string?, string?];
      if (strings.length < 1 || strings.length > 3) throw new Error('date() takes one to three arguments');
      if (layout !== undefined) return { kind: 'time', ms: parseGoTime(layout, text, zone) };
      for (const candidate of defaultLayouts) {
        try {
          return { kind: 'time', ms: parseGoTime(candidate, text) };
        } catch {
          // try the next layout, as expr-lang does
        }
      }
      throw new Error(`invalid date ${text}`);
    }
    default:
      throw new Error(`unknown name ${name}`);
  }
}

function combine(left: Value, operator: '+' | '-', right: Value): Value {
  if (left.kind === 'time' && right.kind === 'duration')
    return { kind: 'time', ms: operator === '+' ? left.ms + right.ms : left.ms - right.ms };
  if (left.kind === 'duration' && right.kind === 'time' && operator === '+') return { kind: 'time', ms: left.ms + right.ms };
  if (left.kind === 'duration' && right.kind === 'duration')
    return { kind: 'duration', ms: operator === '+' ? left.ms + right.ms : left.ms - right.ms };
  if (left.kind === 'time' && right.kind === 'time' && operator === '-') return { kind: 'duration', ms: left.ms - right.ms };
  throw new Error(`invalid operation: ${typeName(left)} ${operator} ${typeName(right)}`);
}

function typeName(value: Value): string {
  return value.kind === 'time' ? 'time.Time' : value.kind === 'duration' ? 'time.Duration' : 'string';
}

type Token = { kind: 'name' | 'string' | 'punct'; text: string };

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s+|([A-Za-z_]\w*)|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|`([^`]*)`|([()+,-])/y;
  while (pattern.lastIndex < expression.length) {
    const from = pattern.lastIndex;
    const match = pattern.exec(expression);
    if (!match) throw new Error(`unexpected character ${JSON.stringify(expression[from])} at position ${from}`);
    if (match[1] !== undefined) tokens.push({ kind: 'name', text: match[1] });
    else if (match[2] !== undefined) tokens.push({ kind: 'string', text: JSON.parse(`"${match[2]}"`) as string });
    else if (match[3] !== undefined) tokens.push({ kind: 'string', text: match[3].replace(/\\(.)/g, '$1') });
    else if (match[4] !== undefined) tokens.push({ kind: 'string', text: match[4] });
    else if (match[5] !== undefined) tokens.push({ kind: 'punct', text: match[5] });
  }
  return tokens;
}
