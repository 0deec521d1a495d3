import { GradualError, type GradualErrorOptions } from '@gradual/core';

/**
 * Any fault of the condition language: a parse error, an unknown name, a type
 * error or an exhausted budget while evaluating. One class, so callers (and
 * the fuzz tests) can tell the language's errors from everything else.
 * `reason` is the short text Argo-style messages embed; `message` adds the
 * position and a caret excerpt.
 */
export class ConditionError extends GradualError {
  /** The expression the error is about. */
  readonly expression: string;
  /** 0-based offset into `expression`, when the error has a place. */
  readonly position: number | undefined;
  /** What went wrong, without the position and excerpt. */
  readonly reason: string;
  /** The expression line with a `^` under the faulty place, or `''`. */
  readonly excerpt: string;

  constructor(input: { expression: string; reason: string; position?: number | undefined }, options: GradualErrorOptions = {}) {
    const excerpt = input.position === undefined ? '' : caretExcerpt(input.expression, input.position);
    const where = input.position === undefined ? '' : ` (at position ${input.position + 1})`;
    super('CONDITION', `${input.reason}${where}${excerpt ? `\n${excerpt}` : ''}`, options);
    this.name = 'ConditionError';
    this.expression = input.expression;
    this.position = input.position;
    this.reason = input.reason;
    this.excerpt = excerpt;
  }

  /** True for a ConditionError, also across duplicate installs. */
  static isConditionError(error: unknown): error is ConditionError {
    return GradualError.hasCode(error, 'CONDITION');
  }
}

const EXCERPT_WIDTH = 60;

// Long expressions are cut around the position, so the caret stays readable.
function caretExcerpt(expression: string, position: number): string {
  const flat = expression.replace(/[\r\n\t]/g, ' ');
  const start = Math.max(0, Math.min(position - EXCERPT_WIDTH / 2, flat.length - EXCERPT_WIDTH));
  const end = Math.min(flat.length, start + EXCERPT_WIDTH);
  const prefix = start > 0 ? '...' : '';
  const suffix = end < flat.length ? '...' : '';
  const line = `${prefix}${flat.slice(start, end)}${suffix}`;
  const caret = `${' '.repeat(prefix.length + Math.max(0, position - start))}^`;
  return ` | ${line}\n | ${caret}`;
}
