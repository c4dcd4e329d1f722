import { describe, expect, it } from 'vitest';
import { Rng } from '../ml/rng.ts';
import { cholesky, choleskySolve } from './cholesky.ts';
import { fitRidge } from './ridge.ts';

describe('ridge', () => {
  // Hand-solved: x̄ = 0, ȳ = 1, centred XᵀX = 2I, Xᵀ(y − ȳ) = [4, 2], so β = [4, 2] / (2 + λ), intercept = 1.
  const x = [1, 0, -1, 0, 0, 1, 0, -1];
  const y = [3, -1, 2, 0];

  it('matches a hand-solved 2-feature problem without penalty', () => {
    const r = fitRidge(x, y, 4, 2, 0);
    expect(r.weights[0]).toBeCloseTo(2, 12);
    expect(r.weights[1]).toBeCloseTo(1, 12);
    expect(r.intercept).toBeCloseTo(1, 12);
  });

  it('matches the hand solution with λ = 2, and does not penalise the intercept', () => {
    const r = fitRidge(x, y, 4, 2, 2);
    expect(r.weights[0]).toBeCloseTo(1, 12);
    expect(r.weights[1]).toBeCloseTo(0.5, 12);
    expect(r.intercept).toBeCloseTo(1, 12);
    // A huge penalty shrinks the weights to 0 but leaves the intercept at the mean of y.
    const big = fitRidge(x, y, 4, 2, 1e12);
    expect(Math.abs(big.weights[0]!)).toBeLessThan(1e-9);
    expect(big.intercept).toBeCloseTo(1, 9);
  });

  it('recovers the exact coefficients of noiseless linear data', () => {
    const rng = new Rng(7);
    const n = 50;
    const p = 4;
    const truth = [2, -1, 0.5, 3];
    const xs = new Float64Array(n * p);
    const ys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let v = 5; // intercept, far from 0 so that an unpenalised intercept matters
      for (let j = 0; j < p; j++) {
        xs[i * p + j] = rng.normal() + j; // non-centred columns
        v += truth[j]! * xs[i * p + j]!;
      }
      ys[i] = v;
    }
    const r = fitRidge(xs, ys, n, p, 0);
    truth.forEach((w, j) => expect(r.weights[j]).toBeCloseTo(w, 9));
    expect(r.intercept).toBeCloseTo(5, 9);
  });

  it('uses the dual system when features outnumber examples, with the same solution as the primal one', () => {
    const rng = new Rng(3);
    const n = 6;
    const p = 10;
    const lambda = 0.7;
    const xs = Float64Array.from({ length: n * p }, () => rng.normal());
    const ys = Float64Array.from({ length: n }, () => rng.normal());
    const r = fitRidge(xs, ys, n, p, lambda);
    // Primal solution by hand: (XcᵀXc + λI) β = Xcᵀ yc.
    const xm = new Float64Array(p);
    let ym = 0;
    for (let i = 0; i < n; i++) {
      ym += ys[i]! / n;
      for (let j = 0; j < p; j++) xm[j]! += xs[i * p + j]! / n;
    }
    const a = new Float64Array(p * p);
    const b = new Float64Array(p);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < p; j++) {
        b[j]! += (xs[i * p + j]! - xm[j]!) * (ys[i]! - ym);
        for (let m = 0; m < p; m++) a[j * p + m]! += (xs[i * p + j]! - xm[j]!) * (xs[i * p + m]! - xm[m]!);
      }
    }
    for (let j = 0; j < p; j++) a[j * p + j]! += lambda;
    const beta = choleskySolve(cholesky(a, p)!, p, b);
    for (let j = 0; j < p; j++) expect(r.weights[j]).toBeCloseTo(beta[j]!, 9);
  });

  it('still solves a singular system (collinear features, λ = 0) with a tiny jitter', () => {
    const xs = [1, 2, 2, 4, 3, 6, 4, 8]; // second column = 2 × first
    const ys = [1, 2, 3, 4];
    const r = fitRidge(xs, ys, 4, 2, 0);
    expect(r.lambda).toBeGreaterThan(0);
    for (let i = 0; i < 4; i++) expect(r.intercept + xs[2 * i]! * r.weights[0]! + xs[2 * i + 1]! * r.weights[1]!).toBeCloseTo(ys[i]!, 5);
  });
});

describe('Ridge forecaster', () => {
  it('chooses λ on validation examples only, and predicts the fitted line', async () => {
    const { frameFromColumns } = await import('./series.ts');
    const { makeWindows } = await import('./windows.ts');
    const { Ridge } = await import('./ridge.ts');
    const rng = new Rng(5);
    const driver = Array.from({ length: 200 }, () => rng.normal());
    const y = driver.map((_, i) => (i > 0 ? 2 * driver[i - 1]! + 1 : 1));
    const w = makeWindows(frameFromColumns({ y, driver }), { targetId: 'y', inputIds: ['driver'], horizon: 1, history: 1 });
    const fixed = new Ridge({ lambda: 0 });
    fixed.fit(w.train);
    // y(t+1) = 2·driver(t) + 1 exactly: on z-scored inputs the weight is 2·std and the fit is exact.
    const pred = fixed.predict(w.test);
    for (let e = 0; e < w.test.n; e++) expect(pred[e]).toBeCloseTo(w.test.y[e]!, 4);
    const auto = new Ridge();
    auto.fit(w.train, w.val);
    expect(auto.fitted!.lambda).toBe(0.01); // the least penalty wins on noiseless data
    // Without validation examples, 'auto' falls back to λ = 1.
    const noVal = new Ridge();
    noVal.fit(w.train);
    expect(noVal.fitted!.lambda).toBe(1);
  });
});
