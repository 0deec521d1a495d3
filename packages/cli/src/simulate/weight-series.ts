/** The canary weight sampled at `points` even times from 0 to `durationMs` (the weight holds between changes). */
export function weightSeries(input: {
  weights: readonly { atMs: number; canaryWeight: number }[];
  durationMs: number;
  points: number;
}): number[] {
  const series: number[] = [];
  const span = Math.max(input.durationMs, 1);
  for (let i = 0; i < input.points; i++) {
    const at = (span * i) / Math.max(input.points - 1, 1);
    let weight = 0;
    for (const change of input.weights) if (change.atMs <= at) weight = change.canaryWeight;
    series.push(weight);
  }
  return series;
}
