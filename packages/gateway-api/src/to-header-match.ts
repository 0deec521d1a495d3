import type { StringMatch } from '@gradual/core';
import type { HeaderMatch } from './gateway-api-objects.js';

/**
 * A header condition of Argo's (`exact`, `regex`) as Gateway API writes it.
 * Returns a problem instead for `prefix`: Gateway API has no prefix header
 * match, and rewriting it as a regular expression would change its meaning
 * on implementations that search rather than anchor.
 */
export function toHeaderMatch(name: string, value: StringMatch): HeaderMatch | { problem: string } {
  if (value.exact !== undefined) return { type: 'Exact', name, value: value.exact };
  if (value.regex !== undefined) return { type: 'RegularExpression', name, value: value.regex };
  if (value.prefix !== undefined) {
    return {
      problem: `header '${name}' uses a prefix match: Gateway API has none; write regex: '^${escapeRegex(value.prefix)}.*' instead`,
    };
  }
  return { problem: `header '${name}' sets none of exact or regex` };
}

/** Argo's form of a Gateway API header condition, for reading managed rules back. */
export function fromHeaderMatch(match: HeaderMatch): StringMatch {
  return match.type === 'RegularExpression' ? { regex: match.value } : { exact: match.value };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
