import { parseDuration, ValidationError, type ValidationIssue } from '@gradual/core';
import { parse } from 'yaml';

/** What one metric returns during a simulation. */
export type MetricScript = { kind: 'healthy' } | { kind: 'failing'; afterMs: number } | { kind: 'values'; values: unknown[] };

/** Metric values for `gradual simulate`, per metric name; metrics not named are healthy. */
export interface Scenario {
  metrics: Record<string, MetricScript>;
}

/**
 * Reads a scenario file:
 *
 * ```yaml
 * metrics:
 *   success-rate: failing after 3m   # healthy until 3m of virtual time, then failing
 *   latency: healthy
 *   errors: [0.01, 0.02, 0.2]        # one value per measurement, the last repeats
 * ```
 *
 * @throws ValidationError naming the metric whose entry is not one of these forms.
 */
export function parseScenario(text: string): Scenario {
  const data: unknown = parse(text, { maxAliasCount: 100 });
  const issues: ValidationIssue[] = [];
  const metrics: Record<string, MetricScript> = {};
  const entries = typeof data === 'object' && data !== null ? (data as { metrics?: unknown }).metrics : undefined;
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
    throw new ValidationError('scenario', [
      { path: 'metrics', message: 'must map metric names to healthy, "failing after <duration>" or a list of values' },
    ]);
  }
  for (const [name, entry] of Object.entries(entries)) {
    const script = scriptOf(entry);
    if (script) metrics[name] = script;
    else
      issues.push({
        path: `metrics.${name}`,
        message: `must be healthy, failing, "failing after <duration>" or a list of values, got ${JSON.stringify(entry)}`,
      });
  }
  if (issues.length > 0) throw new ValidationError('scenario', issues);
  return { metrics };
}

function scriptOf(entry: unknown): MetricScript | undefined {
  if (Array.isArray(entry) && entry.length > 0) return { kind: 'values', values: entry };
  if (typeof entry !== 'string') return undefined;
  const text = entry.trim();
  if (text === 'healthy') return { kind: 'healthy' };
  if (text === 'failing') return { kind: 'failing', afterMs: 0 };
  const after = /^failing after (.+)$/.exec(text);
  if (!after?.[1]) return undefined;
  try {
    return { kind: 'failing', afterMs: parseDuration(after[1]) };
  } catch {
    return undefined;
  }
}
