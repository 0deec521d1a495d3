/**
 * Reads a sample value as Prometheus writes it in JSON: a string such as
 * `"0.99"`, `"1e-07"`, `"NaN"`, `"+Inf"` or `"-Inf"`. Returns undefined for
 * anything else. (prometheus-query's own parser reads `"+Inf"` as NaN.)
 */
export function parseSampleValue(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  switch (text) {
    case 'NaN':
      return Number.NaN;
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
  }
  // Unambiguous (`\d+(?:\.\d*)?`, not `\d+\.?\d*`), so a hostile run of digits is matched in linear time.
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}
