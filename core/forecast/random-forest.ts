import { Rng } from '../ml/rng.ts';
import type { Examples, Forecaster, WindowLayout } from './types.ts';

/**
 * Random forest regressor: CART trees grown on bootstrap samples, each split chosen among `mtry` randomly drawn
 * features by the largest reduction of the squared error (variance reduction), predictions averaged over trees.
 * Every random choice (bootstrap draws, feature draws) comes from one seeded Rng, so a seed gives one forest.
 * Split search sorts the node's samples per candidate feature and scans prefix sums once: O(m log m) per feature
 * and node. The sort is a native typed-array sort (no comparator callback, ~10× faster): each feature's values
 * are replaced once per forest by their dense rank, and a sample's key is rank × n + its position in the node,
 * exact in a float64 for n up to 9·10⁷.
 */

export interface ForestSettings {
  /** Number of trees; default 100. */
  readonly trees?: number;
  /** Maximum depth (the root is depth 0); default 12. */
  readonly maxDepth?: number;
  /** Minimum samples in a leaf; default 2. */
  readonly minLeaf?: number;
  /**
   * Features tried per split; default ⌈p/3⌉ (R's rule for regression, rounded up so that a handful of features
   * does not leave one random feature per split). mtry = p grows bagged trees (scikit-learn's default).
   */
  readonly mtry?: number;
  /** Draw each tree's samples with replacement (default true); false grows every tree on all samples. */
  readonly bootstrap?: boolean;
  readonly seed?: number;
}

/** One tree as flat arrays; a leaf has feature −1 and its prediction in `value`. */
interface Tree {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
}

export interface Forest {
  readonly trees: readonly Tree[];
  readonly features: number;
  /** Mean decrease in impurity per feature: per tree normalised to sum 1, averaged over trees. */
  readonly importance: Float64Array;
}

/** Grows a forest on row-major x [n × p]. */
export function fitForest(x: ArrayLike<number>, y: ArrayLike<number>, n: number, p: number, settings: ForestSettings = {}): Forest {
  const trees = settings.trees ?? 100;
  const maxDepth = settings.maxDepth ?? 12;
  const minLeaf = Math.max(1, settings.minLeaf ?? 2);
  const mtry = Math.min(p, Math.max(1, settings.mtry ?? Math.ceil(p / 3)));
  const bootstrap = settings.bootstrap ?? true;
  if (!(Number.isInteger(trees) && trees >= 1)) throw new Error(`trees must be a positive integer, got ${trees}`);
  if (x.length !== n * p || y.length < n) throw new Error(`x must hold ${n}×${p} values and y ${n}`);
  const rng = new Rng(settings.seed ?? 1);

  // Column-major copy: the split search reads one feature of many samples at a time.
  const cols = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let f = 0; f < p; f++) cols[f * n + i] = x[i * p + f]!;
  const ys = Float64Array.from({ length: n }, (_, i) => y[i]!);
  // Dense ranks per feature: equal values share a rank, so "same value" is "same rank".
  const ranks = new Float64Array(n * p);
  const byValue = new Int32Array(n);
  for (let f = 0; f < p; f++) {
    const col = f * n;
    for (let i = 0; i < n; i++) byValue[i] = i;
    byValue.sort((a, b) => cols[col + a]! - cols[col + b]!);
    let r = 0;
    for (let k = 0; k < n; k++) {
      if (k > 0 && cols[col + byValue[k]!]! !== cols[col + byValue[k - 1]!]!) r++;
      ranks[col + byValue[k]!] = r;
    }
  }
  const keys = new Float64Array(n);

  const importance = new Float64Array(p);
  const grown: Tree[] = [];
  const idx = new Int32Array(n);
  const order = new Int32Array(n);
  const featurePool = Int32Array.from({ length: p }, (_, f) => f);
  for (let t = 0; t < trees; t++) {
    if (n === 0) {
      grown.push(leafOnly(0));
      continue;
    }
    for (let i = 0; i < n; i++) idx[i] = bootstrap ? rng.int(n) : i;
    const treeImportance = new Float64Array(p);
    const b = new TreeBuilder();
    const grow = (start: number, end: number, depth: number): number => {
      const m = end - start;
      let sum = 0;
      let sumSq = 0;
      for (let k = start; k < end; k++) {
        const v = ys[idx[k]!]!;
        sum += v;
        sumSq += v * v;
      }
      const mean = sum / m;
      const sse = sumSq - sum * mean;
      if (depth >= maxDepth || m < 2 * minLeaf || sse <= 1e-12 * Math.max(1, sumSq)) return b.leaf(mean);

      // Draw mtry distinct features (partial Fisher–Yates on the pool).
      let bestGain = 0;
      let bestFeature = -1;
      let bestThreshold = 0;
      for (let c = 0; c < mtry; c++) {
        const r = c + rng.int(p - c);
        const f = featurePool[r]!;
        featurePool[r] = featurePool[c]!;
        featurePool[c] = f;
        const col = f * n;
        const seg = keys.subarray(0, m);
        for (let q = 0; q < m; q++) seg[q] = ranks[col + idx[start + q]!]! * n + q;
        seg.sort();
        for (let q = 0; q < m; q++) {
          const key = seg[q]!;
          order[q] = idx[start + (key - Math.floor(key / n) * n)]!;
        }
        let sumL = 0;
        for (let k = 0; k < m - 1; k++) {
          sumL += ys[order[k]!]!;
          const nL = k + 1;
          if (nL < minLeaf) continue;
          if (m - nL < minLeaf) break;
          const r0 = ranks[col + order[k]!]!;
          const r1 = ranks[col + order[k + 1]!]!;
          if (r0 === r1) continue;
          const sumR = sum - sumL;
          const gain = (sumL * sumL) / nL + (sumR * sumR) / (m - nL) - sum * mean;
          if (gain > bestGain) {
            bestGain = gain;
            bestFeature = f;
            bestThreshold = (cols[col + order[k]!]! + cols[col + order[k + 1]!]!) / 2;
          }
        }
      }
      if (bestFeature < 0 || bestGain <= 1e-12 * Math.max(1, sse)) return b.leaf(mean);

      // Partition idx[start, end) into ≤ threshold | > threshold.
      const col = bestFeature * n;
      let lo = start;
      let hi = end - 1;
      while (lo <= hi) {
        if (cols[col + idx[lo]!]! <= bestThreshold) lo++;
        else {
          const tmp = idx[lo]!;
          idx[lo] = idx[hi]!;
          idx[hi--] = tmp;
        }
      }
      treeImportance[bestFeature]! += bestGain;
      const node = b.split(bestFeature, bestThreshold);
      b.setLeft(node, grow(start, lo, depth + 1));
      b.setRight(node, grow(lo, end, depth + 1));
      return node;
    };
    grow(0, n, 0);
    grown.push(b.build());
    let total = 0;
    for (let f = 0; f < p; f++) total += treeImportance[f]!;
    if (total > 0) for (let f = 0; f < p; f++) importance[f]! += treeImportance[f]! / total;
  }
  let total = 0;
  for (let f = 0; f < p; f++) total += importance[f]!;
  if (total > 0) for (let f = 0; f < p; f++) importance[f]! /= total;
  return { trees: grown, features: p, importance };
}

/** Mean of the trees' predictions for row-major x [n × p]. */
export function predictForest(forest: Forest, x: ArrayLike<number>, n: number): Float32Array {
  const p = forest.features;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (const t of forest.trees) {
      let node = 0;
      while (t.feature[node]! >= 0) node = x[i * p + t.feature[node]!]! <= t.threshold[node]! ? t.left[node]! : t.right[node]!;
      s += t.value[node]!;
    }
    out[i] = s / forest.trees.length;
  }
  return out;
}

/** Importance summed over lags, per input series (same order as layout.featureIds). */
export function importanceBySeries(importance: ArrayLike<number>, layout: WindowLayout): Float64Array {
  const f = layout.features;
  const out = new Float64Array(f);
  for (let j = 0; j < importance.length; j++) out[j % f]! += importance[j]!;
  return out;
}

export class RandomForest implements Forecaster {
  readonly name = 'random-forest';
  private forest: Forest | null = null;

  constructor(private readonly settings: ForestSettings = {}) {}

  fit(train: Examples): void {
    const p = train.layout.history * train.layout.features;
    this.forest = fitForest(train.x, train.y, train.n, p, this.settings);
  }

  predict(set: Examples): Float32Array {
    if (!this.forest) throw new Error('random forest: predict before fit');
    return predictForest(this.forest, set.x, set.n);
  }

  /** Mean decrease in impurity per flattened input (lag-major: index = lag × features + feature). */
  get importance(): Float64Array | null {
    return this.forest?.importance ?? null;
  }
}

class TreeBuilder {
  private feature: number[] = [];
  private threshold: number[] = [];
  private left: number[] = [];
  private right: number[] = [];
  private value: number[] = [];

  leaf(v: number): number {
    return this.push(-1, 0, v);
  }

  split(feature: number, threshold: number): number {
    return this.push(feature, threshold, 0);
  }

  setLeft(node: number, child: number): void {
    this.left[node] = child;
  }

  setRight(node: number, child: number): void {
    this.right[node] = child;
  }

  build(): Tree {
    return {
      feature: Int32Array.from(this.feature),
      threshold: Float64Array.from(this.threshold),
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      value: Float64Array.from(this.value),
    };
  }

  private push(f: number, t: number, v: number): number {
    this.feature.push(f);
    this.threshold.push(t);
    this.left.push(-1);
    this.right.push(-1);
    this.value.push(v);
    return this.feature.length - 1;
  }
}

function leafOnly(v: number): Tree {
  return { feature: Int32Array.of(-1), threshold: Float64Array.of(0), left: Int32Array.of(-1), right: Int32Array.of(-1), value: Float64Array.of(v) };
}
