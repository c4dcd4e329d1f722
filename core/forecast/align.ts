/**
 * Putting interval data recorded on another clock tick (PSI, perf stat counters) onto the samples grid. Every
 * source row covers (ts − interval, ts]; a grid interval takes from each source interval the part that overlaps
 * it, so alignment is exact when both share ticks (PSI and samples are read on the same tick) and a fair
 * proration when they do not (perf stat runs its own timer).
 */

export interface IntervalGrid {
  /** Interval ends, ns, ascending. */
  readonly endNs: Float64Array;
  /** Interval lengths, ns. */
  readonly lengthNs: Float64Array;
}

/**
 * `mean`: the overlap-weighted mean of the source values (for fractions such as PSI's share of time stalled).
 * `rate`: the source counts prorated by overlap, divided by the overlapped seconds (counts become per-second
 * rates; a grid interval only partly covered, at the ends of the recording, gets the rate of the covered part
 * rather than a rate diluted by the uncovered part). A grid interval that no finite source value overlaps gets
 * NaN (missing).
 * Source rows must be in time order; rows with a non-positive or missing interval are skipped.
 */
export function alignIntervals(
  grid: IntervalGrid,
  srcEndNs: ArrayLike<number>,
  srcLengthNs: ArrayLike<number>,
  srcValue: ArrayLike<number>,
  mode: 'mean' | 'rate',
): Float64Array {
  const n = grid.endNs.length;
  const acc = new Float64Array(n);
  const weight = new Float64Array(n);
  let g = 0;
  for (let s = 0; s < srcEndNs.length; s++) {
    const len = srcLengthNs[s]!;
    const v = srcValue[s]!;
    if (!(len > 0) || !Number.isFinite(v)) continue;
    const b = srcEndNs[s]!;
    const a = b - len;
    // Grid intervals are in order; rewind a little in case source rows overlap each other.
    while (g > 0 && grid.endNs[g - 1]! > a) g--;
    while (g < n && grid.endNs[g]! <= a) g++;
    for (let i = g; i < n; i++) {
      const gb = grid.endNs[i]!;
      const ga = gb - grid.lengthNs[i]!;
      if (ga >= b) break;
      const overlap = Math.min(b, gb) - Math.max(a, ga);
      if (overlap <= 0) continue;
      if (mode === 'mean') acc[i]! += v * overlap;
      else acc[i]! += (v * overlap) / len;
      weight[i]! += overlap;
    }
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!(weight[i]! > 0)) out[i] = Number.NaN;
    else if (mode === 'mean') out[i] = acc[i]! / weight[i]!;
    else out[i] = acc[i]! / (weight[i]! / 1e9);
  }
  return out;
}

/**
 * Forward fill in place: a missing value (NaN) takes the last value seen, because a gauge that was not read
 * is best guessed by its last reading, and a forecaster must not see a value from the future. Only the leading
 * gap, before any reading, takes the first reading (a back fill from the start of the recording, which is in the
 * training range). Returns how many values were filled; an all-missing series is left as NaN.
 */
export function forwardFill(v: Float64Array): number {
  let filled = 0;
  let first = -1;
  for (let i = 0; i < v.length; i++) {
    if (Number.isFinite(v[i]!)) {
      first = i;
      break;
    }
  }
  if (first < 0) return 0;
  for (let i = 0; i < first; i++) {
    v[i] = v[first]!;
    filled++;
  }
  for (let i = first + 1; i < v.length; i++) {
    if (!Number.isFinite(v[i]!)) {
      v[i] = v[i - 1]!;
      filled++;
    }
  }
  return filled;
}

/** Index of the grid interval (lo, hi] holding time t, or -1 when t falls outside every interval. */
export function intervalOf(grid: IntervalGrid, t: number): number {
  const ends = grid.endNs;
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ends[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  if (lo >= ends.length) return -1;
  return t > ends[lo]! - grid.lengthNs[lo]! ? lo : -1;
}

/**
 * Readings (levels at an instant: a CSV column, a Prometheus sample, a PerfSpect metric) onto the grid: each
 * interval gets the mean of the readings whose time falls in it, NaN where none does. A reading is not spread
 * over the interval before it, as a count would be: it says what the level was then, not what happened since.
 */
export function alignReadings(grid: IntervalGrid, srcNs: ArrayLike<number>, srcValue: ArrayLike<number>): Float64Array {
  const n = grid.endNs.length;
  const acc = new Float64Array(n);
  const count = new Float64Array(n);
  for (let s = 0; s < srcNs.length; s++) {
    const v = srcValue[s]!;
    if (!Number.isFinite(v)) continue;
    const i = intervalOf(grid, srcNs[s]!);
    if (i < 0) continue;
    acc[i]! += v;
    count[i]!++;
  }
  return acc.map((a, i) => (count[i]! > 0 ? a / count[i]! : Number.NaN));
}

/**
 * A grid for a bundle without a samples table (an imported time-series CSV or Prometheus query): one interval
 * per distinct reading time, each reaching back to the time before; the first is as long as the median step.
 */
export function gridOfTimes(times: ArrayLike<number>): IntervalGrid {
  const sorted = Float64Array.from(times).filter((t) => Number.isFinite(t)).sort();
  const distinct: number[] = [];
  for (const t of sorted) if (distinct.length === 0 || t > distinct[distinct.length - 1]!) distinct.push(t);
  const endNs = Float64Array.from(distinct);
  const lengthNs = new Float64Array(endNs.length);
  for (let i = 1; i < endNs.length; i++) lengthNs[i] = endNs[i]! - endNs[i - 1]!;
  if (endNs.length > 1) lengthNs[0] = Float64Array.from(lengthNs.subarray(1)).sort()[(endNs.length - 1) >> 1]!;
  else if (endNs.length === 1) lengthNs[0] = 1e9;
  return { endNs, lengthNs };
}
