import { Rng } from '../ml/rng.ts';
import { exp, log } from '../numeric/det-math.ts';

/**
 * Gradient-boosted trees for multiclass classification (softmax loss), histogram-based: each feature is cut into
 * at most `bins` quantile bins on the training data; each round fits one regression tree per class to the
 * softmax's gradient g = p − y and hessian h = p (1 − p), splitting where the second-order gain
 *   G_L² / (H_L + λ) + G_R² / (H_R + λ) − G² / (H + λ)
 * is largest, with leaf values −G / (H + λ) scaled by the learning rate (XGBoost / LightGBM's Newton step).
 * Row and feature subsampling come from the seed, so the same data and seed give the same model.
 */
export interface GbtParams {
  readonly rounds: number;
  readonly learningRate: number;
  readonly maxDepth: number;
  readonly minChildWeight: number;
  readonly lambda: number;
  readonly bins: number;
  /** Share of features tried per tree (1 = all). */
  readonly colsample: number;
  /** Share of rows used per round (1 = all). */
  readonly subsample: number;
  readonly seed: number;
}

export const DEFAULT_GBT: GbtParams = { rounds: 60, learningRate: 0.2, maxDepth: 3, minChildWeight: 0.5, lambda: 1, bins: 32, colsample: 0.5, subsample: 1, seed: 1 };

type Node = { leaf: true; value: number } | { leaf: false; feature: number; threshold: number; left: Node; right: Node };

export interface GbtModel {
  readonly classes: number;
  readonly features: number;
  /** trees[round][class] */
  readonly trees: Node[][];
  readonly base: Float64Array;
  readonly learningRate: number;
}

/** Bin edges per feature: the distinct quantile cut points between consecutive sorted training values. */
function binEdges(X: readonly ArrayLike<number>[], f: number, bins: number): number[] {
  const v = X.map((r) => r[f]!).sort((a, b) => a - b);
  const edges: number[] = [];
  for (let b = 1; b < bins; b++) {
    const i = Math.floor((b * v.length) / bins);
    if (i <= 0 || i >= v.length) continue;
    const lo = v[i - 1]!;
    const hi = v[i]!;
    if (hi > lo) {
      const e = (lo + hi) / 2;
      if (edges.length === 0 || e > edges[edges.length - 1]!) edges.push(e);
    }
  }
  return edges;
}

function binOf(edges: number[], x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x > edges[mid]!) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function trainGbt(X: readonly ArrayLike<number>[], y: readonly number[], classes: number, params: Partial<GbtParams> = {}): GbtModel {
  const p = { ...DEFAULT_GBT, ...params };
  const n = X.length;
  const F = n ? X[0]!.length : 0;
  const rng = new Rng(p.seed);
  const edges = Array.from({ length: F }, (_, f) => binEdges(X, f, p.bins));
  const binned = Array.from({ length: F }, (_, f) => Uint8Array.from(X, (r) => binOf(edges[f]!, r[f]!)));
  // Base score: log class frequency (softmax's maximum-likelihood start).
  const base = new Float64Array(classes);
  for (let k = 0; k < classes; k++) base[k] = log((y.filter((v) => v === k).length + 1) / (n + classes));
  const score = Array.from({ length: n }, () => Float64Array.from(base));
  const trees: Node[][] = [];
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const maxBins = Math.max(1, ...edges.map((e) => e.length + 1));
  const hg = new Float64Array(maxBins);
  const hh = new Float64Array(maxBins);
  for (let round = 0; round < p.rounds; round++) {
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (p.subsample >= 1 || rng.next() < p.subsample) rows.push(i);
    const prob = score.map(softmax);
    const roundTrees: Node[] = [];
    for (let k = 0; k < classes; k++) {
      for (let i = 0; i < n; i++) {
        const pk = prob[i]![k]!;
        g[i] = pk - (y[i] === k ? 1 : 0);
        h[i] = Math.max(pk * (1 - pk), 1e-6);
      }
      const feats: number[] = [];
      for (let f = 0; f < F; f++) if (p.colsample >= 1 || rng.next() < p.colsample) feats.push(f);
      if (feats.length === 0 && F > 0) feats.push(rng.int(F));
      const tree = grow(rows, 0);
      roundTrees.push(tree);
      for (let i = 0; i < n; i++) score[i]![k] = score[i]![k]! + p.learningRate * predictTree(tree, X[i]!);

      function grow(idx: number[], depth: number): Node {
        let G = 0;
        let H = 0;
        for (const i of idx) {
          G += g[i]!;
          H += h[i]!;
        }
        const leaf: Node = { leaf: true, value: -G / (H + p.lambda) };
        if (depth >= p.maxDepth || idx.length < 2) return leaf;
        const parent = (G * G) / (H + p.lambda);
        let best = 1e-9;
        let bf = -1;
        let bb = -1;
        for (const f of feats) {
          const nb = edges[f]!.length + 1;
          if (nb < 2) continue;
          hg.fill(0, 0, nb);
          hh.fill(0, 0, nb);
          const col = binned[f]!;
          for (const i of idx) {
            hg[col[i]!] = hg[col[i]!]! + g[i]!;
            hh[col[i]!] = hh[col[i]!]! + h[i]!;
          }
          let gl = 0;
          let hl = 0;
          for (let b = 0; b < nb - 1; b++) {
            gl += hg[b]!;
            hl += hh[b]!;
            const gr = G - gl;
            const hr = H - hl;
            if (hl < p.minChildWeight || hr < p.minChildWeight) continue;
            const gain = (gl * gl) / (hl + p.lambda) + (gr * gr) / (hr + p.lambda) - parent;
            if (gain > best) {
              best = gain;
              bf = f;
              bb = b;
            }
          }
        }
        if (bf < 0) return leaf;
        const col = binned[bf]!;
        const L = idx.filter((i) => col[i]! <= bb);
        const R = idx.filter((i) => col[i]! > bb);
        return { leaf: false, feature: bf, threshold: edges[bf]![bb]!, left: grow(L, depth + 1), right: grow(R, depth + 1) };
      }
    }
    trees.push(roundTrees);
  }
  return { classes, features: F, trees, base, learningRate: p.learningRate };
}

function predictTree(t: Node, x: ArrayLike<number>): number {
  let node = t;
  while (!node.leaf) node = x[node.feature]! <= node.threshold ? node.left : node.right;
  return node.value;
}

export function softmax(s: ArrayLike<number>): Float64Array {
  let m = -Infinity;
  for (let i = 0; i < s.length; i++) m = Math.max(m, s[i]!);
  const out = new Float64Array(s.length);
  let z = 0;
  for (let i = 0; i < s.length; i++) z += out[i] = exp(s[i]! - m);
  for (let i = 0; i < s.length; i++) out[i] = out[i]! / z;
  return out;
}

export function gbtProba(m: GbtModel, x: ArrayLike<number>): Float64Array {
  const s = Float64Array.from(m.base);
  for (const round of m.trees) for (let k = 0; k < m.classes; k++) s[k] = s[k]! + m.learningRate * predictTree(round[k]!, x);
  return softmax(s);
}

export function gbtPredict(m: GbtModel, x: ArrayLike<number>): number {
  const p = gbtProba(m, x);
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k]! > p[best]!) best = k;
  return best;
}
