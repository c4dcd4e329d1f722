import type { SeriesFrame } from './series.ts';
import type { Examples, Normaliser, WindowLayout } from './types.ts';

/**
 * Supervised examples for "the target h intervals after the last of k input intervals".
 *
 * Split rule. The frame's intervals are cut chronologically into train | validation | test by fractions (default
 * 0.6 / 0.2 / 0.2). An example belongs to the split that holds its *target* interval (t + h). With the default
 * `inputsFrom: 'earlier-splits'` its input window may reach back into earlier splits: a validation example may read
 * training intervals and a test example validation (or training) intervals, as a forecaster deployed at that
 * moment would; never anything later than t. Consequences:
 *  - a training example (target < trainEnd, inputs before it) sees only the training range, so nothing fitted on
 *    training examples (weights, normaliser) ever sees a validation or test value, and no test target value is
 *    used for fitting anything;
 *  - the test examples are the same targets (every test interval) for every horizon and history, so the error map
 *    compares like with like (with `own-split`, longer windows would lose test examples at the boundary).
 * `inputsFrom: 'own-split'` keeps the whole window (inputs and target) inside one split, for a stricter check.
 */

export interface SplitFractions {
  /** Share of intervals for training; default 0.6. */
  readonly train: number;
  /** Share for validation; default 0.2. Test is the rest. */
  readonly val: number;
}

export const DEFAULT_FRACTIONS: SplitFractions = { train: 0.6, val: 0.2 };

export interface SplitBounds {
  /** Intervals in the frame. */
  readonly n: number;
  /** Training intervals are [0, trainEnd), validation [trainEnd, valEnd), test [valEnd, n). */
  readonly trainEnd: number;
  readonly valEnd: number;
}

export interface WindowOptions {
  readonly targetId: string;
  readonly inputIds: readonly string[];
  readonly horizon: number;
  readonly history: number;
  readonly fractions?: SplitFractions;
  readonly inputsFrom?: 'earlier-splits' | 'own-split';
}

export interface WindowSets {
  readonly layout: WindowLayout;
  readonly bounds: SplitBounds;
  readonly train: Examples;
  readonly val: Examples;
  readonly test: Examples;
}

export function splitBounds(n: number, fractions: SplitFractions = DEFAULT_FRACTIONS): SplitBounds {
  const { train, val } = fractions;
  if (!(train > 0 && val >= 0 && train + val < 1)) throw new Error(`split fractions must have train > 0, val >= 0 and train + val < 1, got ${train} / ${val}`);
  const trainEnd = Math.round(n * train);
  const valEnd = Math.max(trainEnd, Math.round(n * (train + val)));
  return { n, trainEnd, valEnd };
}

/** z-score parameters per input series and for the target, from intervals [0, trainEnd) only. */
export function fitNormaliser(frame: SeriesFrame, inputIds: readonly string[], targetId: string, trainEnd: number): Normaliser {
  const mean = new Float32Array(inputIds.length);
  const std = new Float32Array(inputIds.length);
  inputIds.forEach((id, q) => {
    const s = stats(column(frame, id), trainEnd);
    mean[q] = s.mean;
    std[q] = s.std;
  });
  const t = stats(column(frame, targetId), trainEnd);
  return { featureIds: [...inputIds], mean, std, targetMean: t.mean, targetStd: t.std };
}

/** Train, validation and test examples for one horizon and history, normalised with the training range. */
export function makeWindows(frame: SeriesFrame, options: WindowOptions): WindowSets {
  const { targetId, inputIds, horizon: h, history: k } = options;
  if (!Number.isInteger(h) || h < 1) throw new Error(`horizon must be a positive integer, got ${h}`);
  if (!Number.isInteger(k) || k < 1) throw new Error(`history must be a positive integer, got ${k}`);
  if (inputIds.length === 0) throw new Error('at least one input series is needed');
  const n = frame.tNs.length;
  const bounds = splitBounds(n, options.fractions);
  const norm = fitNormaliser(frame, inputIds, targetId, bounds.trainEnd);
  const layout: WindowLayout = { history: k, horizon: h, featureIds: [...inputIds], features: inputIds.length, targetId, norm };
  const cols = inputIds.map((id) => column(frame, id));
  const target = column(frame, targetId);
  const own = options.inputsFrom === 'own-split';
  const build = (lo: number, hi: number): Examples => {
    // Target j needs inputs j−h−k+1 .. j−h, all ≥ 0 (or ≥ lo when windows stay inside their split).
    const first = Math.max(lo, (own ? lo : 0) + h + k - 1);
    const count = Math.max(0, hi - first);
    const f = cols.length;
    const x = new Float32Array(count * k * f);
    const y = new Float32Array(count);
    const lastTargets = new Float32Array(count * k);
    const targetIndex = new Int32Array(count);
    for (let e = 0; e < count; e++) {
      const j = first + e;
      const start = j - h - k + 1;
      targetIndex[e] = j;
      y[e] = target[j]!;
      for (let l = 0; l < k; l++) {
        const row = start + l;
        lastTargets[e * k + l] = target[row]!;
        const base = (e * k + l) * f;
        for (let q = 0; q < f; q++) x[base + q] = (cols[q]![row]! - norm.mean[q]!) / norm.std[q]!;
      }
    }
    return { layout, n: count, x, y, lastTargets, targetIndex };
  };
  return {
    layout,
    bounds,
    train: build(0, bounds.trainEnd),
    val: build(bounds.trainEnd, bounds.valEnd),
    test: build(bounds.valEnd, n),
  };
}

function column(frame: SeriesFrame, id: string): Float32Array {
  const c = frame.columns.get(id);
  if (!c) throw new Error(`series "${id}" is not in the frame`);
  return c;
}

function stats(v: Float32Array, end: number): { mean: number; std: number } {
  const m = Math.min(end, v.length);
  if (m === 0) return { mean: 0, std: 1 };
  let sum = 0;
  for (let i = 0; i < m; i++) sum += v[i]!;
  const mean = sum / m;
  let ss = 0;
  for (let i = 0; i < m; i++) ss += (v[i]! - mean) ** 2;
  const std = Math.sqrt(ss / m);
  // Constant on the training range: dividing by 1 keeps it at 0 instead of ±Infinity / NaN.
  return { mean, std: std > 1e-12 * Math.max(1, Math.abs(mean)) ? std : 1 };
}
