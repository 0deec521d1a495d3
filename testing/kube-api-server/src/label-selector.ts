/**
 * Label selectors as kube-apiserver parses them for `?labelSelector=` (k8s.io/apimachinery
 * `labels.Parse`): equality (`k=v`, `k==v`, `k!=v`), sets (`k in (a,b)`, `k notin (a,b)`),
 * existence (`k`, `!k`); a comma is AND. `!=` and `notin` also match objects without the label.
 */

/** One requirement of a parsed selector. */
export interface LabelRequirement {
  key: string;
  operator: 'in' | 'notin' | 'exists' | '!exists';
  values: string[];
}

/** A selector kube-apiserver would refuse; `message` is worded as its parser words it. */
export class LabelSelectorError extends Error {
  override readonly name = 'LabelSelectorError';
}

type Token = { kind: 'id' | ',' | '(' | ')' | '=' | '==' | '!=' | '!' | 'in' | 'notin' | 'end'; text: string };

const keyPattern =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const valuePattern = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === ',' || c === '(' || c === ')') {
      tokens.push({ kind: c, text: c });
      i++;
    } else if (c === '=' || c === '!') {
      if (text[i + 1] === '=') {
        tokens.push({ kind: c === '=' ? '==' : '!=', text: `${c}=` });
        i += 2;
      } else {
        tokens.push({ kind: c, text: c });
        i++;
      }
    } else {
      let j = i;
      while (j < text.length && !/[\s,()=!]/.test(text[j]!)) j++;
      const word = text.slice(i, j);
      tokens.push({ kind: word === 'in' ? 'in' : word === 'notin' ? 'notin' : 'id', text: word });
      i = j;
    }
  }
  tokens.push({ kind: 'end', text: '' });
  return tokens;
}

/** Parses a selector; an empty one selects everything. Throws {@link LabelSelectorError}. */
export function parseLabelSelector(text: string): LabelRequirement[] {
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at]!;
  const next = () => tokens[at++]!;
  const fail = (message: string): never => {
    throw new LabelSelectorError(`unable to parse requirement: ${message}`);
  };
  const checkKey = (key: string) => {
    if (!keyPattern.test(key) || key.length > 316)
      fail(`<nil>: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.'`);
    return key;
  };
  const checkValue = (value: string) => {
    if (!valuePattern.test(value) || value.length > 63)
      fail(
        `values[0][${value}]: Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'`,
      );
    return value;
  };
  const requirements: LabelRequirement[] = [];
  if (peek().kind === 'end') return requirements;
  for (;;) {
    let token = next();
    if (token.kind === '!') {
      token = next();
      if (token.kind !== 'id') fail(`found '${token.text}', expected: identifier after '!'`);
      requirements.push({ key: checkKey(token.text), operator: '!exists', values: [] });
    } else {
      // Outside a requirement: not prefixed, as labels.Parse words it.
      if (token.kind !== 'id') throw new LabelSelectorError(`found '${token.text}', expected: !, identifier, or 'end of string'`);
      const key = checkKey(token.text);
      const operator = peek();
      if (operator.kind === ',' || operator.kind === 'end') {
        requirements.push({ key, operator: 'exists', values: [] });
      } else if (operator.kind === '=' || operator.kind === '==' || operator.kind === '!=') {
        next();
        const value = peek().kind === 'id' ? next().text : '';
        requirements.push({ key, operator: operator.kind === '!=' ? 'notin' : 'in', values: [checkValue(value)] });
      } else if (operator.kind === 'in' || operator.kind === 'notin') {
        next();
        if (next().kind !== '(') fail(`found '${tokens[at - 1]!.text}', expected:'('`);
        const values: string[] = [];
        for (;;) {
          const value = peek().kind === 'id' ? next().text : '';
          values.push(checkValue(value));
          const separator = next();
          if (separator.kind === ')') break;
          if (separator.kind !== ',') fail(`found '${separator.text}', expected: ',', ')' or identifier`);
        }
        requirements.push({ key, operator: operator.kind, values });
      } else {
        fail(`found '${operator.text}', expected: in, notin, =, ==, !=, gt, lt`);
      }
    }
    const separator = next();
    if (separator.kind === 'end') return requirements;
    if (separator.kind !== ',') throw new LabelSelectorError(`found '${separator.text}', expected: ',' or 'end of string'`);
    if (peek().kind !== 'id' && peek().kind !== '!')
      throw new LabelSelectorError(`found '${peek().text}', expected: identifier after ','`);
  }
}

/** Whether labels satisfy every requirement. */
export function matchesLabelSelector(requirements: LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  return requirements.every(({ key, operator, values }) => {
    const has = labels !== undefined && Object.hasOwn(labels, key);
    switch (operator) {
      case 'exists':
        return has;
      case '!exists':
        return !has;
      case 'in':
        return has && values.includes(labels[key]!);
      // 'notin' (and `!=`): also true without the label.
      default:
        return !has || !values.includes(labels[key]!);
    }
  });
}
