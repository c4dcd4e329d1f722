import { backwardIntervals, type NetBounds } from './linear-bounds.ts';
import type { ReluNet } from './relu-net.ts';

/**
 * The exact step: for a box and a monotone input i with wanted sign s, the mixed-integer linear program
 *
 *   minimise s·∂f/∂x_i(x)   over x in the box, with every hidden ReLU's derivative a binary
 *
 * whose optimum is the smallest directional derivative anywhere in the box (on every side of every kink: at a
 * pre-activation of exactly 0 both values of the binary are allowed). Encoding, for hidden layers 0..H−1:
 *
 * - forward: z_l = W_lᵀ·a_{l−1} + b_l as equality rows (a_{−1} = x). A neuron the bounds prove inactive is left out
 *   (a = 0, derivative 0); an active one has a = z (derivative 1). An unstable one (l < 0 < u from the bounds) has a
 *   binary δ and, when its output feeds a later layer, a ∈ [0, u] with a ≥ z, a ≤ z − l·(1 − δ), a ≤ u·δ (the exact
 *   big-M encoding of a = relu(z)); in the last hidden layer only z ≤ u·δ and z ≥ l·(1 − δ). Either way δ = 1 forces
 *   z ≥ 0 and δ = 0 forces z ≤ 0.
 * - backward: the gradient reaching the last hidden layer is the output weights, so its masked value p_k = w_k·δ_k is
 *   linear in the binaries. Below it r_j = Σ_k W[j,k]·p_k (an equality row), and p_j = δ_j·r_j, the product of a
 *   binary and a bounded continuous value, is linearised exactly: with r ∈ [R_lo, R_hi] (interval bounds of the
 *   backward pass), q ≤ R_hi·δ, q ≥ R_lo·δ, q ≤ r − R_lo·(1 − δ), q ≥ r − R_hi·(1 − δ). Active neurons pass r on,
 *   inactive ones drop out. The objective is s·Σ_j W_0[i,j]·p_j.
 *
 * All big-M constants come from sound bounds (linear-bounds.ts), so the program's feasible set holds every point of
 * the box with every activation pattern it can have: its optimum is exact, not a relaxation. (`form: 'forward'`
 * encodes the directional derivative in forward mode instead; same optimum, another relaxation for the solver.)
 *
 * `margin` > 0 asks more: every unstable neuron at least that far from zero on its binary's side. Then a solution
 * lies inside a region of one activation pattern, not on a kink where the solver chose derivatives freely: what the
 * verifier asks for when it must turn a negative optimum into a pair it can confirm. Not for proofs (it leaves out
 * the points near kinks).
 */

/** A mixed-integer linear program, minimised. */
export interface MilpModel {
  readonly colLower: number[];
  readonly colUpper: number[];
  readonly colCost: number[];
  readonly integer: boolean[];
  readonly offset: number;
  readonly rows: { lower: number; upper: number; cols: number[]; vals: number[] }[];
}

export interface MilpOutcome {
  /** optimal: solved; infeasible; limit: time ran out (the bound and any incumbent are still reported); error. */
  readonly status: 'optimal' | 'infeasible' | 'limit' | 'error';
  /** Objective of the best solution found (with the offset), if any. */
  readonly objective?: number;
  /** A proven lower bound on the optimum (−∞ when none). */
  readonly bound: number;
  readonly x?: Float64Array;
  readonly message?: string;
  /** Branch-and-bound nodes the solve explored (a MILP; undefined for an LP or when the solver does not say). */
  readonly nodes?: number;
}

/** What the verifier needs from a MILP solver: one blocking solve with a time limit. */
export interface MilpSolver {
  readonly name: string;
  /**
   * `cutoff`: only solutions below it matter (nodes whose bound reaches it are pruned; 'infeasible' then means none
   * exists). `target`: stop at the first solution at or below it.
   */
  solve(model: MilpModel, timeLimitSeconds: number, o?: { cutoff?: number; target?: number; options?: Readonly<Record<string, number | string | boolean>> }): MilpOutcome;
}

class Builder {
  readonly colLower: number[] = [];
  readonly colUpper: number[] = [];
  readonly colCost: number[] = [];
  readonly integer: boolean[] = [];
  offset = 0;
  readonly rows: MilpModel['rows'] = [];
  col(lower: number, upper: number, integer = false): number {
    this.colLower.push(lower);
    this.colUpper.push(upper);
    this.colCost.push(0);
    this.integer.push(integer);
    return this.colLower.length - 1;
  }
  row(lower: number, upper: number, cols: number[], vals: number[]): void {
    this.rows.push({ lower, upper, cols, vals });
  }
  model(): MilpModel {
    return { colLower: this.colLower, colUpper: this.colUpper, colCost: this.colCost, integer: this.integer, offset: this.offset, rows: this.rows };
  }
}

/** A linear expression: constant + Σ vals·cols. */
interface Expr {
  c: number;
  cols: number[];
  vals: number[];
}

export interface GradientMilp {
  readonly model: MilpModel;
  /** Columns of the inputs. */
  readonly xCols: number[];
  /** Per hidden layer, the column of each unstable neuron's binary (−1 where the neuron is stable). */
  readonly deltaCols: Int32Array[];
}

const INF = Infinity;

/** The program above for `input` and sign `sign` (+1 increasing, −1 decreasing) over the box [lo, hi]. */
export function gradientMilp(
  net: ReluNet,
  bounds: NetBounds,
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
  input: number,
  sign: number,
  o: { readonly form?: 'backward' | 'forward'; readonly margin?: number } = {},
): GradientMilp {
  const margin = o.margin ?? 0;
  const B = new Builder();
  const H = net.layers.length - 1;
  const xCols = Array.from({ length: net.inputs }, (_, t) => B.col(lo[t]!, hi[t]!));
  const deltaCols: Int32Array[] = [];
  // Forward: the columns holding each layer's activations (−1: inactive, contributes nothing).
  let aCols = Int32Array.from(xCols);
  for (let l = 0; l < H; l++) {
    const layer = net.layers[l]!;
    const mask = bounds.masks[l]!;
    const zLo = bounds.zLo[l]!;
    const zHi = bounds.zHi[l]!;
    const delta = new Int32Array(layer.nOut).fill(-1);
    const next = new Int32Array(layer.nOut).fill(-1);
    const feeds = l + 1 < H;
    for (let j = 0; j < layer.nOut; j++) {
      if (mask[j] === 0) continue;
      if (mask[j] === 1 && !feeds) continue;
      const z = B.col(zLo[j]!, zHi[j]!);
      const cols = [z];
      const vals = [1];
      for (let i = 0; i < layer.nIn; i++) {
        const a = aCols[i]!;
        const w = layer.w[i * layer.nOut + j]!;
        if (a < 0 || w === 0) continue;
        cols.push(a);
        vals.push(-w);
      }
      B.row(layer.b[j]!, layer.b[j]!, cols, vals);
      if (mask[j] === 1) {
        next[j] = z;
        continue;
      }
      const d = B.col(0, 1, true);
      delta[j] = d;
      const l0 = zLo[j]!;
      const u0 = zHi[j]!;
      if (feeds) {
        const a = B.col(0, Math.max(0, u0));
        B.row(0, INF, [a, z], [1, -1]); // a ≥ z
        B.row(-INF, -l0, [a, z, d], [1, -1, -l0]); // a ≤ z − l(1 − δ)
        B.row(-INF, 0, [a, d], [1, -u0]); // a ≤ u·δ
        next[j] = a;
      } else {
        B.row(-INF, 0, [z, d], [1, -u0]); // z ≤ u·δ
        B.row(l0, INF, [z, d], [1, l0]); // z ≥ l(1 − δ)
      }
      if (margin > 0) {
        B.row(l0, INF, [z, d], [1, -(margin - l0)]); // δ = 1 ⇒ z ≥ margin
        B.row(-INF, -margin, [z, d], [1, -(u0 + margin)]); // δ = 0 ⇒ z ≤ −margin
      }
    }
    deltaCols.push(delta);
    aCols = next;
  }
  if (o.form === 'forward') {
    forwardGradient(B, net, bounds, deltaCols, input, sign);
    return { model: B.model(), xCols, deltaCols };
  }
  // Backward. p over the last hidden layer's outputs: w_k·(its derivative).
  const last = net.layers[H]!;
  const { rLo, rHi } = backwardIntervals(net, bounds.masks);
  let p: (Expr | null)[] = Array.from({ length: last.nIn }, (_, k) => {
    const m = bounds.masks[H - 1]![k]!;
    const w = last.w[k]!;
    if (m === 0 || w === 0) return null;
    if (m === 1) return { c: w, cols: [], vals: [] };
    return { c: 0, cols: [deltaCols[H - 1]![k]!], vals: [w] };
  });
  for (let l = H - 2; l >= 0; l--) {
    const layer = net.layers[l + 1]!;
    const mask = bounds.masks[l]!;
    const next: (Expr | null)[] = new Array(layer.nIn).fill(null);
    for (let j = 0; j < layer.nIn; j++) {
      if (mask[j] === 0) continue;
      // r_j = Σ_k W[j,k]·p_k, as a column with an equality row.
      let c = 0;
      const cols: number[] = [];
      const vals: number[] = [];
      for (let k = 0; k < layer.nOut; k++) {
        const e = p[k];
        const w = layer.w[j * layer.nOut + k]!;
        if (!e || w === 0) continue;
        c += w * e.c;
        for (let t = 0; t < e.cols.length; t++) {
          cols.push(e.cols[t]!);
          vals.push(-w * e.vals[t]!);
        }
      }
      const R0 = rLo[l]![j]!;
      const R1 = rHi[l]![j]!;
      if (cols.length === 0) {
        // No binary below reaches it: r_j is the constant c.
        if (mask[j] === 1) next[j] = { c, cols: [], vals: [] };
        else next[j] = { c: 0, cols: [deltaCols[l]![j]!], vals: [c] };
        continue;
      }
      const r = B.col(R0, R1);
      B.row(c, c, [r, ...cols], [1, ...vals]);
      if (mask[j] === 1) {
        next[j] = { c: 0, cols: [r], vals: [1] };
        continue;
      }
      const d = deltaCols[l]![j]!;
      const q = B.col(Math.min(0, R0), Math.max(0, R1));
      B.row(-INF, 0, [q, d], [1, -R1]); // q ≤ R_hi·δ
      B.row(0, INF, [q, d], [1, -R0]); // q ≥ R_lo·δ
      B.row(-INF, -R0, [q, r, d], [1, -1, -R0]); // q ≤ r − R_lo(1 − δ)
      B.row(-R1, INF, [q, r, d], [1, -1, -R1]); // q ≥ r − R_hi(1 − δ)
      next[j] = { c: 0, cols: [q], vals: [1] };
    }
    p = next;
  }
  // Objective: s·Σ_j W_0[i,j]·p_j.
  const first = net.layers[0]!;
  for (let j = 0; j < first.nOut; j++) {
    const e = p[j];
    const w = first.w[input * first.nOut + j]!;
    if (!e || w === 0) continue;
    B.offset += sign * w * e.c;
    for (let t = 0; t < e.cols.length; t++) B.colCost[e.cols[t]!]! += sign * w * e.vals[t]!;
  }
  return { model: B.model(), xCols, deltaCols };
}

/**
 * The directional derivative in forward mode: t_0,j = δ_j·W_0[i,j] (linear in the binaries), then per layer
 * s_k = Σ_j W[j,k]·t_j as an equality row and t_k = δ_k·s_k linearised like the backward products, with s bounded
 * by forward interval arithmetic; the objective is s·Σ_k w_k·t_k over the last hidden layer.
 */
function forwardGradient(B: Builder, net: ReluNet, bounds: NetBounds, deltaCols: Int32Array[], input: number, sign: number): void {
  const H = net.layers.length - 1;
  const first = net.layers[0]!;
  // Interval of the forward derivative before each layer's mask.
  let sLo = Float64Array.from({ length: first.nOut }, (_, j) => first.w[input * first.nOut + j]!);
  let sHi = Float64Array.from(sLo);
  let t: (Expr | null)[] = Array.from({ length: first.nOut }, (_, j) => {
    const m = bounds.masks[0]![j]!;
    const w = first.w[input * first.nOut + j]!;
    if (m === 0 || w === 0) return null;
    if (m === 1) return { c: w, cols: [], vals: [] };
    return { c: 0, cols: [deltaCols[0]![j]!], vals: [w] };
  });
  for (let l = 1; l < H; l++) {
    const layer = net.layers[l]!;
    const mask = bounds.masks[l]!;
    const prevMask = bounds.masks[l - 1]!;
    // Masked previous intervals.
    const mLo = sLo.map((v, j) => (prevMask[j] === 0 ? 0 : prevMask[j] === -1 ? Math.min(0, v) : v));
    const mHi = sHi.map((v, j) => (prevMask[j] === 0 ? 0 : prevMask[j] === -1 ? Math.max(0, v) : v));
    const nLo = new Float64Array(layer.nOut);
    const nHi = new Float64Array(layer.nOut);
    for (let j = 0; j < layer.nIn; j++) {
      if (mLo[j] === 0 && mHi[j] === 0) continue;
      for (let k = 0; k < layer.nOut; k++) {
        const w = layer.w[j * layer.nOut + k]!;
        if (w >= 0) {
          nLo[k]! += w * mLo[j]!;
          nHi[k]! += w * mHi[j]!;
        } else {
          nLo[k]! += w * mHi[j]!;
          nHi[k]! += w * mLo[j]!;
        }
      }
    }
    const next: (Expr | null)[] = new Array(layer.nOut).fill(null);
    for (let k = 0; k < layer.nOut; k++) {
      if (mask[k] === 0) continue;
      let c = 0;
      const cols: number[] = [];
      const vals: number[] = [];
      for (let j = 0; j < layer.nIn; j++) {
        const e = t[j];
        const w = layer.w[j * layer.nOut + k]!;
        if (!e || w === 0) continue;
        c += w * e.c;
        for (let q = 0; q < e.cols.length; q++) {
          cols.push(e.cols[q]!);
          vals.push(-w * e.vals[q]!);
        }
      }
      const S0 = nLo[k]!;
      const S1 = nHi[k]!;
      if (cols.length === 0) {
        next[k] = mask[k] === 1 ? { c, cols: [], vals: [] } : { c: 0, cols: [deltaCols[l]![k]!], vals: [c] };
        continue;
      }
      const sCol = B.col(S0, S1);
      B.row(c, c, [sCol, ...cols], [1, ...vals]);
      if (mask[k] === 1) {
        next[k] = { c: 0, cols: [sCol], vals: [1] };
        continue;
      }
      const d = deltaCols[l]![k]!;
      const q = B.col(Math.min(0, S0), Math.max(0, S1));
      B.row(-INF, 0, [q, d], [1, -S1]);
      B.row(0, INF, [q, d], [1, -S0]);
      B.row(-INF, -S0, [q, sCol, d], [1, -1, -S0]);
      B.row(-S1, INF, [q, sCol, d], [1, -1, -S1]);
      next[k] = { c: 0, cols: [q], vals: [1] };
    }
    t = next;
    sLo = nLo;
    sHi = nHi;
  }
  const last = net.layers[H]!;
  for (let k = 0; k < last.nIn; k++) {
    const e = t[k];
    const w = last.w[k]!;
    if (!e || w === 0) continue;
    B.offset += sign * w * e.c;
    for (let q = 0; q < e.cols.length; q++) B.colCost[e.cols[q]!]! += sign * w * e.vals[q]!;
  }
}

/**
 * A linear program for a point strictly inside the region where the hidden neurons follow `pattern` (per layer,
 * 1 on / 0 off for every neuron the bounds left unstable): maximise t with every such pre-activation at least t
 * from zero on its side, x in the box. A MILP optimum sits at a vertex, often on kinks where it picked the
 * derivatives it liked; a point inside the region shows the pattern (and so the gradient) is real. Column 0..n−1
 * are the inputs, the last column is t.
 */
export function regionLp(net: ReluNet, bounds: NetBounds, lo: ArrayLike<number>, hi: ArrayLike<number>, pattern: readonly Int8Array[], maxMargin: number): MilpModel {
  const B = new Builder();
  const n = net.inputs;
  const H = net.layers.length - 1;
  // Affine forms of each layer's activations in x under the pattern: coefficient rows [n + 1] (constant last).
  let forms: (Float64Array | null)[] = Array.from({ length: n }, (_, t) => {
    const f = new Float64Array(n + 1);
    f[t] = 1;
    return f;
  });
  for (let t = 0; t < n; t++) B.col(lo[t]!, hi[t]!);
  const tCol = n;
  const rows: { f: Float64Array; side: number }[] = [];
  for (let l = 0; l < H; l++) {
    const layer = net.layers[l]!;
    const next: (Float64Array | null)[] = new Array(layer.nOut).fill(null);
    for (let j = 0; j < layer.nOut; j++) {
      const m = bounds.masks[l]![j]!;
      if (m === 0) continue;
      const on = m === 1 || pattern[l]![j] === 1;
      if (!on && m === 1) continue;
      const f = new Float64Array(n + 1);
      f[n] = layer.b[j]!;
      for (let i = 0; i < layer.nIn; i++) {
        const g = forms[i];
        const w = layer.w[i * layer.nOut + j]!;
        if (!g || w === 0) continue;
        for (let t = 0; t <= n; t++) f[t]! += w * g[t]!;
      }
      if (m === -1) rows.push({ f, side: on ? 1 : -1 });
      if (on) next[j] = f;
    }
    forms = next;
  }
  B.col(0, maxMargin);
  B.colCost[tCol] = -1;
  for (const { f, side } of rows) {
    // side·(f·x + c) ≥ t  ⇔  side·f·x − t ≥ −side·c
    const cols: number[] = [];
    const vals: number[] = [];
    for (let t = 0; t < n; t++) {
      if (f[t] === 0) continue;
      cols.push(t);
      vals.push(side * f[t]!);
    }
    cols.push(tCol);
    vals.push(-1);
    B.row(-side * f[n]!, INF, cols, vals);
  }
  return B.model();
}

/** The pattern of a MILP solution: per layer, 1 / 0 for unstable neurons (from their binaries), −1 elsewhere. */
export function patternOf(g: GradientMilp, x: Float64Array): Int8Array[] {
  return g.deltaCols.map((cols) => Int8Array.from(cols, (c) => (c < 0 ? -1 : x[c]! > 0.5 ? 1 : 0)));
}
