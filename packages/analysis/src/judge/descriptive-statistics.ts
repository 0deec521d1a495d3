/** Facts about one series after its transforms, as Kayenta reports them (0 for an empty series). */
export interface SeriesStatistics {
  count: number;
  mean: number;
  min: number;
  max: number;
  /** Sample standard deviation (n − 1); 0 for fewer than two points. */
  std: number;
}

/** The mean as commons-math computes it: the plain mean plus a correction pass, so ratios match Kayenta's. */
export function mean(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] as number;
  const first = sum / n;
  let correction = 0;
  for (let i = 0; i < n; i++) correction += (values[i] as number) - first;
  return first + correction / n;
}

/** Count, mean, min, max and standard deviation; zeros for an empty series. */
export function describeSeries(values: readonly number[]): SeriesStatistics {
  const count = values.length;
  if (count === 0) return { count: 0, mean: 0, min: 0, max: 0, std: 0 };
  const average = mean(values);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let squares = 0;
  let deviations = 0;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
    squares += (value - average) ** 2;
    deviations += value - average;
  }
  // commons-math's corrected two-pass variance.
  const variance = count > 1 ? (squares - (deviations * deviations) / count) / (count - 1) : 0;
  return { count, mean: average, min, max, std: Math.sqrt(variance) };
}

/**
 * The p-th percentile (0 < p <= 100) with linear interpolation between
 * order statistics (R's type 7, as Kayenta asks commons-math for); NaN for
 * an empty series.
 */
export function percentile(values: readonly number[], p: number): number {
  return percentileOfSorted(Float64Array.from(values).sort(), p);
}

/** `percentile` of values already sorted ascending, for several percentiles of one series. */
export function percentileOfSorted(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = ((sorted.length - 1) * p) / 100;
  const below = Math.floor(position);
  const low = sorted[below] as number;
  if (below + 1 >= sorted.length) return low;
  return low + (position - below) * ((sorted[below + 1] as number) - low);
}
