import type { ResolvedRange } from './resolve-range-query.js';

/** What the metadata of a measurement is made from. */
export interface MetadataSources {
  query: string;
  /** The answer's `warnings` and `infos`, as Prometheus sent them. */
  warnings?: unknown;
  infos?: unknown;
  range?: ResolvedRange | undefined;
  /** Evaluation time of an instant query, epoch ms. */
  time: number;
}

/**
 * Measurement metadata with Argo's keys where Argo has them:
 * `ResolvedPrometheusQuery`, and `warnings` as `"w1", "w2"`; plus `infos`,
 * and the evaluation time (or range) in ISO 8601.
 */
export function measurementMetadata(sources: MetadataSources): Record<string, string> {
  const metadata: Record<string, string> = { ResolvedPrometheusQuery: sources.query };
  const warnings = quotedList(sources.warnings);
  if (warnings) metadata.warnings = warnings;
  const infos = quotedList(sources.infos);
  if (infos) metadata.infos = infos;
  if (sources.range) {
    metadata.rangeStart = new Date(sources.range.start).toISOString();
    metadata.rangeEnd = new Date(sources.range.end).toISOString();
    metadata.rangeStep = `${sources.range.stepSeconds}s`;
  } else metadata.evaluationTime = new Date(sources.time).toISOString();
  return metadata;
}

function quotedList(value: unknown): string | undefined {
  const items = Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  return items.length > 0 ? items.map((item) => `"${item}"`).join(', ') : undefined;
}
