import type { BinaryOperator, ConditionNode } from './ast.js';
import { builtinSignatures } from './builtin-signatures.js';
import { ConditionError } from './condition-error.js';
import { conditionLimits } from './condition-limits.js';
import { methodNames } from './time-methods.js';
import { type Token, tokenize } from './tokenize.js';

// expr-lang's binary precedences (parser/operator/operator.go); higher binds tighter.
const binaryPrecedence: Record<string, number> = {
  '|': 5,
  '||': 10,
  or: 10,
  '&&': 15,
  and: 15,
  '==': 20,
  '!=': 20,
  '<': 20,
  '>': 20,
  '<=': 20,
  '>=': 20,
  in: 20,
  matches: 20,
  contains: 20,
  startsWith: 20,
  endsWith: 20,
  '..': 25,
  '+': 30,
  '-': 30,
  '*': 60,
  '/': 60,
  '%': 60,
  '**': 100,
  '^': 100,
  '??': 500,
};
const rightAssociative = new Set(['**', '^']);
const UNARY_NOT_PRECEDENCE = 50;
const UNARY_SIGN_PRECEDENCE = 90;

const wordOperators = new Set(['or', 'and', 'in', 'matches', 'contains', 'startsWith', 'endsWith']);
const reserved = new Set([
  'true',
  'false',
  'nil',
  'result',
  'not',
  'and',
  'or',
  'in',
  'matches',
  'contains',
  'startsWith',
  'endsWith',
  'let',
  'if',
  'else',
]);

/**
 * Parses an expr-lang condition into an AST. A hand-written Pratt parser
 * rather than jsep: expr-lang's `#` predicates, `{...}` closures, `?.`, `??`,
 * `not in`, ranges and word operators would each need a jsep plugin or a
 * post-pass, and we want exact source positions for every error.
 */
export function parseCondition(expression: string): ConditionNode {
  if (typeof expression !== 'string') {
    throw new ConditionError({ expression: String(expression), reason: 'expression must be a string' });
  }
  if (expression.length > conditionLimits.maxLength) {
    throw new ConditionError({
      expression: expression.slice(0, 200),
      reason: `expression is longer than ${conditionLimits.maxLength} characters`,
    });
  }
  return new Parser(expression).parse();
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  private depth = 0;
  private nodes = 0;
  private closures = 0;
  // The builtin each open predicate belongs to (innermost last): `#acc` exists only in reduce's.
  private readonly closureOwners: string[] = [];
  // Variables in scope (innermost last), name to slot.
  private readonly scopes: Map<string, number>[] = [];
  private slots = 0;
  // Set while parsing the right side of `|`: that call gets the left side as its first argument.
  private pipeTarget = false;

  constructor(private readonly expression: string) {
    this.tokens = tokenize(expression);
  }

  parse(): ConditionNode {
    if (this.peek().kind === 'eof') this.fail('expression is empty', 0);
    const node = this.parseExpression(0);
    const rest = this.peek();
    if (rest.kind !== 'eof') this.fail(`unexpected token ${describe(rest)}`, rest.pos);
    return node;
  }

  private fail(reason: string, pos: number): never {
    throw new ConditionError({ expression: this.expression, reason, position: pos });
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    return token;
  }

  private isOp(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'op' && token.text === text;
  }

  private expectOp(text: string): Token {
    const token = this.peek();
    if (token.kind !== 'op' || token.text !== text)
      this.fail(`expected ${JSON.stringify(text)} but found ${describe(token)}`, token.pos);
    return this.next();
  }

  private node<T extends ConditionNode>(node: T): T {
    if (++this.nodes > conditionLimits.maxNodes)
      this.fail(`expression has more than ${conditionLimits.maxNodes} nodes`, node.pos);
    return node;
  }

  private enter(pos: number): void {
    if (++this.depth > conditionLimits.maxDepth)
      this.fail(`expression is nested deeper than ${conditionLimits.maxDepth} levels`, pos);
  }

  private parseExpression(minPrecedence: number): ConditionNode {
    this.enter(this.peek().pos);
    if (minPrecedence === 0 && this.isName('let')) {
      const node = this.parseLet();
      this.depth--;
      return node;
    }
    if (minPrecedence === 0 && this.isName('if')) {
      const node = this.parseIf();
      this.depth--;
      return node;
    }
    let left = this.parseUnary();
    for (;;) {
      const token = this.peek();
      let op: string | undefined;
      let width = 1;
      if (token.kind === 'op' && Object.hasOwn(binaryPrecedence, token.text)) op = token.text;
      if (token.kind === 'name' && wordOperators.has(token.text)) op = token.text;
      if (token.kind === 'name' && token.text === 'not' && this.peek(1).kind === 'name' && this.peek(1).text === 'in') {
        op = 'not in';
        width = 2;
      }
      if (op === undefined) break;
      const precedence = op === 'not in' ? 20 : (binaryPrecedence[op] as number);
      if (precedence < minPrecedence) break;
      for (let i = 0; i < width; i++) this.next();
      this.pipeTarget = op === '|';
      const right = this.parseExpression(rightAssociative.has(op) ? precedence : precedence + 1);
      this.pipeTarget = false;
      if (op === '|') {
        left = this.pipe(left, right, token.pos);
        continue;
      }
      left = this.node({ type: 'binary', op: normalise(op), left, right, pos: token.pos });
    }
    if (minPrecedence === 0 && this.isOp('?')) {
      const token = this.next();
      const consequent = this.parseExpression(0);
      this.expectOp(':');
      const alternate = this.parseExpression(0);
      left = this.node({ type: 'conditional', test: left, consequent, alternate, pos: token.pos });
    }
    this.depth--;
    return left;
  }

  private isName(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'name' && token.text === text;
  }

  // `let x = value; body`: x is visible in body only.
  private parseLet(): ConditionNode {
    const start = this.next();
    const name = this.next();
    if (name.kind !== 'name') this.fail(`expected a variable name after let but found ${describe(name)}`, name.pos);
    if (reserved.has(name.text) || Object.hasOwn(builtinSignatures, name.text))
      this.fail(`${name.text} cannot be a variable name`, name.pos);
    this.expectOp('=');
    const value = this.parseExpression(0);
    this.expectOp(';');
    const slot = this.slots++;
    this.scopes.push(new Map([[name.text, slot]]));
    const body = this.parseExpression(0);
    this.scopes.pop();
    return this.node({ type: 'let', name: name.text, slot, value, body, pos: start.pos });
  }

  // `if cond { a } else { b }`, and `else if` chains.
  private parseIf(): ConditionNode {
    const start = this.next();
    const test = this.parseExpression(0);
    this.expectOp('{');
    const consequent = this.parseExpression(0);
    this.expectOp('}');
    if (!this.isName('else')) this.fail(`expected else but found ${describe(this.peek())}`, this.peek().pos);
    this.next();
    let alternate: ConditionNode;
    if (this.isName('if')) {
      this.enter(this.peek().pos);
      alternate = this.parseIf();
      this.depth--;
    } else {
      this.expectOp('{');
      alternate = this.parseExpression(0);
      this.expectOp('}');
    }
    return this.node({ type: 'conditional', test, consequent, alternate, pos: start.pos });
  }

  private variable(name: string): number | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const slot = this.scopes[i]?.get(name);
      if (slot !== undefined) return slot;
    }
    return undefined;
  }

  // `a | f(b)` is `f(a, b)`, as in expr-lang.
  private pipe(left: ConditionNode, right: ConditionNode, pos: number): ConditionNode {
    if (right.type !== 'call') this.fail('the right side of | must be a function call', right.pos);
    const signature = builtinSignatures[right.name];
    const args = [left, ...right.args];
    if (signature?.wholeResult && left.type !== 'result')
      this.fail(`${right.name} inspects the whole result in Argo Rollouts; write ${right.name}(result)`, left.pos);
    return this.node({ type: 'call', name: right.name, args, pos });
  }

  private parseUnary(): ConditionNode {
    const token = this.peek();
    if ((token.kind === 'op' && token.text === '!') || (token.kind === 'name' && token.text === 'not')) {
      this.next();
      this.enter(token.pos);
      const operand = this.parseExpression(UNARY_NOT_PRECEDENCE);
      this.depth--;
      return this.node({ type: 'unary', op: '!', operand, pos: token.pos });
    }
    if (token.kind === 'op' && (token.text === '-' || token.text === '+')) {
      this.next();
      this.enter(token.pos);
      const operand = this.parseExpression(UNARY_SIGN_PRECEDENCE);
      this.depth--;
      // Fold `-1` so that negative literals cost nothing at run time.
      if (operand.type === 'literal' && typeof operand.value === 'number') {
        return { type: 'literal', value: token.text === '-' ? -operand.value : operand.value, pos: token.pos };
      }
      return this.node({ type: 'unary', op: token.text as '-' | '+', operand, pos: token.pos });
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePostfix(start: ConditionNode): ConditionNode {
    let node = start;
    let optionalChain = false;
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'op') return node;
      if (token.text === '.' || token.text === '?.') {
        this.next();
        optionalChain ||= token.text === '?.';
        if (token.text === '?.' && this.isOp('[')) {
          node = this.parseIndex(node, optionalChain);
          continue;
        }
        const name = this.next();
        if (name.kind !== 'name') this.fail(`expected a property name after ${token.text} but found ${describe(name)}`, name.pos);
        if (this.isOp('(')) {
          if (!methodNames.has(name.text))
            this.fail(
              `method calls on values are not allowed (.${name.text}(...)); only builtin functions and the methods of dates and durations can be called`,
              name.pos,
            );
          node = this.parseMethod(node, name);
          continue;
        }
        node = this.node({ type: 'member', object: node, property: name.text, optional: optionalChain, pos: name.pos });
        continue;
      }
      if (token.text === '[') {
        node = this.parseIndex(node, optionalChain);
        continue;
      }
      if (token.text === '(') this.fail('only builtin functions can be called', token.pos);
      return node;
    }
  }

  private parseMethod(object: ConditionNode, name: Token): ConditionNode {
    const open = this.expectOp('(');
    this.enter(open.pos);
    const args: ConditionNode[] = [];
    while (!this.isOp(')')) {
      if (args.length > 0) this.expectOp(',');
      if (this.isOp(')')) break;
      args.push(this.parseExpression(0));
    }
    this.expectOp(')');
    this.depth--;
    return this.node({ type: 'method', object, name: name.text, args, pos: name.pos });
  }

  private parseIndex(object: ConditionNode, optional: boolean): ConditionNode {
    const open = this.expectOp('[');
    this.enter(open.pos);
    let result: ConditionNode;
    if (this.isOp(':')) {
      this.next();
      const to = this.isOp(']') ? undefined : this.parseExpression(0);
      result = this.node({ type: 'slice', object, ...(to ? { to } : {}), pos: open.pos });
    } else {
      const index = this.parseExpression(0);
      if (this.isOp(':')) {
        this.next();
        const to = this.isOp(']') ? undefined : this.parseExpression(0);
        result = this.node({ type: 'slice', object, from: index, ...(to ? { to } : {}), pos: open.pos });
      } else {
        result = this.node({ type: 'index', object, index, optional, pos: open.pos });
      }
    }
    this.expectOp(']');
    this.depth--;
    return result;
  }

  private parsePrimary(): ConditionNode {
    const token = this.next();
    switch (token.kind) {
      case 'number':
        return this.node({ type: 'literal', value: token.number as number, pos: token.pos });
      case 'string':
        return this.node({ type: 'literal', value: token.text, pos: token.pos });
      case 'pointer':
        if (this.closures === 0) this.fail(`#${token.text} can only be used inside a predicate`, token.pos);
        if (token.text === 'acc' && this.closureOwners[this.closureOwners.length - 1] !== 'reduce')
          this.fail('#acc can only be used inside the predicate of reduce', token.pos);
        return this.node({ type: 'pointer', name: token.text as '' | 'index' | 'acc', pos: token.pos });
      case 'name':
        return this.parseName(token);
      case 'op':
        return this.parseOpPrimary(token);
      default:
        return this.fail('unexpected end of expression', token.pos);
    }
  }

  private parseName(token: Token): ConditionNode {
    switch (token.text) {
      case 'true':
        return this.node({ type: 'literal', value: true, pos: token.pos });
      case 'false':
        return this.node({ type: 'literal', value: false, pos: token.pos });
      case 'nil':
        return this.node({ type: 'literal', value: null, pos: token.pos });
      case 'result':
        return this.node({ type: 'result', pos: token.pos });
    }
    const slot = this.variable(token.text);
    if (slot !== undefined) return this.node({ type: 'variable', name: token.text, slot, pos: token.pos });
    if (Object.hasOwn(builtinSignatures, token.text)) {
      if (!this.isOp('(')) this.fail(`function ${token.text} must be called`, token.pos);
      return this.parseCall(token);
    }
    if (reserved.has(token.text)) this.fail(`unexpected ${token.text}`, token.pos);
    if (this.isOp('(')) this.fail(`unknown func ${token.text}`, token.pos);
    return this.fail(`unknown name ${token.text}`, token.pos);
  }

  private parseCall(name: Token): ConditionNode {
    const signature = builtinSignatures[name.text] as (typeof builtinSignatures)[string];
    const piped = this.pipeTarget ? 1 : 0;
    this.pipeTarget = false;
    const open = this.expectOp('(');
    this.enter(open.pos);
    const args: ConditionNode[] = [];
    while (!this.isOp(')')) {
      if (args.length > 0) this.expectOp(',');
      if (this.isOp(')')) break;
      if (signature.predicate && args.length + piped === 1) {
        args.push(this.parseClosure(name.text));
      } else {
        args.push(this.parseExpression(0));
      }
    }
    this.expectOp(')');
    this.depth--;
    if (args.length + piped < signature.min || args.length + piped > signature.max) {
      const expected = signature.min === signature.max ? `${signature.min}` : `${signature.min} to ${signature.max}`;
      this.fail(`${name.text} takes ${expected} arguments, got ${args.length + piped}`, name.pos);
    }
    if (signature.wholeResult && !piped) {
      // Argo's isNil/default ignore their first argument and inspect `result`;
      // accepting anything else would silently mean something other than it reads.
      const first = args[0] as ConditionNode;
      if (first.type !== 'result') {
        this.fail(
          `${name.text} inspects the whole result in Argo Rollouts, whatever its first argument; write ${name.text}(result${name.text === 'default' ? ', ...' : ''})`,
          first.pos,
        );
      }
    }
    return this.node({ type: 'call', name: name.text, args, pos: name.pos });
  }

  // `{# > 1}` or a bare `# > 1`.
  private parseClosure(owner: string): ConditionNode {
    const start = this.peek();
    this.closures++;
    this.closureOwners.push(owner);
    let body: ConditionNode;
    if (this.isOp('{')) {
      this.next();
      body = this.parseExpression(0);
      this.expectOp('}');
    } else {
      body = this.parseExpression(0);
    }
    this.closures--;
    this.closureOwners.pop();
    return this.node({ type: 'closure', body, pos: start.pos });
  }

  private parseOpPrimary(token: Token): ConditionNode {
    switch (token.text) {
      case '(': {
        this.enter(token.pos);
        const inner = this.parseExpression(0);
        this.expectOp(')');
        this.depth--;
        return inner;
      }
      case '[': {
        this.enter(token.pos);
        const elements: ConditionNode[] = [];
        while (!this.isOp(']')) {
          if (elements.length > 0) this.expectOp(',');
          if (this.isOp(']')) break;
          elements.push(this.parseExpression(0));
        }
        this.expectOp(']');
        this.depth--;
        return this.node({ type: 'array', elements, pos: token.pos });
      }
      case '{': {
        this.enter(token.pos);
        const entries: { key: string; value: ConditionNode }[] = [];
        while (!this.isOp('}')) {
          if (entries.length > 0) this.expectOp(',');
          if (this.isOp('}')) break;
          const key = this.next();
          if (key.kind !== 'name' && key.kind !== 'string' && key.kind !== 'number')
            this.fail(`expected a map key but found ${describe(key)}`, key.pos);
          this.expectOp(':');
          entries.push({ key: key.kind === 'number' ? String(key.number) : key.text, value: this.parseExpression(0) });
        }
        this.expectOp('}');
        this.depth--;
        return this.node({ type: 'map', entries, pos: token.pos });
      }
      case '.': {
        // `.name` inside a predicate is `#.name`.
        if (this.closures === 0) this.fail('unexpected "."', token.pos);
        const name = this.next();
        if (name.kind !== 'name') this.fail(`expected a property name after "." but found ${describe(name)}`, name.pos);
        const pointer = this.node({ type: 'pointer', name: '', pos: token.pos } as const);
        return this.node({ type: 'member', object: pointer, property: name.text, optional: false, pos: name.pos });
      }
      default:
        return this.fail(`unexpected token ${describe(token)}`, token.pos);
    }
  }
}

function normalise(op: string): BinaryOperator {
  if (op === 'or') return '||';
  if (op === 'and') return '&&';
  if (op === '^') return '**';
  return op as BinaryOperator;
}

function describe(token: Token): string {
  if (token.kind === 'eof') return 'end of expression';
  if (token.kind === 'string') return `string ${JSON.stringify(token.text)}`;
  if (token.kind === 'pointer') return `#${token.text}`;
  return JSON.stringify(token.text);
}
