import { describe, expect, it } from 'vitest';
import { Rng } from '../ml/rng.ts';
import { rmse } from './metrics.ts';
import { RandomForest, fitForest, importanceBySeries, predictForest } from './random-forest.ts';
import { frameFromColumns } from './series.ts';
import { makeWindows } from './windows.ts';

/** n rows of p uniform features in [0, 1) and a target from them. */
function toy(seed: number, n: number, p: number, f: (row: number[]) => number, noise = 0) {
  const rng = new Rng(seed);
  const x = new Float32Array(n * p);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: p }, () => rng.next());
    x.set(row, i * p);
    y[i] = f(row) + noise * rng.normal();
  }
  return { x, y };
}

describe('random forest', () => {
  it('fits a step function well', () => {
    const step = (r: number[]) => (r[0]! < 0.5 ? 1 : 3);
    const train = toy(1, 200, 1, step);
    const test = toy(2, 200, 1, step);
    const forest = fitForest(train.x, train.y, 200, 1, { trees: 20, seed: 5 });
    const pred = predictForest(forest, test.x, 200);
    // Only points within a hair of the step can be on the wrong side.
    expect(rmse(pred, test.y)).toBeLessThan(0.15);
    const middle = predictForest(forest, Float32Array.of(0.1, 0.9), 2);
    expect(middle[0]).toBeCloseTo(1, 2);
    expect(middle[1]).toBeCloseTo(3, 2);
  });

  it('is deterministic per seed and differs between seeds', () => {
    const f = (r: number[]) => Math.sin(6 * r[0]!) + r[1]!;
    const train = toy(3, 150, 3, f, 0.1);
    const test = toy(4, 50, 3, f);
    const a = predictForest(fitForest(train.x, train.y, 150, 3, { trees: 10, seed: 9 }), test.x, 50);
    const b = predictForest(fitForest(train.x, train.y, 150, 3, { trees: 10, seed: 9 }), test.x, 50);
    const c = predictForest(fitForest(train.x, train.y, 150, 3, { trees: 10, seed: 10 }), test.x, 50);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('beats the mean on a nonlinear problem', () => {
    const f = (r: number[]) => Math.sin(6 * r[0]!) * (r[1]! > 0.5 ? 2 : 1) + (r[2]! - 0.5) ** 2;
    const train = toy(5, 400, 4, f, 0.05);
    const test = toy(6, 200, 4, f);
    const pred = predictForest(fitForest(train.x, train.y, 400, 4, { trees: 50, seed: 1 }), test.x, 200);
    const mean = train.y.reduce((s, v) => s + v, 0) / 400;
    const meanRmse = rmse(new Float32Array(200).fill(mean), test.y);
    expect(rmse(pred, test.y)).toBeLessThan(0.3 * meanRmse);
  });

  it('finds the informative feature by mean decrease in impurity', () => {
    const train = toy(7, 300, 5, (r) => 4 * r[2]! ** 2, 0.05);
    const forest = fitForest(train.x, train.y, 300, 5, { trees: 30, seed: 2 });
    const imp = Array.from(forest.importance);
    expect(imp.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
    expect(imp.indexOf(Math.max(...imp))).toBe(2);
    expect(imp[2]).toBeGreaterThan(0.7);
  });

  it('respects max depth and min leaf size', () => {
    const train = toy(8, 100, 2, (r) => r[0]! + r[1]!);
    const stump = fitForest(train.x, train.y, 100, 2, { trees: 3, maxDepth: 1, seed: 1 });
    for (const t of stump.trees) expect(t.feature.length).toBeLessThanOrEqual(3);
    const big = fitForest(train.x, train.y, 100, 2, { trees: 1, minLeaf: 40, bootstrap: false, mtry: 2, seed: 1 });
    // 100 samples with ≥ 40 per leaf: at most two leaves, so one split.
    expect(big.trees[0]!.feature.filter((f) => f < 0).length).toBeLessThanOrEqual(2);
  });

  it('works as a Forecaster on windows, with importance per input series', () => {
    // y follows "driver" two intervals later; "noise" carries nothing.
    const rng = new Rng(11);
    const driver = Array.from({ length: 300 }, () => rng.next());
    const y = driver.map((_, i) => (i >= 2 ? driver[i - 2]! * 3 : 0));
    const noise = driver.map(() => rng.next());
    const w = makeWindows(frameFromColumns({ y, driver, noise }), { targetId: 'y', inputIds: ['noise', 'driver'], horizon: 1, history: 2 });
    const rf = new RandomForest({ trees: 30, seed: 3 });
    rf.fit(w.train);
    const pred = rf.predict(w.test);
    expect(rmse(pred, w.test.y)).toBeLessThan(0.2);
    const bySeries = importanceBySeries(rf.importance!, w.layout);
    expect(bySeries[1]).toBeGreaterThan(0.8);
  });
});
