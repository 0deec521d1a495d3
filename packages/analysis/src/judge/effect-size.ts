import { mean } from './descriptive-statistics.js';
import type { PreparedSamples } from './mann-whitney.js';
import { rankStatistic } from './rank-statistic.js';

/** mean(experiment) / mean(control); NaN when either mean is 0 (Kayenta's `meanRatio`). */
export function meanRatio(experiment: ArrayLike<number>, control: ArrayLike<number>): number {
  const experimentMean = mean(experiment);
  const controlMean = mean(control);
  return controlMean === 0 || experimentMean === 0 ? Number.NaN : experimentMean / controlMean;
}

/**
 * The common-language effect size (Vargha and Delaney's A):
 * P(experiment > control) + ½ P(tie), from the experiment's rank sum.
 */
export function commonLanguageEffectSize(samples: PreparedSamples): number {
  const m = samples.x.length;
  const n = samples.y.length;
  const { rankSumX } = rankStatistic(samples.x, samples.y, 0);
  return (2 * rankSumX - m * (m + 1)) / (2 * n * m);
}
