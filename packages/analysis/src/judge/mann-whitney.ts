import { findRoot } from './find-root.js';
import { normalQuantile } from './normal-quantile.js';
import { rankStatistic } from './rank-statistic.js';

/** The Mann-Whitney confidence interval and estimate of the shift experiment − control. */
export interface MannWhitneyInterval {
  lower: number;
  upper: number;
  /** The Hodges-Lehmann estimate of the location shift. */
  estimate: number;
}

/** Two samples prepared once for many evaluations of the rank statistic. */
export interface PreparedSamples {
  x: Float64Array;
  y: Float64Array;
}

/** Sorts copies of both samples (x = experiment, y = control); NaN must have been removed. */
export function prepareSamples(experiment: readonly number[], control: readonly number[]): PreparedSamples {
  return { x: Float64Array.from(experiment).sort(), y: Float64Array.from(control).sort() };
}

/**
 * The normal approximation of the Wilcoxon rank-sum statistic at shift `mu`,
 * standardised with continuity and tie corrections, minus `quantile` (R's
 * `wdiff` in `wilcox.test`, Kayenta's `wilcoxonDiff`). Decreases in `mu`.
 * Throws when every observation is tied (the variance is 0).
 */
export function wilcoxonDiff(samples: PreparedSamples, mu: number, quantile: number): number {
  const nx = samples.x.length;
  const ny = samples.y.length;
  const { rankSumX, tieSum } = rankStatistic(samples.x, samples.y, mu);
  const dz = rankSumX - (nx * (nx + 1)) / 2 - (nx * ny) / 2;
  const correction = Number.isNaN(dz) ? 0 : Math.sign(dz) * 0.5;
  const sigma = Math.sqrt(((nx * ny) / 12) * (nx + ny + 1 - tieSum / ((nx + ny) * (nx + ny - 1))));
  if (sigma === 0) throw new RangeError('cannot compute confidence interval when all observations are tied');
  return (dz - correction) / sigma - quantile;
}

/**
 * The confidence interval and estimate of `wilcox.test(x, y, conf.int = TRUE,
 * exact = FALSE, correct = TRUE)` as Kayenta computes them: roots of
 * `wilcoxonDiff` between min(x) − max(y) and max(x) − min(y), found with
 * Brent's method; a bound whose root lies outside that range is clamped to it.
 */
export function mannWhitneyInterval(samples: PreparedSamples, confidenceLevel: number): MannWhitneyInterval {
  const { x, y } = samples;
  const muMin = (x[0] as number) - (y[y.length - 1] as number);
  const muMax = (x[x.length - 1] as number) - (y[0] as number);
  const rootFor = (quantile: number, clamp: boolean) => {
    const f = (mu: number) => wilcoxonDiff(samples, mu, quantile);
    const atMin = f(muMin);
    const atMax = f(muMax);
    if (clamp && atMin <= 0) return muMin;
    if (clamp && atMax >= 0) return muMax;
    return findRoot(muMin, muMax, atMin, atMax, f);
  };
  const z = normalQuantile((1 - confidenceLevel) / 2);
  return { lower: rootFor(-z, true), upper: rootFor(z, true), estimate: rootFor(0, false) };
}
