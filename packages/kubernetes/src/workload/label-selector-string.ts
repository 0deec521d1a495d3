import type { JsonObject } from '@gradual/core';
import { ValidationError } from '@gradual/core';

interface Requirement {
  key?: unknown;
  operator?: unknown;
  values?: unknown;
}

/**
 * A `LabelSelector` (`matchLabels`, `matchExpressions`) as the `labelSelector` query string of a list
 * (`app=web,tier in (a,b),!legacy`). An empty selector would select everything: refused.
 */
export function labelSelectorString(selector: JsonObject | undefined, where: string): string {
  const parts: string[] = [];
  const matchLabels = (selector?.matchLabels ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(matchLabels)) parts.push(`${key}=${String(value)}`);
  const expressions = (selector?.matchExpressions ?? []) as Requirement[];
  for (const expression of Array.isArray(expressions) ? expressions : []) {
    const key = String(expression.key);
    const values = Array.isArray(expression.values) ? expression.values.map(String).join(',') : '';
    if (expression.operator === 'In') parts.push(`${key} in (${values})`);
    else if (expression.operator === 'NotIn') parts.push(`${key} notin (${values})`);
    else if (expression.operator === 'Exists') parts.push(key);
    else if (expression.operator === 'DoesNotExist') parts.push(`!${key}`);
    else {
      throw new ValidationError(where, [
        { path: 'spec.selector.matchExpressions', message: `unknown operator ${JSON.stringify(expression.operator)}` },
      ]);
    }
  }
  if (parts.length === 0) {
    throw new ValidationError(where, [
      { path: 'spec.selector', message: 'is required and must not be empty (it picks the ReplicaSets)' },
    ]);
  }
  return parts.join(',');
}
