import type { StringMatch } from '@gradual/core';

/** Whether `value` satisfies an Istio-style string match (exact, prefix or RE2-like regex on the whole value). */
export function stringMatches(match: StringMatch, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (match.exact !== undefined) return value === match.exact;
  if (match.prefix !== undefined) return value.startsWith(match.prefix);
  // Envoy anchors regex matches to the whole value.
  if (match.regex !== undefined) return new RegExp(`^(?:${match.regex})$`).test(value);
  return false;
}
