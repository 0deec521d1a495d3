import type { AnalysisMetric } from '@gradual/core';

/** Time a provider gets beyond its own timeout (token requests, reading the body) before the guard cuts it. */
export const MEASUREMENT_TIMEOUT_MARGIN_MS = 10_000;
const MAX_TIMER_MS = 2_147_483_647;
const OWN_TIMEOUT_FIELDS = ['timeout', 'timeoutSeconds'] as const;

/**
 * The wall-clock guard for one measurement: the configured guard, raised
 * to the metric's own timeout (Prometheus `timeout`, web `timeoutSeconds`,
 * in seconds) plus a margin, so a metric that asks for 120 s is never cut
 * at 60 s by a guard meant only to catch providers that hang. A `job`
 * metric runs as long as its Job: its `spec.activeDeadlineSeconds`, or no
 * guard at all without one (Argo waits for the Job however long it runs).
 */
export function measurementTimeoutOf(metric: AnalysisMetric, configuredMs: number): number {
  const type = Object.keys(metric.provider ?? {})[0];
  const block = type === undefined ? undefined : (metric.provider[type] as Record<string, unknown> | undefined);
  let ownMs = 0;
  for (const field of OWN_TIMEOUT_FIELDS) {
    const raw = block?.[field];
    const seconds = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
    if (Number.isFinite(seconds) && seconds > 0) ownMs = Math.max(ownMs, seconds * 1000);
  }
  if (type === 'job') ownMs = Math.max(ownMs, jobDeadlineMs(block));
  const guardMs = ownMs > 0 ? Math.max(configuredMs, ownMs + MEASUREMENT_TIMEOUT_MARGIN_MS) : configuredMs;
  // A whole number of ms a Node timer can hold (2.01 s is 2009.9999999999998 ms; past 2^31-1 a timer fires at once).
  return Math.min(Math.ceil(guardMs), MAX_TIMER_MS);
}

/** How long a `job` metric's Job may run: its `activeDeadlineSeconds`, else without end. */
function jobDeadlineMs(block: Record<string, unknown> | undefined): number {
  const spec = block?.spec as Record<string, unknown> | undefined;
  const seconds = spec?.activeDeadlineSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : Number.POSITIVE_INFINITY;
}
