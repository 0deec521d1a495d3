/**
 * A Kayenta canary configuration, as Kayenta stores it (`CanaryConfig`) and
 * as Spinnaker's canary UI exports it. Only the fields the judge and the
 * in-process provider read are typed; every other field is kept and ignored.
 */
export interface CanaryConfig {
  /** The name Argo's `provider.kayenta.canaryConfigName` refers to. */
  name?: string | undefined;
  /** Kayenta's storage id. */
  id?: string | undefined;
  /** Free text. */
  description?: string | undefined;
  /** Kayenta's config schema version. */
  configVersion?: string | number | undefined;
  /** Applications the config belongs to; when present, Argo's `application` must be one of them. */
  applications?: string[] | undefined;
  /** The judge; only `NetflixACAJudge-v1.0` (the default) is implemented. */
  judge?: { name?: string | undefined; judgeConfigurations?: Record<string, unknown> | undefined } | undefined;
  /** The metrics to compare. */
  metrics: CanaryMetricConfig[];
  /** Named filter templates referenced by `query.customFilterTemplate`. */
  templates?: Record<string, string> | undefined;
  /** Group weights and default score thresholds. */
  classifier?: CanaryClassifierConfig | undefined;
  /** Fields the judge does not read (timestamps, ...). */
  [field: string]: unknown;
}

/** `classifier` of a canary config. */
export interface CanaryClassifierConfig {
  /** Weight (percent) of each group in the summary score; groups left out share what remains of 100 equally. */
  groupWeights?: Record<string, number> | undefined;
  /** Used when the caller gives no thresholds (Argo always gives them). */
  scoreThresholds?: ScoreThresholds | undefined;
}

/** Score thresholds: a score >= pass passes, >= marginal is marginal, below fails. */
export interface ScoreThresholds {
  /** Lowest passing score. */
  pass: number;
  /** Lowest marginal score. */
  marginal: number;
}

/** One metric of a canary config (Kayenta's `CanaryMetricConfig`). */
export interface CanaryMetricConfig {
  /** Unique within the config; the key of its series in `control` / `experiment`. */
  name: string;
  /** How to fetch the metric; `type` names the metric source (e.g. `prometheus`). */
  query: CanaryMetricQuery;
  /** The groups the metric scores in (at least one). */
  groups: string[];
  /** `canary` holds the judge's per-metric settings. */
  analysisConfigurations?: { canary?: CanaryMetricSettings | undefined; [key: string]: unknown } | undefined;
  /** The scope (of Argo's `scopes[].name`) the metric is fetched for; default `default`. */
  scopeName?: string | undefined;
}

/** `query` of a canary metric; the Prometheus fields are typed, others are passed on as they are. */
export interface CanaryMetricQuery {
  /** The metric source: `prometheus`, `datadog`, ... */
  type: string;
  /** Prometheus: the metric name the query is built around. */
  metricName?: string | undefined;
  /** Prometheus: extra label matchers, e.g. `job="api"`. */
  labelBindings?: string[] | undefined;
  /** Prometheus: `avg(...) by (fields)`. */
  groupByFields?: string[] | undefined;
  /** A filter template written inline; `PromQL:` followed by a whole expression replaces the built query. */
  customInlineTemplate?: string | undefined;
  /** The name of a template in the config's `templates`. */
  customFilterTemplate?: string | undefined;
  /** Prometheus: `gce_instance` or `aws_ec2_instance` build Kayenta's standard scope filters. */
  resourceType?: string | undefined;
  /** Fields of other metric sources. */
  [field: string]: unknown;
}

/** `analysisConfigurations.canary` of a metric: how the judge classifies it. Defaults are Kayenta's. */
export interface CanaryMetricSettings {
  /** Which change fails the metric; default `either`. */
  direction?: 'increase' | 'decrease' | 'either' | undefined;
  /** `remove` (default) drops NaN points; `replace` turns them into 0. */
  nanStrategy?: 'remove' | 'replace' | undefined;
  /** A critical metric that fails makes the whole score 0. */
  critical?: boolean | undefined;
  /** With `nanStrategy: remove`, no data counts as a failure of this metric (`NodataFailMetric`). */
  mustHaveData?: boolean | undefined;
  /** Reported but left out of the score. */
  muted?: boolean | undefined;
  /** How big a significant change must be to count. */
  effectSize?: EffectSizeSettings | undefined;
  /** Outlier removal before the comparison. */
  outliers?: { strategy?: 'remove' | 'keep' | undefined; outlierFactor?: number | undefined } | undefined;
}

/** `effectSize` of a metric's settings. */
export interface EffectSizeSettings {
  /** `meanRatio` (default): mean(canary) / mean(baseline); `cles`: P(canary > baseline) + ½ P(tie). */
  measure?: 'meanRatio' | 'cles' | undefined;
  /** A High needs an effect of at least this (default 1, 0.5 for cles). */
  allowedIncrease?: number | undefined;
  /** A Low needs an effect of at most this (default 1, 0.5 for cles). */
  allowedDecrease?: number | undefined;
  /** A critical metric's High fails the canary only from this effect on (default as allowedIncrease's). */
  criticalIncrease?: number | undefined;
  /** A critical metric's Low fails the canary only up to this effect (default as allowedDecrease's). */
  criticalDecrease?: number | undefined;
}
