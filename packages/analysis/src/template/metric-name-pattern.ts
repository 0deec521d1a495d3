import { RE2JS } from 're2js';
import { patternSize } from '../condition/pattern-size.js';
import { templateLimits } from './template-limits.js';

/** A compiled `metricName` rule and its size in RE2 instructions (what matching one character costs). */
export interface MetricNamePattern {
  regex: RE2JS;
  size: number;
}

/**
 * Compiles a `dryRun`/`measurementRetention` `metricName` as Argo reads it: a
 * Go (RE2) regular expression, unanchored, so matching is linear in the
 * name. Length and expanded size are checked before re2js sees the text.
 *
 * @throws Error saying why the pattern is refused (the caller adds the path).
 */
export function compileMetricNamePattern(source: string): MetricNamePattern {
  if (source.length > templateLimits.maxMetricNamePatternLength) {
    throw new Error(
      `regular expression is ${source.length} characters long (limit ${templateLimits.maxMetricNamePatternLength})`,
    );
  }
  const size = patternSize(source);
  if (size > templateLimits.maxMetricNamePatternSize) {
    throw new Error(
      `regular expression is too large: about ${size} instructions with its repetitions expanded (limit ${templateLimits.maxMetricNamePatternSize})`,
    );
  }
  try {
    return { regex: RE2JS.compile(source), size };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // Go's regexp refuses a bare `*` as RE2 does; Argo's docs write `.*` for "every metric".
    const hint = source.trim() === '*' ? '; write ".*" to match every metric' : '';
    throw new Error(`invalid regular expression ${JSON.stringify(source)}: ${reason}${hint}`);
  }
}
