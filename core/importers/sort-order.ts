/**
 * The order of rows sorted by time, ties kept in row order: the same order as sorting the row numbers with
 * `(a, b) => ts[a] - ts[b] || a - b`, but fast on what captures hold, rows already in order but for a few
 * runs (threads writing out of step, a moved line): a merge sort that starts from the ascending runs there
 * are, so a capture in order costs one pass.
 */
export function timeOrder(ts: ArrayLike<number>, n: number): Int32Array {
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // Run starts: each run is non-decreasing in ts (equal times stay in row order, so merging keeps ties stable).
  const starts: number[] = [0];
  for (let i = 1; i < n; i++) if (ts[i]! < ts[i - 1]!) starts.push(i);
  starts.push(n);
  let tmp = new Int32Array(n);
  let runs = starts;
  while (runs.length > 2) {
    const next: number[] = [];
    for (let r = 0; r + 1 < runs.length; r += 2) {
      const lo = runs[r]!;
      const mid = runs[r + 1]!;
      const hi = r + 2 < runs.length ? runs[r + 2]! : mid;
      merge(ts, order, tmp, lo, mid, hi);
      next.push(lo);
    }
    next.push(n);
    [order, tmp] = [tmp, order];
    runs = next;
  }
  return order;
}

/** Merges order[lo, mid) and order[mid, hi) into out[lo, hi); on equal times the left (earlier rows) first. */
function merge(ts: ArrayLike<number>, order: Int32Array, out: Int32Array, lo: number, mid: number, hi: number): void {
  let i = lo;
  let j = mid;
  let k = lo;
  while (i < mid && j < hi) out[k++] = ts[order[j]!]! < ts[order[i]!]! ? order[j++]! : order[i++]!;
  while (i < mid) out[k++] = order[i++]!;
  while (j < hi) out[k++] = order[j++]!;
}
