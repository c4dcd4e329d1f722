import { describe, expect, it } from 'vitest';
import { Rng } from '../ml/rng.ts';
import { dtw, dtwScalar, euclidean, manhattan, offsetMatch } from './distance.ts';

/** The textbook O(nm) DTW: full matrix, L1 local cost, steps (1,0) (0,1) (1,1), optional band and open ends. */
function naiveDtw(a: number[][], b: number[][], band = Infinity, subsequence = false): number {
  const n = a.length;
  const m = b.length;
  const D: number[][] = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(Infinity));
  D[0]![0] = 0;
  if (subsequence) for (let j = 0; j <= m; j++) D[0]![j] = 0;
  const w = band === Infinity ? Infinity : Math.max(band, Math.abs(n - m));
  for (let i = 1; i <= n; i++)
    for (let j = 1; j <= m; j++) {
      if (Math.abs(i - j) > w) continue;
      D[i]![j] = manhattan(a[i - 1]!, b[j - 1]!) + Math.min(D[i - 1]![j]!, D[i]![j - 1]!, D[i - 1]![j - 1]!);
    }
  return subsequence ? Math.min(...D[n]!.slice(1)) : D[n]![m]!;
}

describe('DTW', () => {
  it('matches hand-computed values', () => {
    // a = [1, 2, 3], b = [1, 2, 2, 3]: 1↔1, 2↔2, 2↔2, 3↔3 costs 0.
    expect(dtwScalar([1, 2, 3], [1, 2, 2, 3])).toBe(0);
    // a = [0, 0], b = [1]: both 0s align with 1: |0−1| + |0−1| = 2.
    expect(dtwScalar([0, 0], [1])).toBe(2);
    // a = [1, 3, 4], b = [1, 2, 5]: cells D: row1 [0,1,5], row2 [2,1,3], row3 [5,3,2] → 2.
    expect(dtwScalar([1, 3, 4], [1, 2, 5])).toBe(2);
    // Vectors use the L1 local cost: |(0,0) − (1,2)| = 3.
    expect(dtw([[0, 0]], [[1, 2]])).toBe(3);
    // Subsequence: [5, 6] sits inside [0, 5, 6, 0] at no cost.
    expect(dtwScalar([5, 6], [0, 5, 6, 0], { subsequence: true })).toBe(0);
    expect(dtwScalar([5, 6], [0, 5, 6, 0])).toBe(11); // 5↔0, 5↔5, 6↔6, 6↔0
  });

  it('equals the naive O(nm) DTW on random sequences, with and without a band and open ends', () => {
    const rng = new Rng(5);
    for (let trial = 0; trial < 200; trial++) {
      const dim = 1 + rng.int(3);
      const a = Array.from({ length: 1 + rng.int(9) }, () => Array.from({ length: dim }, () => rng.normal()));
      const b = Array.from({ length: 1 + rng.int(12) }, () => Array.from({ length: dim }, () => rng.normal()));
      expect(dtw(a, b)).toBeCloseTo(naiveDtw(a, b), 10);
      const band = rng.int(4);
      expect(dtw(a, b, { band })).toBeCloseTo(naiveDtw(a, b, band), 10);
      expect(dtw(a, b, { subsequence: true })).toBeCloseTo(naiveDtw(a, b, Infinity, true), 10);
    }
  });

  it('is never below the unbanded DTW when banded, and equals Manhattan on equal lengths with band 0', () => {
    const rng = new Rng(9);
    for (let t = 0; t < 50; t++) {
      const a = Array.from({ length: 10 }, () => rng.normal());
      const b = Array.from({ length: 10 }, () => rng.normal());
      expect(dtwScalar(a, b, { band: 2 })).toBeGreaterThanOrEqual(dtwScalar(a, b) - 1e-12);
      expect(dtwScalar(a, b, { band: 0 })).toBeCloseTo(manhattan(a, b), 10);
    }
  });
});

describe('Euclidean and offset match', () => {
  it('euclidean is the L2 norm of the difference', () => {
    expect(euclidean([0, 3], [4, 0])).toBe(5);
    expect(() => euclidean([1], [1, 2])).toThrow();
  });

  it('slides the shorter phase sequence along the longer one', () => {
    const long = [[0], [1], [5], [6], [2]];
    const r = offsetMatch([[5], [6]], long);
    expect(r).toEqual({ distance: 0, offset: 2, aIsShorter: true });
    const r2 = offsetMatch(long, [[1.5], [5]]);
    expect(r2.offset).toBe(1);
    expect(r2.distance).toBeCloseTo(0.5, 12);
    expect(r2.aIsShorter).toBe(false);
  });
});
