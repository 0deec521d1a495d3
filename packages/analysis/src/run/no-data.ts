import type { AnalysisMetric, AnalysisPhase } from '@gradual/core';

/**
 * What a metric says an empty measurement means (`metric.noData`, a gradual
 * field; Kayenta's `mustHaveData` is `Fail`). Without it, Argo's behaviour
 * stays: the conditions are evaluated against the empty result.
 */
export type NoDataPolicy = 'Fail' | 'Inconclusive' | 'Pass' | 'Error';

/** The policies `metric.noData` accepts. */
export const noDataPolicies: readonly NoDataPolicy[] = ['Fail', 'Inconclusive', 'Pass', 'Error'];

/** The measurement phase each policy gives a measurement without data. */
export const noDataPhase: Readonly<Record<NoDataPolicy, Exclude<AnalysisPhase, 'Pending' | 'Running'>>> = {
  Fail: 'Failed',
  Inconclusive: 'Inconclusive',
  Pass: 'Successful',
  Error: 'Error',
};

/** A metric as a template may write it, with gradual's `noData` policy. */
export type AnalysisMetricWithNoData = AnalysisMetric & { noData?: NoDataPolicy | undefined };

/** The metric's policy, or undefined when it states none. */
export function noDataPolicyOf(metric: Omit<AnalysisMetric, 'provider'>): NoDataPolicy | undefined {
  const policy = (metric as { noData?: unknown }).noData;
  return typeof policy === 'string' && (noDataPolicies as readonly string[]).includes(policy)
    ? (policy as NoDataPolicy)
    : undefined;
}

/**
 * Whether a measured value holds no data: nil, an empty list, or only NaN
 * (what Prometheus answers for a ratio over no requests). Kayenta's default
 * `nanStrategy: remove` drops NaN the same way before judging.
 */
export function isNoData(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'number') return Number.isNaN(value);
  if (Array.isArray(value)) return value.every((item) => item === null || (typeof item === 'number' && Number.isNaN(item)));
  return false;
}

const MAX_QUERY_IN_MESSAGE = 300;

/**
 * `no data for metric "x" (query ...)`: the query from the provider's
 * metadata (Prometheus' resolved query, the web provider's URL) or else the
 * metric's own provider block.
 */
export function describeNoData(metric: AnalysisMetric, metadata: Readonly<Record<string, string>> | undefined): string {
  const block = Object.values(metric.provider ?? {})[0];
  const fromBlock = (key: string) =>
    block && typeof block === 'object' && !Array.isArray(block) && typeof block[key] === 'string'
      ? (block[key] as string)
      : undefined;
  const query = metadata?.['ResolvedPrometheusQuery'] ?? fromBlock('query') ?? metadata?.['url'] ?? fromBlock('url');
  if (query === undefined) return `no data for metric "${metric.name}"`;
  const flat = query
    .slice(0, MAX_QUERY_IN_MESSAGE * 2)
    .replace(/\s+/g, ' ')
    .trim();
  const shown = flat.length > MAX_QUERY_IN_MESSAGE ? `${flat.slice(0, MAX_QUERY_IN_MESSAGE)}...` : flat;
  return `no data for metric "${metric.name}" (query ${shown})`;
}
