/**
 * Time-weighted means of one interval series over another's intervals. The recorder's samplers and the bench
 * client tick on their own clocks, so a latency interval (a, b] overlaps parts of two or three PSI or usage
 * intervals; each contributes its value weighted by the overlap's length. Intervals are (end − length, end].
 */
export interface IntervalSeries {
  /** Interval ends, ascending. */
  readonly endNs: ArrayLike<number>;
  readonly lengthNs: ArrayLike<number>;
  /** NaN where nothing was read: left out of the mean. */
  readonly values: ArrayLike<number>;
}

/**
 * For each target interval, the overlap-weighted mean of the series; NaN where less than `minCover` of the target
 * interval is covered by readings (a gap is not silently filled with a neighbour's value).
 */
export function overlapMeans(series: IntervalSeries, targetEndNs: ArrayLike<number>, targetLengthNs: ArrayLike<number>, minCover = 0.5): Float64Array {
  const n = targetEndNs.length;
  const out = new Float64Array(n).fill(Number.NaN);
  const m = series.endNs.length;
  for (let t = 0; t < n; t++) {
    const b = targetEndNs[t]!;
    const a = b - targetLengthNs[t]!;
    if (!(b > a)) continue;
    // The first reading ending after a (binary search: targets need not be in any order).
    let first = 0;
    let last = m;
    while (first < last) {
      const mid = (first + last) >> 1;
      if (series.endNs[mid]! <= a) first = mid + 1;
      else last = mid;
    }
    let weight = 0;
    let sum = 0;
    for (let j = first; j < m; j++) {
      const end = series.endNs[j]!;
      const start = end - series.lengthNs[j]!;
      if (start >= b) break;
      const v = series.values[j]!;
      if (!Number.isFinite(v)) continue;
      const w = Math.min(b, end) - Math.max(a, start);
      if (w <= 0) continue;
      weight += w;
      sum += w * v;
    }
    if (weight >= minCover * (b - a)) out[t] = sum / weight;
  }
  return out;
}
