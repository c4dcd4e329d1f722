import { sq } from './math.ts';
/**
 * Distances between fingerprints.
 *
 * Euclidean: √Σ (a_i − b_i)² over equal-length vectors (CWD eq. 5).
 *
 * DTW convention (CWD uses DTW with Manhattan distance): the local cost of aligning element i of A with element j
 * of B is the L1 distance |a_i − b_j| summed over their components; a warping path starts at (0, 0), ends at
 * (n−1, m−1) and moves by (1, 0), (0, 1) or (1, 1); the distance is the smallest sum of local costs along a path,
 * not normalised by the path's length. Banded DTW (Sakoe–Chiba) allows only cells with |i − j| ≤ w, widened to
 * |n − m| so a path always exists. Subsequence DTW lets the shorter sequence A start and end anywhere in B (the
 * first row's cells cost only their local cost, the answer is the smallest cell of the last row), which is how a
 * partial run is matched to a stretch of a whole one.
 *
 * Offset match (CWD §V-D): the shorter phase sequence slides along the longer one without warping; the distance
 * is the smallest Σ_i ‖t_i − t'_{i+j}‖ over offsets j.
 */
export type Vec = ArrayLike<number>;

export function euclidean(a: Vec, b: Vec): number {
  if (a.length !== b.length) throw new Error(`euclidean: lengths differ (${a.length} vs ${b.length})`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += sq(a[i]! - b[i]!);
  return Math.sqrt(s);
}

export function manhattan(a: Vec, b: Vec): number {
  if (a.length !== b.length) throw new Error(`manhattan: lengths differ (${a.length} vs ${b.length})`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s;
}

export interface DtwOptions {
  /** Sakoe–Chiba half-width; undefined = no band. */
  readonly band?: number;
  /** Let A match any stretch of B (open begin and end on B). */
  readonly subsequence?: boolean;
  readonly local?: (a: Vec, b: Vec) => number;
}

/** DTW between two sequences of vectors (scalars: pass length-1 vectors or use `dtwScalar`). */
export function dtw(A: readonly Vec[], B: readonly Vec[], opts: DtwOptions = {}): number {
  const n = A.length;
  const m = B.length;
  if (n === 0 || m === 0) return n === m ? 0 : Infinity;
  const local = opts.local ?? manhattan;
  const w = opts.band === undefined || opts.subsequence ? Infinity : Math.max(opts.band, Math.abs(n - m));
  let prev = new Float64Array(m).fill(Infinity);
  let cur = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    cur.fill(Infinity);
    const lo = w === Infinity ? 0 : Math.max(0, i - w);
    const hi = w === Infinity ? m - 1 : Math.min(m - 1, i + w);
    for (let j = lo; j <= hi; j++) {
      const c = local(A[i]!, B[j]!);
      let best: number;
      if (i === 0) best = opts.subsequence ? 0 : j === 0 ? 0 : cur[j - 1]!;
      else best = Math.min(prev[j]!, j > 0 ? prev[j - 1]! : Infinity, j > 0 ? cur[j - 1]! : Infinity);
      cur[j] = best + c;
    }
    [prev, cur] = [cur, prev];
  }
  if (!opts.subsequence) return prev[m - 1]!;
  let best = Infinity;
  for (let j = 0; j < m; j++) best = Math.min(best, prev[j]!);
  return best;
}

export function dtwScalar(a: Vec, b: Vec, opts: Omit<DtwOptions, 'local'> = {}): number {
  return dtw(Array.from(a, (v) => [v]), Array.from(b, (v) => [v]), opts);
}

/** The offset match: the shorter sequence slides along the longer one; returns the best distance and offset. */
export function offsetMatch(A: readonly Vec[], B: readonly Vec[], local: (a: Vec, b: Vec) => number = euclidean): { distance: number; offset: number; aIsShorter: boolean } {
  const aIsShorter = A.length <= B.length;
  const S = aIsShorter ? A : B;
  const L = aIsShorter ? B : A;
  if (S.length === 0) return { distance: 0, offset: 0, aIsShorter };
  let best = Infinity;
  let off = 0;
  for (let j = 0; j + S.length <= L.length; j++) {
    let d = 0;
    for (let i = 0; i < S.length && d < best; i++) d += local(S[i]!, L[i + j]!);
    if (d < best) {
      best = d;
      off = j;
    }
  }
  return { distance: best, offset: off, aIsShorter };
}
