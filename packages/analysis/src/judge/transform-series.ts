import { percentileOfSorted } from './descriptive-statistics.js';

/** A series after NaN handling and outlier removal, and what was changed. */
export interface TransformedSeries {
  values: number[];
  /** NaN, null or ±Infinity points removed, or replaced by 0. */
  nanPoints: number;
  /** Points dropped as outliers. */
  outliers: number;
}

/** What to do to a series before it is compared. */
export interface TransformSettings {
  nanStrategy: 'remove' | 'replace';
  removeOutliers: boolean;
  outlierFactor: number;
}

/**
 * Kayenta's transforms, in its order: NaN points (JSON `null` and
 * ±Infinity count as NaN) removed or replaced by 0, then, when asked, outliers removed with the
 * IQR rule made less sensitive: points strictly outside
 * [min(P1, Q1 − f·IQR), max(P99, Q3 + f·IQR)] are dropped.
 */
export function transformSeries(series: readonly (number | null)[], settings: TransformSettings): TransformedSeries {
  let values: number[] = [];
  let nanPoints = 0;
  for (const point of series) {
    // ±Infinity (Prometheus' division by zero) has no place on a shift scale: treated as NaN.
    if (point === null || !Number.isFinite(point)) {
      nanPoints++;
      if (settings.nanStrategy === 'replace') values.push(0);
    } else values.push(point);
  }
  let outliers = 0;
  if (settings.removeOutliers && values.length > 0) {
    const sorted = Float64Array.from(values).sort();
    const q1 = percentileOfSorted(sorted, 25);
    const q3 = percentileOfSorted(sorted, 75);
    const iqr = q3 - q1;
    const low = Math.min(percentileOfSorted(sorted, 1), q1 - settings.outlierFactor * iqr);
    const high = Math.max(percentileOfSorted(sorted, 99), q3 + settings.outlierFactor * iqr);
    const kept = values.filter((value) => !(value > high || value < low));
    outliers = values.length - kept.length;
    values = kept;
  }
  return { values, nanPoints, outliers };
}
