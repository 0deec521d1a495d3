/** Nodes of a parsed condition. `pos` is the 0-based offset of the node in the expression. */
export type ConditionNode =
  | { type: 'literal'; value: null | boolean | number | string; pos: number }
  | { type: 'result'; pos: number }
  /** `#` (the current element), `#index`, or `#acc` (reduce's accumulator), only inside a predicate. */
  | { type: 'pointer'; name: '' | 'index' | 'acc'; pos: number }
  /** `let name = value; body`: `slot` numbers the variable within the expression. */
  | { type: 'let'; name: string; slot: number; value: ConditionNode; body: ConditionNode; pos: number }
  | { type: 'variable'; name: string; slot: number; pos: number }
  /** A method of a date or a duration, e.g. `now().Year()`, `duration("1h").Seconds()`. */
  | { type: 'method'; object: ConditionNode; name: string; args: ConditionNode[]; pos: number }
  /** `a.b`, `a?.b`; `optional` also when an earlier link of the same chain was `?.`. */
  | { type: 'member'; object: ConditionNode; property: string; optional: boolean; pos: number }
  | { type: 'index'; object: ConditionNode; index: ConditionNode; optional: boolean; pos: number }
  | { type: 'slice'; object: ConditionNode; from?: ConditionNode | undefined; to?: ConditionNode | undefined; pos: number }
  | { type: 'unary'; op: '!' | '-' | '+'; operand: ConditionNode; pos: number }
  | { type: 'binary'; op: BinaryOperator; left: ConditionNode; right: ConditionNode; pos: number }
  | { type: 'conditional'; test: ConditionNode; consequent: ConditionNode; alternate: ConditionNode; pos: number }
  | { type: 'call'; name: string; args: ConditionNode[]; pos: number }
  /** A predicate: `{# > 1}` or a bare `# > 1` as a builtin's argument. */
  | { type: 'closure'; body: ConditionNode; pos: number }
  | { type: 'array'; elements: ConditionNode[]; pos: number }
  | { type: 'map'; entries: { key: string; value: ConditionNode }[]; pos: number };

/** Binary operators after spelling is normalised (`and` is `&&`, `or` is `||`). */
export type BinaryOperator =
  | '||'
  | '&&'
  | '=='
  | '!='
  | '<'
  | '>'
  | '<='
  | '>='
  | 'in'
  | 'not in'
  | 'matches'
  | 'contains'
  | 'startsWith'
  | 'endsWith'
  | '..'
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '**'
  | '??';
