import { describe, expect, it } from 'vitest';
import { cosineSimilarity, nearestNeighbours, pca2, symmetricEigen } from './projection.ts';

const matrix = (rows: number[][]) => ({ data: Float32Array.from(rows.flat()), rows: rows.length, dim: rows[0]!.length });

describe('symmetricEigen', () => {
  it('finds the known eigen-pairs of a symmetric matrix', () => {
    // [[2,1,0],[1,2,0],[0,0,5]]: eigenvalues 5 (e3), 3 ((1,1,0)/√2), 1 ((1,-1,0)/√2).
    const e = symmetricEigen([2, 1, 0, 1, 2, 0, 0, 0, 5], 3);
    expect(Array.from(e.values).map((v) => Number(v.toFixed(10)))).toEqual([5, 3, 1]);
    const r = Math.SQRT1_2;
    expect(Array.from(e.vectors[0]!).map(Math.abs)).toEqual([0, 0, 1].map((x) => expect.closeTo(x, 10)));
    expect(Array.from(e.vectors[1]!).map(Math.abs)).toEqual([r, r, 0].map((x) => expect.closeTo(x, 10)));
    expect(Math.abs(e.vectors[2]![0]! + e.vectors[2]![1]!)).toBeLessThan(1e-10);
  });

  it('satisfies A·v = λ·v with orthonormal vectors on a random 12 × 12 matrix', () => {
    const n = 12;
    const b = Array.from({ length: n * n }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = b[i * n + j]! + b[j * n + i]!;
    const e = symmetricEigen(a, n);
    for (let k = 0; k < n; k++) {
      const v = e.vectors[k]!;
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += a[i * n + j]! * v[j]!;
        expect(av).toBeCloseTo(e.values[k]! * v[i]!, 9);
      }
      for (let m = 0; m < n; m++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += v[i]! * e.vectors[m]![i]!;
        expect(dot).toBeCloseTo(k === m ? 1 : 0, 9);
      }
      if (k > 0) expect(e.values[k]!).toBeLessThanOrEqual(e.values[k - 1]!);
    }
  });
});

describe('pca2', () => {
  it('finds the direction of points on a line, with all the variance on it', () => {
    // Points t·(1, 2, 2)/3 + (5, 5, 5): one axis, along (1,2,2)/3.
    const rows = [-3, -1, 0, 2, 4, 7].map((t) => [5 + t / 3, 5 + (2 * t) / 3, 5 + (2 * t) / 3]);
    const p = pca2(matrix(rows));
    const [c0] = p.components;
    expect(Math.abs(c0[0]!)).toBeCloseTo(1 / 3, 6);
    expect(Math.abs(c0[1]!)).toBeCloseTo(2 / 3, 6);
    expect(Math.abs(c0[2]!)).toBeCloseTo(2 / 3, 6);
    expect(p.explained[0]).toBeCloseTo(1, 6);
    expect(p.explained[1]).toBeCloseTo(0, 6);
    // Coordinates are the t's, centred (mean t = 1.5), up to the axis' sign.
    const ts = [-3, -1, 0, 2, 4, 7].map((t) => t - 1.5);
    const sign = Math.sign(p.points[0]! / ts[0]!);
    ts.forEach((t, i) => expect(p.points[i * 2]!).toBeCloseTo(sign * t, 5));
    expect(p.variances[0]).toBeCloseTo(ts.reduce((a, t) => a + t * t, 0) / ts.length, 5);
  });

  it('splits variance between two axes in proportion', () => {
    // A cross: x spread ±2, y spread ±1 → variances 2:0.5, explained 0.8 and 0.2.
    const p = pca2(matrix([[2, 0, 0], [-2, 0, 0], [0, 1, 0], [0, -1, 0]]));
    expect(p.explained[0]).toBeCloseTo(0.8, 9);
    expect(p.explained[1]).toBeCloseTo(0.2, 9);
    expect(Math.abs(p.components[0][0]!)).toBeCloseTo(1, 9);
    expect(Math.abs(p.components[1][1]!)).toBeCloseTo(1, 9);
  });
});

describe('nearest neighbours', () => {
  it('ranks rows by cosine similarity, excluding the row itself', () => {
    const m = matrix([
      [1, 0],
      [10, 1], // nearly the same direction as row 0, much longer: cosine ignores length
      [0, 1],
      [-1, 0],
      [1, 1],
    ]);
    const nn = nearestNeighbours(m, 0, 3);
    expect(nn.map((n) => n.index)).toEqual([1, 4, 2]);
    expect(nn[0]!.similarity).toBeCloseTo(10 / Math.sqrt(101), 6);
    expect(nn[1]!.similarity).toBeCloseTo(Math.SQRT1_2, 6);
    expect(nearestNeighbours(m, 0, 10)).toHaveLength(4);
    expect(cosineSimilarity(m, 0, 3)).toBeCloseTo(-1, 9);
    expect(() => nearestNeighbours(m, 5, 1)).toThrow(/no row 5/);
  });
});
