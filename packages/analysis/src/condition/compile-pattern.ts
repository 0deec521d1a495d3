import { RE2JS } from 're2js';
import { conditionLimits } from './condition-limits.js';
import type { EvaluationContext } from './evaluation-context.js';
import { patternSize } from './pattern-size.js';

/** A compiled `matches` pattern and its estimated size in instructions (what one matched character costs). */
export interface CompiledPattern {
  regex: RE2JS;
  size: number;
}

/**
 * Steps charged per instruction for compiling a pattern at evaluation time:
 * compiling is about a hundred times slower per instruction than matching one character.
 */
export const PATTERN_COMPILE_STEPS_PER_INSTRUCTION = 100;

/**
 * Compiles a `matches` pattern with RE2 semantics (Go's regexp: linear
 * time, no backreferences or lookaround), refusing one that is too long or
 * whose expanded program is too large before re2js sees it.
 */
export function compilePattern(
  source: string,
  ctx: EvaluationContext,
  pos: number,
  /** Called with the size before compiling, to charge for the compile (it may throw to refuse it). */
  beforeCompile?: (size: number) => void,
): CompiledPattern {
  if (source.length > conditionLimits.maxPatternLength) {
    return ctx.fail(`regular expression is longer than ${conditionLimits.maxPatternLength} characters`, pos);
  }
  const size = patternSize(source);
  if (size > conditionLimits.maxPatternSize) {
    return ctx.fail(
      `regular expression is too large: about ${size} instructions with its repetitions expanded (limit ${conditionLimits.maxPatternSize}); use smaller repetition counts`,
      pos,
    );
  }
  beforeCompile?.(size);
  try {
    return { regex: RE2JS.compile(source), size };
  } catch (error) {
    return ctx.fail(
      `invalid regular expression ${JSON.stringify(source)}: ${error instanceof Error ? error.message : String(error)}`,
      pos,
    );
  }
}
