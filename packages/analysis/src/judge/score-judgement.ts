import type { ScoreThresholds } from './canary-config.js';
import type { MetricClassificationLabel } from './classify-metric.js';
import type { CanaryVerdict, GroupJudgement } from './judgement-types.js';

/** What the scorer needs of one metric's result. */
export interface ScorableMetric {
  name: string;
  groups: readonly string[];
  classification: MetricClassificationLabel;
  reason?: string | undefined;
  critical: boolean;
  muted: boolean;
}

/** The summary score and its parts. */
export interface ScoreResult {
  score: number;
  verdict: CanaryVerdict;
  reason?: string | undefined;
  groups: GroupJudgement[];
}

/** Kayenta fails the canary when this share (percent) of the metrics or more has no data. */
const NODATA_THRESHOLD = 50;

/**
 * Kayenta's WeightedSumScorer and ThresholdScoreClassifier: muted metrics
 * left out; a critical result other than Pass, or half the metrics or more
 * without data, make the score 0; otherwise the weighted sum of the group
 * scores, where a group without countable metrics counts as 100 and groups
 * without a configured weight share what is left of 100 equally.
 */
export function scoreJudgement(
  metrics: readonly ScorableMetric[],
  groupWeights: Readonly<Record<string, number>>,
  thresholds: ScoreThresholds,
): ScoreResult {
  const scored = metrics.filter((metric) => !metric.muted);
  const labelsByGroup = new Map<string, MetricClassificationLabel[]>();
  for (const metric of scored)
    for (const group of metric.groups) {
      const labels = labelsByGroup.get(group) ?? [];
      labels.push(metric.classification);
      labelsByGroup.set(group, labels);
    }

  const configured = Object.keys(groupWeights);
  const unweighted = [...labelsByGroup.keys()].filter((group) => !Object.hasOwn(groupWeights, group));
  const configuredSum = configured.reduce((sum, group) => sum + (groupWeights[group] as number), 0);
  const sharedWeight = unweighted.length > 0 ? (100 - configuredSum) / unweighted.length : 0;

  const groups: GroupJudgement[] = [...labelsByGroup].map(([name, labels]) => {
    const counts: GroupJudgement['counts'] = {};
    for (const label of labels) counts[label] = (counts[label] ?? 0) + 1;
    const pass = counts.Pass ?? 0;
    const total = pass + (counts.High ?? 0) + (counts.Low ?? 0) + (counts.NodataFailMetric ?? 0);
    const weight = Object.hasOwn(groupWeights, name) ? (groupWeights[name] as number) : sharedWeight;
    return { name, score: total === 0 ? 0 : (pass / total) * 100, noData: total === 0, weight, counts };
  });

  let score: number;
  let reason: string | undefined;
  const criticalFailure = scored.find((metric) => metric.critical && metric.classification !== 'Pass');
  const nodata = scored.filter((metric) => metric.classification === 'Nodata').length;
  if (criticalFailure) {
    score = 0;
    reason = `critical metric "${criticalFailure.name}" was classified ${criticalFailure.classification}${criticalFailure.reason ? `: ${criticalFailure.reason}` : ''}`;
  } else if ((nodata / scored.length) * 100 >= NODATA_THRESHOLD) {
    score = 0;
    reason = `${nodata} of ${scored.length} metrics had no data (${NODATA_THRESHOLD}% or more)`;
  } else {
    let sum = 0;
    for (const group of groups) sum += (group.noData ? 100 : group.score) * (group.weight / 100);
    score = roundHalfUp(sum);
  }
  const verdict: CanaryVerdict = score >= thresholds.pass ? 'Pass' : score >= thresholds.marginal ? 'Marginal' : 'Fail';
  return { score, verdict, ...(reason ? { reason } : {}), groups };
}

/** Two decimals, half up on the decimal digits as printed (commons-math's Precision.round). */
function roundHalfUp(value: number): number {
  const rounded = Math.round(Number(`${value}e2`));
  return Number.isFinite(rounded) ? Number(`${rounded}e-2`) : Math.round(value * 100) / 100;
}
