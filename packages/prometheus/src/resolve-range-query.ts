import { ProviderError, type ValidationIssue } from '@gradual/core';
import { parseGoDuration } from '@gradual/core/adapter';
import { evaluateTimeExpression } from './evaluate-time-expression.js';
import type { PrometheusRangeQuery } from './prometheus-metric.js';

/** A range query's evaluated bounds (epoch ms) and step (seconds). */
export interface ResolvedRange {
  start: number;
  end: number;
  stepSeconds: number;
}

/**
 * Evaluates `rangeQuery` at `now` (the rollout clock) as Argo does; throws a
 * ProviderError worded as Argo's (`failed to parse rangeQuery.start as time: ...`).
 */
export function resolveRangeQuery(range: PrometheusRangeQuery, now: number): ResolvedRange {
  const start = orFail(() => evaluateTimeExpression(range.start, now), 'failed to parse rangeQuery.start as time');
  const end = orFail(() => evaluateTimeExpression(range.end, now), 'failed to parse rangeQuery.end as time');
  const step = orFail(() => parseGoDuration(range.step), 'failed to parse rangeQuery.step as duration');
  if (step <= 0) throw config(`rangeQuery.step must be positive, got ${JSON.stringify(range.step)}`);
  if (end < start) throw config('rangeQuery.end is before rangeQuery.start');
  return { start, end, stepSeconds: step / 1000 };
}

/** The same checks as issues, for `validate` (any instant serves as `now`: only parsing is checked). */
export function validateRangeQuery(range: PrometheusRangeQuery): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const path = 'provider.prometheus.rangeQuery';
  for (const key of ['start', 'end'] as const) {
    try {
      evaluateTimeExpression(range[key], 0);
    } catch (error) {
      issues.push({ path: `${path}.${key}`, message: `failed to parse rangeQuery.${key} as time: ${(error as Error).message}` });
    }
  }
  try {
    if (parseGoDuration(range.step) <= 0) issues.push({ path: `${path}.step`, message: 'must be positive' });
  } catch (error) {
    issues.push({ path: `${path}.step`, message: `failed to parse rangeQuery.step as duration: ${(error as Error).message}` });
  }
  return issues;
}

function orFail<T>(parse: () => T, prefix: string): T {
  try {
    return parse();
  } catch (error) {
    throw config(`${prefix}: ${(error as Error).message}`);
  }
}

function config(message: string): ProviderError {
  return new ProviderError('prometheus', message, { code: 'PROMETHEUS_CONFIG' });
}
