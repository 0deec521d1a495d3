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
  maxPatternLength: 1_000,
  /** Deepest JSON nesting compared by `==` or formatted by `string()`. */
  maxValueDepth: 200,
} as const;
