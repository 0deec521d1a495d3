import type { AnalysisTemplate } from '../template/analysis-template-types.js';
import { parseAnalysisTemplate } from '../template/parse-analysis-template.js';

/** A template as callers may hand it over: parsed, a manifest object, or YAML text. */
export type AnalysisTemplateInput = AnalysisTemplate | string | object;

/** Parses (and so validates) every template given. */
export function parseTemplateInputs(inputs: readonly AnalysisTemplateInput[]): AnalysisTemplate[] {
  return inputs.map((input) => parseAnalysisTemplate(input));
}
