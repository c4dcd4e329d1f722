import { describe, expect, it } from 'vitest';
import { Rng } from '../ml/rng.ts';
import { PairStream, epochPairs, keepProbabilities, negativeTable, negativeTableSize, subsampleInto } from './skipgram-pairs.ts';

describe('subsampling', () => {
  it('keeps each token with word2vec\'s probability (sqrt(f/t) + 1)·t/f', () => {
    const counts = [900_000, 90_000, 9_000, 1_000];
    const t = 1e-3;
    const keep = keepProbabilities(counts, t);
    const total = 1_000_000;
    counts.forEach((c, i) => {
      const f = c / total;
      expect(keep[i]).toBeCloseTo(Math.min(1, (Math.sqrt(f / t) + 1) * (t / f)), 12);
    });
    expect(keep[3]).toBe(1); // f = t: (1 + 1)·1 = 2, capped
    expect(Array.from(keepProbabilities(counts, 0))).toEqual([1, 1, 1, 1]);
  });

  it('drops frequent tokens at the expected rate', () => {
    // 200k tokens: token 0 is 90% of them; with t = 1e-3 it survives with p ≈ 0.0344.
    const rng = new Rng(11);
    const n = 200_000;
    const seq = Int32Array.from({ length: n }, () => (rng.next() < 0.9 ? 0 : 1 + rng.int(50)));
    const counts = new Float64Array(51);
    for (const x of seq) counts[x]!++;
    const keep = keepProbabilities(counts, 1e-3);
    const out = new Int32Array(n);
    const m = subsampleInto(seq, keep, new Rng(12), out);
    const kept0 = out.subarray(0, m).filter((x) => x === 0).length;
    const p = keep[0]!;
    const mean = counts[0]! * p;
    const sd = Math.sqrt(counts[0]! * p * (1 - p));
    // 6 standard deviations: a failure means the rate is wrong, not bad luck.
    expect(Math.abs(kept0 - mean)).toBeLessThan(6 * sd);
    expect(p).toBeGreaterThan(0.03);
    expect(p).toBeLessThan(0.04);
    // Rare tokens (f ≈ 0.002 → p ≈ 0.72) lose fewer.
    const keptRare = out.subarray(0, m).filter((x) => x === 7).length;
    expect(keptRare / counts[7]!).toBeGreaterThan(0.6);
  });
});

describe('negative table', () => {
  it('gives each token a share of count^0.75 / Σ count^0.75, exact to one entry', () => {
    const counts = [1000, 100, 10, 1, 0, 50];
    const size = 1 << 16;
    const table = negativeTable(counts, size);
    const hist = new Float64Array(counts.length);
    for (const x of table) hist[x]!++;
    const pow = counts.map((c) => Math.pow(c, 0.75));
    const total = pow.reduce((a, b) => a + b, 0);
    counts.forEach((_, i) => expect(Math.abs(hist[i]! - (pow[i]! / total) * size), `token ${i}`).toBeLessThanOrEqual(1));
    expect(hist[4]).toBe(0);
    // 0.75 flattens the distribution: the rarest token gets more than its unigram share.
    expect(hist[3]! / size).toBeGreaterThan(1 / 1161);
  });

  it('draws negatives in those proportions through a uniform index', () => {
    const counts = [500, 200, 100];
    const table = negativeTable(counts, 4096);
    const rng = new Rng(3);
    const draws = 60_000;
    const hist = [0, 0, 0];
    for (let i = 0; i < draws; i++) hist[table[(rng.next() * table.length) | 0]!]!++;
    const pow = counts.map((c) => c ** 0.75);
    const total = pow.reduce((a, b) => a + b, 0);
    pow.forEach((w, i) => {
      const p = w / total;
      expect(Math.abs(hist[i]! - draws * p)).toBeLessThan(6 * Math.sqrt(draws * p * (1 - p)) + 0.001 * draws);
    });
  });

  it('sizes the table at ~200 entries per token within [2^12, 2^20]', () => {
    expect(negativeTableSize(10)).toBe(4096);
    expect(negativeTableSize(300)).toBe(65536);
    expect(negativeTableSize(1e6)).toBe(1 << 20);
  });
});

describe('pairs', () => {
  it('pairs each position with neighbours within a random window of 1..w on both sides', () => {
    const sent = Int32Array.from({ length: 1000 }, (_, i) => i);
    const { centers, contexts } = epochPairs([sent], null, 3, new Rng(1));
    const byDistance = [0, 0, 0, 0];
    for (let i = 0; i < centers.length; i++) {
      const d = Math.abs(centers[i]! - contexts[i]!);
      expect(d).toBeGreaterThanOrEqual(1);
      expect(d).toBeLessThanOrEqual(3);
      byDistance[d]!++;
    }
    // Distance d is inside the drawn window with probability (w - d + 1) / w: 3:2:1.
    expect(byDistance[1]! / byDistance[3]!).toBeGreaterThan(2.6);
    expect(byDistance[1]! / byDistance[3]!).toBeLessThan(3.4);
    expect(byDistance[2]! / byDistance[3]!).toBeGreaterThan(1.7);
    expect(byDistance[2]! / byDistance[3]!).toBeLessThan(2.3);
  });

  it('never pairs across sentences, and gives the same pairs in any buffer size', () => {
    const a = Int32Array.from([0, 1, 2, 3]);
    const b = Int32Array.from([10, 11, 12]);
    const whole = epochPairs([a, b], null, 5, new Rng(9));
    for (let i = 0; i < whole.centers.length; i++) expect(whole.centers[i]! < 10).toBe(whole.contexts[i]! < 10);
    const stream = new PairStream([a, b], null, 5, new Rng(9));
    const c = new Int32Array(3);
    const x = new Int32Array(3);
    const got: number[] = [];
    for (let n; (n = stream.fill(c, x)) > 0; ) for (let i = 0; i < n; i++) got.push(c[i]!, x[i]!);
    const want: number[] = [];
    for (let i = 0; i < whole.centers.length; i++) want.push(whole.centers[i]!, whole.contexts[i]!);
    expect(got).toEqual(want);
    expect(stream.tokensDone).toBe(7);
    expect(stream.totalTokens).toBe(7);
  });
});
