/** The Wilcoxon rank-sum facts of (x − shift) against y, ranked together with average ranks for ties. */
export interface RankStatistic {
  /** Sum of the ranks of the x values. */
  rankSumX: number;
  /** Σ (t³ − t) over the groups of t tied values, for the variance's tie correction. */
  tieSum: number;
}

/**
 * Ranks `x − shift` and `y` together, both given sorted ascending, in one
 * merge: O(n + m) where sorting the concatenation again for every shift (as
 * Kayenta does) costs O((n + m) log(n + m)). Subtracting a constant keeps x
 * sorted, so the result is the same ranking. NaN must have been removed.
 */
export function rankStatistic(sortedX: Float64Array, sortedY: Float64Array, shift: number): RankStatistic {
  const n = sortedX.length;
  const m = sortedY.length;
  let i = 0;
  let j = 0;
  let position = 0;
  let rankSumX = 0;
  let tieSum = 0;
  while (i < n || j < m) {
    // The smallest value left, then every value equal to it on both sides: one tie group.
    const nextX = i < n ? (sortedX[i] as number) - shift : Number.POSITIVE_INFINITY;
    const nextY = j < m ? (sortedY[j] as number) : Number.POSITIVE_INFINITY;
    const value = i < n && (j >= m || nextX <= nextY) ? nextX : nextY;
    let inX = 0;
    while (i < n && (sortedX[i] as number) - shift === value) {
      i++;
      inX++;
    }
    let inY = 0;
    while (j < m && sortedY[j] === value) {
      j++;
      inY++;
    }
    const size = inX + inY;
    // Positions position+1 .. position+size share their average rank.
    rankSumX += (inX * (2 * position + size + 1)) / 2;
    if (size > 1) tieSum += size * size * size - size;
    position += size;
  }
  return { rankSumX, tieSum };
}
