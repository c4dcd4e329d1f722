import { describe, expect, it } from 'vitest';
import { Rng } from '../ml/rng.ts';
import { gbtPredict, gbtProba, trainGbt } from './gbt.ts';

function blobs(n: number, rng: Rng): { X: number[][]; y: number[] } {
  const centres = [[0, 0], [5, 5], [0, 5], [5, 0]];
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 4;
    X.push([centres[k]![0]! + 0.7 * rng.normal(), centres[k]![1]! + 0.7 * rng.normal(), rng.normal()]);
    y.push(k);
  }
  return { X, y };
}

describe('histogram gradient-boosted trees (softmax)', () => {
  it('learns XOR, which no single split and no linear model can', () => {
    const rng = new Rng(3);
    const X: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 400; i++) {
      const a = rng.next() * 2 - 1;
      const b = rng.next() * 2 - 1;
      X.push([a, b]);
      y.push(a * b > 0 ? 1 : 0);
    }
    const m = trainGbt(X.slice(0, 300), y.slice(0, 300), 2, { rounds: 40, colsample: 1, maxDepth: 2 });
    let ok = 0;
    for (let i = 300; i < 400; i++) if (gbtPredict(m, X[i]!) === y[i]) ok++;
    expect(ok / 100).toBeGreaterThan(0.93);
  });

  it('separates four Gaussian blobs (test accuracy ≥ 0.97) with probabilities summing to one', () => {
    const rng = new Rng(8);
    const train = blobs(200, rng);
    const test = blobs(200, rng);
    const m = trainGbt(train.X, train.y, 4, { rounds: 30 });
    let ok = 0;
    test.X.forEach((x, i) => {
      if (gbtPredict(m, x) === test.y[i]) ok++;
      const p = gbtProba(m, x);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    });
    expect(ok / test.X.length).toBeGreaterThanOrEqual(0.97);
  });

  it('is deterministic for a seed', () => {
    const d = blobs(80, new Rng(1));
    const a = trainGbt(d.X, d.y, 4, { seed: 5, colsample: 0.5, subsample: 0.8 });
    const b = trainGbt(d.X, d.y, 4, { seed: 5, colsample: 0.5, subsample: 0.8 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('with one round of depth 1 and no shrinkage, the leaf is the Newton step −G / (H + λ)', () => {
    // Two classes, balanced: base score log(0.5) for both, p = 0.5, g = ±0.5, h = 0.25.
    const X = [[0], [0], [1], [1]];
    const y = [0, 0, 1, 1];
    const m = trainGbt(X, y, 2, { rounds: 1, maxDepth: 1, learningRate: 1, lambda: 1, colsample: 1, minChildWeight: 0 });
    // Left leaf (x = 0) for class 0: G = 2 · (0.5 − 1) = −1, H = 0.5 → 1 / 1.5.
    const p0 = gbtProba(m, [0]);
    const s0 = 1 / 1.5;
    const s1 = -1 / 1.5;
    expect(p0[0]).toBeCloseTo(Math.exp(s0) / (Math.exp(s0) + Math.exp(s1)), 12);
  });
});
