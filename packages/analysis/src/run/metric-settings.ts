import { type AnalysisMetric, GradualError, parseDuration } from '@gradual/core';
import { describeValue } from '../data/describe-value.js';

/** Argo's default `consecutiveErrorLimit`. */
export const DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;
/** An `Error` measurement is retried after this long, whatever the interval. */
export const ERROR_RETRY_INTERVAL_MS = 10_000;

/** A metric's numbers with Argo's defaults applied. */
export interface MetricSettings {
  intervalMs?: number | undefined;
  initialDelayMs?: number | undefined;
  /** Measurements to take; undefined means until terminated. */
  effectiveCount?: number | undefined;
  /** The raw `failureLimit`, undefined when unset (Argo treats unset differently from 0 in one rule). */
  failureLimit?: number | undefined;
  inconclusiveLimit: number;
  consecutiveErrorLimit: number;
  consecutiveSuccessLimit: number;
}

// Secret args are resolved per measurement, too late to schedule by.
const fromSecret = 'comes from a secret arg, but scheduling fields must be known when the run starts';

function int(field: string, value: number | string | undefined): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'string' ? Number(value.trim()) : value;
  if (!Number.isInteger(number))
    throw new GradualError(
      'TEMPLATE',
      `${field}: ${describeValue(value)} ${typeof value === 'string' && value.includes('{{') ? fromSecret : 'is not an integer'}`,
    );
  return number;
}

// Parsed durations by their text: every reconcile reads each metric's `interval`, and Go's syntax is parsed
// with BigInts. Keyed by content; bounded so that endless distinct texts cannot grow it.
const parsedDurations = new Map<string, number>();
const MAX_PARSED_DURATIONS = 256;

// A number (seconds) is accepted as parseRollout accepts it for pauses: Argo's own examples write `interval: 5`.
function duration(field: string, value: string | number | undefined): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return parseDuration(value);
  const known = parsedDurations.get(value);
  if (known !== undefined) return known;
  if (value.includes('{{')) throw new GradualError('TEMPLATE', `${field}: ${JSON.stringify(value)} ${fromSecret}`);
  const ms = parseDuration(value);
  if (parsedDurations.size >= MAX_PARSED_DURATIONS) parsedDurations.clear();
  parsedDurations.set(value, ms);
  return ms;
}

/**
 * Reads a substituted metric's fields (IntOrString and Go durations).
 * Effective count (Argo's `EffectiveCount`): unset or 0 without interval is
 * 1; unset or 0 with interval is unbounded.
 */
export function metricSettings(metric: Omit<AnalysisMetric, 'provider'>): MetricSettings {
  const intervalMs = duration('interval', metric.interval);
  const initialDelayMs = duration('initialDelay', metric.initialDelay);
  const count = int('count', metric.count);
  const effectiveCount = count === undefined || count === 0 ? (intervalMs === undefined ? 1 : undefined) : count;
  const failureLimit = int('failureLimit', metric.failureLimit);
  // Assigned one by one, not spread: this runs for every metric on every reconcile.
  const settings: MetricSettings = {
    inconclusiveLimit: int('inconclusiveLimit', metric.inconclusiveLimit) ?? 0,
    consecutiveErrorLimit: int('consecutiveErrorLimit', metric.consecutiveErrorLimit) ?? DEFAULT_CONSECUTIVE_ERROR_LIMIT,
    consecutiveSuccessLimit: int('consecutiveSuccessLimit', metric.consecutiveSuccessLimit) ?? 0,
  };
  if (intervalMs !== undefined) settings.intervalMs = intervalMs;
  if (initialDelayMs !== undefined) settings.initialDelayMs = initialDelayMs;
  if (effectiveCount !== undefined) settings.effectiveCount = effectiveCount;
  if (failureLimit !== undefined) settings.failureLimit = failureLimit;
  return settings;
}
