import { describe, expect, it } from 'vitest';
import { pearson, ranks, spearman } from './correlation.ts';
import { fitIsotonic, predictIsotonic } from './isotonic.ts';

describe('isotonic regression (pool adjacent violators)', () => {
  it('pools violators into their mean', () => {
    const m = fitIsotonic([1, 2, 3, 4], [1, 3, 2, 4]);
    expect(Array.from(m.y)).toEqual([1, 2.5, 4]);
    expect(Array.from(m.x)).toEqual([1, 2, 4]);
    expect([0, 1, 2, 3, 3.5, 4, 9].map((v) => predictIsotonic(m, v))).toEqual([1, 1, 2.5, 2.5, 2.5, 4, 4]);
  });

  it('fits unsorted input, pools ties in x, and honours weights', () => {
    // x = 2 appears twice (targets 5 and 1, mean 3); then 3 → 2 violates and pools with it: (3·2 + 2) / 3.
    const m = fitIsotonic([3, 2, 1, 2], [2, 5, 0, 1]);
    expect(Array.from(m.y).map((v) => +v.toFixed(12))).toEqual([0, +(8 / 3).toFixed(12)]);
    const w = fitIsotonic([1, 2], [2, 1], true, [3, 1]);
    expect(Array.from(w.y)).toEqual([1.75]);
  });

  it('fits a decreasing function when asked, with a squared error no worse than the mean\'s', () => {
    const x = [1, 2, 3, 4, 5, 6];
    const y = [9, 7, 8, 4, 5, 1];
    const m = fitIsotonic(x, y, false);
    const fitted = x.map((v) => predictIsotonic(m, v));
    for (let i = 1; i < fitted.length; i++) expect(fitted[i]!).toBeLessThanOrEqual(fitted[i - 1]!);
    expect(fitted).toEqual([9, 7.5, 7.5, 4.5, 4.5, 1]);
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    const sse = (f: (i: number) => number) => y.reduce((s, v, i) => s + (v - f(i)) ** 2, 0);
    expect(sse((i) => fitted[i]!)).toBeLessThanOrEqual(sse(() => mean));
  });

  it('refuses empty or mismatched data', () => {
    expect(() => fitIsotonic([], [])).toThrow(/no data/);
    expect(() => fitIsotonic([1, 2], [1])).toThrow(/2 inputs but 1 targets/);
  });
});

describe('correlation', () => {
  it('Pearson: ±1 on exact lines, a known value, NaN on a constant series', () => {
    expect(pearson([1, 2, 3, 4], [2, 4, 6, 8])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3, 4], [8, 6, 4, 2])).toBeCloseTo(-1, 12);
    // x = 1..5, y = 2, 4, 5, 4, 5: r = 6 / sqrt(10 · 6) = 0.7745966692
    expect(pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])).toBeCloseTo(0.7745966692, 9);
    expect(pearson([1, 2, 3], [5, 5, 5])).toBeNaN();
  });

  it('Spearman: mean ranks for ties; 1 for any increasing relation', () => {
    expect(Array.from(ranks([10, 20, 20, 30]))).toEqual([1, 2.5, 2.5, 4]);
    expect(spearman([1, 2, 3, 4, 5], [1, 8, 27, 64, 125])).toBeCloseTo(1, 12);
    // Ranks x = 1..5, y = 1, 2.5, 4.5, 2.5, 4.5: Σ dx·dy = 7, Σ dx² = 10, Σ dy² = 9, so ρ = 7 / √90.
    expect(spearman([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])).toBeCloseTo(7 / Math.sqrt(90), 12);
  });
});
