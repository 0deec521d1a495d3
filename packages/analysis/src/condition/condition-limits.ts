/**
 * Bounds that keep an expression from an untrusted template from eating the
 * process: parsing is linear in the text, and evaluation stops once the
 * budget of steps (predicate calls, elements produced) is spent.
 */
export const conditionLimits = {
  /** Longest expression text accepted. */
  maxLength: 10_000,
  /** Most AST nodes in one expression. */
  maxNodes: 2_000,
  /** Deepest nesting of parentheses, operators and calls. */
  maxDepth: 64,
  /** Steps one evaluation may take: predicate calls, elements built or scanned by builtins. */
  maxSteps: 1_000_000,
  /** Longest `matches` pattern. */
  maxPatternLength: 512,
  /**
   * Largest `matches` pattern, in RE2 instructions with counted repetitions
   * expanded: matching costs input length × this many steps.
   */
  maxPatternSize: 1_000,
  /** Instructions of all literal `matches` patterns of one expression together: compiling them takes time too. */
  maxPatternSizePerExpression: 10_000,
  /** Deepest JSON nesting of a result, and of values compared by `==` or formatted by `string()`. */
  maxValueDepth: 200,
  /** Most values (scalars, arrays, objects) in one result handed to `evaluate`, checked before it is read. */
  maxResultValues: 10_000_000,
} as const;
