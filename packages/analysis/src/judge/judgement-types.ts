import type { ScoreThresholds } from './canary-config.js';
import type { MetricClassificationLabel, ShiftInterval } from './classify-metric.js';
import type { SeriesStatistics } from './descriptive-statistics.js';

/** Kayenta's summary classification of a score against the thresholds. */
export type CanaryVerdict = 'Pass' | 'Marginal' | 'Fail';

/** What the judge decided, and the numbers behind it. Plain JSON (no NaN: unknown numbers are `null`). */
export interface CanaryJudgement {
  /** The judge reproduced. */
  judgeName: 'NetflixACAJudge-v1.0';
  /** 0 to 100, rounded to two decimals. */
  score: number;
  /** score >= pass → Pass; >= marginal → Marginal; otherwise Fail. */
  verdict: CanaryVerdict;
  /** Why the score was forced to 0 (a critical metric, too many metrics without data). */
  reason?: string | undefined;
  /** The thresholds the score was held against. */
  thresholds: ScoreThresholds;
  /** Score of every group that has metrics, in the order they first appear. */
  groups: GroupJudgement[];
  /** Every metric of the config, muted ones included, in config order. */
  metrics: MetricJudgement[];
}

/** One group's score. */
export interface GroupJudgement {
  name: string;
  /** 100 · Pass / (Pass + High + Low + NodataFailMetric); 0 when no metric counted. */
  score: number;
  /** No metric of the group counted: the group adds its full weight to the summary, as in Kayenta. */
  noData: boolean;
  /** The weight (percent) the group had in the summary score. */
  weight: number;
  /** How many of its (unmuted) metrics got each label. */
  counts: Partial<Record<MetricClassificationLabel, number>>;
}

/** One series after its transforms. */
export interface SeriesFacts extends SeriesStatistics {
  /** NaN, null or ±Infinity points removed (nanStrategy remove) or replaced by 0 (replace). */
  nanPoints: number;
  /** Points removed as outliers. */
  outliers: number;
}

/** One metric's outcome. */
export interface MetricJudgement {
  name: string;
  groups: string[];
  classification: MetricClassificationLabel;
  reason?: string | undefined;
  /** A critical failure: the summary score is 0. */
  critical: boolean;
  /** Left out of the score. */
  muted: boolean;
  /** mean(canary) / mean(baseline); null when a mean is 0. */
  ratio: number | null;
  /** The effect size with the metric's measure. */
  effectSize?: { measure: 'meanRatio' | 'cles'; value: number | null } | undefined;
  /** The Mann-Whitney interval of the shift canary − baseline, when the samples were compared. */
  interval?: ShiftInterval | undefined;
  /** Set when gradual's tie rule decided the label: the rank statistic's z at shift 0. */
  tieRuleZ?: number | undefined;
  control: SeriesFacts;
  experiment: SeriesFacts;
}
