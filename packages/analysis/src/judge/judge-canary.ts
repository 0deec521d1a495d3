import { ValidationError, type ValidationIssue } from '@gradual/core';
import type { CanaryConfig, ScoreThresholds } from './canary-config.js';
import { classifyMetric, type MetricClassification, type TieRule } from './classify-metric.js';
import { describeSeries } from './descriptive-statistics.js';
import type { CanaryJudgement, MetricJudgement, SeriesFacts } from './judgement-types.js';
import { resolveMetricSettings } from './metric-settings.js';
import { parseCanaryConfig, thresholdIssues } from './parse-canary-config.js';
import { scoreJudgement } from './score-judgement.js';
import { transformSeries } from './transform-series.js';

/** Series by metric name: one list of points per metric of the config. `null` is a missing point (NaN). */
export type MetricSeries = Readonly<Record<string, readonly (number | null)[]>>;

/** The input of `judgeCanary`. */
export interface JudgeCanaryInput {
  /** A Kayenta canary config, as an object or JSON text, unchanged. */
  config: CanaryConfig | string;
  /** The baseline's series (Kayenta's control scope). A metric left out has no data. */
  control: MetricSeries;
  /** The canary's series (Kayenta's experiment scope). */
  experiment: MetricSeries;
  /** Score thresholds; default `config.classifier.scoreThresholds`. */
  thresholds?: ScoreThresholds | undefined;
  /** `gradual` (default) applies the tie rule of docs/canary-judge.md; `kayenta` decides exactly as Kayenta does. */
  ties?: TieRule | undefined;
}

/** NetflixACAJudge-v1.0's fixed settings. */
const TOLERANCE = 0.25;
const CONFIDENCE_LEVEL = 0.98;

/**
 * Judges a canary against its baseline as Kayenta's NetflixACAJudge-v1.0
 * does: per metric, NaN handling and outlier removal, a Mann-Whitney
 * confidence interval of the shift (98%, tolerance 25% of the estimate) with
 * an effect-size gate, direction and criticality; then group scores, the
 * weighted summary score and its verdict. Pure and deterministic: the same
 * input gives the same judgement. Throws a ValidationError for a bad config,
 * thresholds, or a series named after no metric of the config.
 */
export function judgeCanary(input: JudgeCanaryInput): CanaryJudgement {
  const config = parseCanaryConfig(input.config);
  const thresholds = input.thresholds ?? config.classifier?.scoreThresholds;
  const issues: ValidationIssue[] = [];
  if (thresholds === undefined)
    issues.push({
      path: 'thresholds',
      message: 'are required: give them or set classifier.scoreThresholds in the canary config',
    });
  else issues.push(...thresholdIssues(thresholds, input.thresholds ? 'thresholds' : 'classifier.scoreThresholds'));
  const names = new Set(config.metrics.map((metric) => metric.name));
  for (const role of ['control', 'experiment'] as const) {
    const series = input[role];
    if (typeof series !== 'object' || series === null) {
      issues.push({ path: role, message: 'must be an object of series by metric name' });
      continue;
    }
    for (const [name, points] of Object.entries(series)) {
      if (!names.has(name))
        issues.push({ path: `${role}.${name}`, message: `no metric of the canary config is named ${JSON.stringify(name)}` });
      else if (!Array.isArray(points) || points.some((point) => point !== null && typeof point !== 'number'))
        issues.push({ path: `${role}.${name}`, message: 'must be a list of numbers (null for a missing point)' });
    }
  }
  if (issues.length > 0) throw new ValidationError('canary judgement input', issues);

  const metrics = config.metrics.map((metric): MetricJudgement => {
    const settings = resolveMetricSettings(metric);
    const control = transformSeries(input.control[metric.name] ?? [], settings);
    const experiment = transformSeries(input.experiment[metric.name] ?? [], settings);
    let outcome: MetricClassification;
    try {
      outcome = classifyMetric(experiment.values, control.values, settings, {
        tolerance: TOLERANCE,
        confidenceLevel: CONFIDENCE_LEVEL,
        ties: input.ties ?? 'gradual',
      });
    } catch (error) {
      // Kayenta: a metric it cannot classify is an Error, left out of its group's score.
      outcome = {
        classification: 'Error',
        reason: `could not classify: ${(error as Error).message}`,
        critical: false,
        ratio: Number.NaN,
      };
    }
    const facts = (series: typeof control): SeriesFacts => ({
      ...describeSeries(series.values),
      nanPoints: series.nanPoints,
      outliers: series.outliers,
    });
    return {
      name: metric.name,
      groups: [...metric.groups],
      classification: outcome.classification,
      ...(outcome.reason ? { reason: outcome.reason } : {}),
      critical: outcome.critical,
      muted: settings.muted,
      ratio: finiteOrNull(outcome.ratio),
      ...(outcome.effectSize !== undefined
        ? { effectSize: { measure: settings.effectSizeMeasure, value: finiteOrNull(outcome.effectSize) } }
        : {}),
      ...(outcome.interval ? { interval: outcome.interval } : {}),
      ...(outcome.tieRuleZ !== undefined ? { tieRuleZ: outcome.tieRuleZ } : {}),
      control: facts(control),
      experiment: facts(experiment),
    };
  });
  const scores = scoreJudgement(metrics, config.classifier?.groupWeights ?? {}, thresholds as ScoreThresholds);
  return {
    judgeName: 'NetflixACAJudge-v1.0',
    score: scores.score,
    verdict: scores.verdict,
    ...(scores.reason ? { reason: scores.reason } : {}),
    thresholds: { pass: (thresholds as ScoreThresholds).pass, marginal: (thresholds as ScoreThresholds).marginal },
    groups: scores.groups,
    metrics,
  };
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
