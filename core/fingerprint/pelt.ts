import { exp } from '../numeric/det-math.ts';
import { sq } from './math.ts';
/**
 * Offline change points by PELT (Killick, Fearnhead & Eckley 2012): exact minimisation of
 *   Σ_segments cost(segment) + β · (number of change points)
 * over segmentations with every segment at least `minSize` long, with PELT's pruning (a candidate start s is
 * dropped once F(s) + cost(s, t) > F(t), valid because both costs satisfy cost(a,b) + cost(b,c) ≤ cost(a,c)).
 *
 * Costs: `l2` is the squared deviation from the segment mean (a change in mean); `rbf` is the kernel cost of
 * ruptures (Truong et al. 2020), Σ k(x_i, x_i) − (1/len) Σ_ij k(x_i, x_j) with k(a, b) = exp(−γ (a − b)²), which
 * sees changes in distribution; γ defaults to 1 / median of the squared pairwise differences.
 */
export type PeltCost = 'l2' | 'rbf';

export interface PeltParams {
  readonly cost: PeltCost;
  /** Penalty per change point β (on the cost's scale; for l2 on z-scored data, ~2 log n to 3 log n). */
  readonly penalty: number;
  readonly minSize: number;
  /** RBF bandwidth γ; 0 or absent = the median heuristic. */
  readonly gamma?: number;
}

export const DEFAULT_PELT: PeltParams = { cost: 'l2', penalty: 10, minSize: 3 };

/** cost(s, e) of the half-open segment [s, e), O(1) after O(n) (l2) or O(n²) (rbf) set-up. */
export type SegmentCost = (s: number, e: number) => number;

export function l2Cost(x: ArrayLike<number>): SegmentCost {
  const n = x.length;
  const c1 = new Float64Array(n + 1);
  const c2 = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    c1[i + 1] = c1[i]! + x[i]!;
    c2[i + 1] = c2[i]! + x[i]! * x[i]!;
  }
  return (s, e) => {
    const len = e - s;
    const sum = c1[e]! - c1[s]!;
    return Math.max(0, c2[e]! - c2[s]! - (sum * sum) / len);
  };
}

export function rbfCost(x: ArrayLike<number>, gamma?: number): SegmentCost {
  const n = x.length;
  let g = gamma ?? 0;
  if (!(g > 0)) {
    const d: number[] = [];
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) d.push(sq(x[i]! - x[j]!));
    d.sort((a, b) => a - b);
    const med = d.length ? d[Math.floor(d.length / 2)]! : 0;
    g = med > 0 ? 1 / med : 1;
  }
  // 2-D prefix sums of the Gram matrix: S[a][b] = Σ_{i<a, j<b} k(x_i, x_j).
  const w = n + 1;
  const S = new Float64Array(w * w);
  for (let i = 0; i < n; i++) {
    let row = 0;
    for (let j = 0; j < n; j++) {
      row += exp(-g * sq(x[i]! - x[j]!));
      S[(i + 1) * w + j + 1] = S[i * w + j + 1]! + row;
    }
  }
  return (s, e) => {
    const block = S[e * w + e]! - S[s * w + e]! - S[e * w + s]! + S[s * w + s]!;
    return Math.max(0, e - s - block / (e - s));
  };
}

export function segmentCost(x: ArrayLike<number>, cost: PeltCost, gamma?: number): SegmentCost {
  return cost === 'l2' ? l2Cost(x) : rbfCost(x, gamma);
}

export interface PeltResult {
  /** Start index of every segment after the first. */
  readonly changePoints: number[];
  /** The minimised objective Σ cost + β · #change points. */
  readonly objective: number;
}

export function pelt(x: ArrayLike<number>, params: Partial<PeltParams> = {}): PeltResult {
  const p = { ...DEFAULT_PELT, ...params };
  const n = x.length;
  const m = Math.max(1, Math.floor(p.minSize));
  if (n < 2 * m) return { changePoints: [], objective: n ? segmentCost(x, p.cost, p.gamma)(0, n) : 0 };
  const cost = segmentCost(x, p.cost, p.gamma);
  // F[t]: best objective for x[0, t) counting β per segment (β subtracted once at the end); last[t]: its last start.
  const F = new Float64Array(n + 1).fill(Infinity);
  const last = new Int32Array(n + 1).fill(-1);
  F[0] = 0;
  let candidates: number[] = [0];
  for (let t = m; t <= n; t++) {
    let best = Infinity;
    let arg = -1;
    const vals: number[] = [];
    for (const s of candidates) {
      if (t - s < m) {
        vals.push(-Infinity);
        continue;
      }
      const v = F[s]! + cost(s, t);
      vals.push(v);
      if (v + p.penalty < best) {
        best = v + p.penalty;
        arg = s;
      }
    }
    if (arg >= 0) {
      F[t] = best;
      last[t] = arg;
    }
    // Prune: s can never be the best last start again once F(s) + cost(s, t) > F(t) (K = 0 for these costs).
    const next: number[] = [];
    candidates.forEach((s, i) => {
      if (vals[i] === -Infinity || vals[i]! <= F[t]!) next.push(s);
    });
    if (t - m + 1 >= m && Number.isFinite(F[t - m + 1]!)) next.push(t - m + 1);
    candidates = next;
  }
  const cps: number[] = [];
  let t = n;
  while (t > 0) {
    const s = last[t]!;
    if (s > 0) cps.push(s);
    t = s;
  }
  cps.reverse();
  return { changePoints: cps, objective: F[n]! - p.penalty };
}
