import type { ValidationIssue } from '../errors/validation-error.js';
import type { CallOptions } from './call-options.js';
import type { JsonValue } from './json.js';

/**
 * One metric of an AnalysisTemplate, with `{{args.*}}` already substituted.
 * Field names are Argo's; `provider` holds exactly one key, the provider type.
 */
export interface AnalysisMetric {
  name: string;
  interval?: string | undefined;
  initialDelay?: string | undefined;
  count?: number | string | undefined;
  successCondition?: string | undefined;
  failureCondition?: string | undefined;
  failureLimit?: number | string | undefined;
  inconclusiveLimit?: number | string | undefined;
  consecutiveErrorLimit?: number | string | undefined;
  consecutiveSuccessLimit?: number | string | undefined;
  provider: Record<string, JsonValue>;
}

/** What a provider measured. */
export interface Measurement {
  /**
   * What a condition sees as `result`: a number, an array, an object, a
   * string. JSON, except that numbers may be NaN or ±Infinity (Prometheus
   * returns them); what is persisted in a status is the `display` string.
   */
  value: JsonValue;
  /** How the value is shown to people, e.g. `[0.97]`. Defaults to JSON of `value`. */
  display?: string | undefined;
  /** Extra facts such as the resolved query or server warnings. Never credentials. */
  metadata?: Record<string, string> | undefined;
}

/**
 * Takes measurements for one `metric.provider` key. `measure` rejects with a
 * ProviderError when it cannot measure (analysis records an `Error`
 * measurement) and with a CancelledError when `options.signal` fires (never
 * counted as a measurement).
 */
export interface MetricProvider {
  readonly specificationVersion: 'v1';
  /** The key under `metric.provider`, e.g. `prometheus`, `web`. */
  readonly type: string;
  measure(metric: AnalysisMetric, options: CallOptions): Promise<Measurement>;
  /** Checks a metric before any run starts (e.g. parses its query). Paths are relative to the metric. */
  validate?(metric: AnalysisMetric): ValidationIssue[];
}
