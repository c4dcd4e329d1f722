import { describe, expect, it } from 'vitest';
import { Rng } from '../ml/rng.ts';
import { bocpd, bocpdWithPosteriors, segmentLogMarginal, studentTLogPdf } from './bocpd.ts';
import { logGamma, logSumExp } from './math.ts';

const PRIOR = { mu0: 0, kappa0: 1, alpha0: 1, beta0: 1 };

/**
 * The run-length posterior by brute force: every segmentation of x_0..x_t, weighted by the constant-hazard prior
 * (a new segment starts at each later point with probability H) and the closed-form normal-gamma marginal
 * likelihood of each segment; p(r_t = r) sums the segmentations whose last segment starts at t − r.
 */
function bruteRunLength(x: number[], t: number, lambda: number): Map<number, number> {
  const H = 1 / lambda;
  const logJoint = new Map<number, number[]>();
  for (let mask = 0; mask < 1 << t; mask++) {
    const starts = [0];
    for (let i = 1; i <= t; i++) if (mask & (1 << (i - 1))) starts.push(i);
    let lp = (starts.length - 1) * Math.log(H) + (t - (starts.length - 1)) * Math.log(1 - H);
    for (let k = 0; k < starts.length; k++) lp += segmentLogMarginal(x.slice(starts[k], k + 1 < starts.length ? starts[k + 1] : t + 1), PRIOR);
    const r = t - starts[starts.length - 1]!;
    if (!logJoint.has(r)) logJoint.set(r, []);
    logJoint.get(r)!.push(lp);
  }
  const z = logSumExp([...logJoint.values()].map((v) => logSumExp(v)));
  return new Map([...logJoint].map(([r, v]) => [r, logSumExp(v) - z]));
}

describe('Bayesian online change point detection', () => {
  it('logGamma and the Student-t density match known values', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    // Student-t with ν = 1 is the Cauchy: 1 / π at 0.
    expect(studentTLogPdf(0, 1, 0, 1)).toBeCloseTo(-Math.log(Math.PI), 12);
    // ν = 2, x = 1: Γ(1.5) / (Γ(1) √(2π)) (1 + 1/2)^(−1.5) = 0.19245…
    expect(Math.exp(studentTLogPdf(1, 2, 0, 1))).toBeCloseTo(0.19245008972987526, 12);
  });

  it('gives the run-length posterior of a hand-checkable case: the enumeration of every segmentation', () => {
    const x = [0.1, -0.2, 0.05, 4.2, 3.9, 4.1, 0.0];
    const r = bocpdWithPosteriors(x, { ...PRIOR, lambda: 5, maxRunLength: 100, minSegment: 1 });
    for (let t = 0; t < x.length; t++) {
      const want = bruteRunLength(x, t, 5);
      const got = r.logPosteriors[t]!;
      expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [k, v] of want) expect(got.get(k)!).toBeCloseTo(v, 9);
    }
    // The jump at index 3 and the drop at 6 are the segment starts.
    expect(r.changePoints).toEqual([3, 6]);
  });

  it('finds the known change points of piecewise-constant series', () => {
    const rng = new Rng(42);
    for (let trial = 0; trial < 10; trial++) {
      const lens = [20 + rng.int(20), 20 + rng.int(20), 20 + rng.int(20), 20 + rng.int(20)];
      const levels = [0, 3, -2, 1.5].map((l) => l + 0.3 * rng.normal());
      const x: number[] = [];
      lens.forEach((len, k) => {
        for (let i = 0; i < len; i++) x.push(levels[k]! + 0.4 * rng.normal());
      });
      const truth = [lens[0]!, lens[0]! + lens[1]!, lens[0]! + lens[1]! + lens[2]!];
      const got = bocpd(x, { lambda: 30, mu0: 0, kappa0: 0.1, alpha0: 1, beta0: 0.1 }).changePoints;
      expect(got.length).toBe(3);
      got.forEach((c, i) => expect(Math.abs(c - truth[i]!)).toBeLessThanOrEqual(2));
    }
  });

  it('truncation keeps the answer when the dropped mass is negligible', () => {
    const rng = new Rng(1);
    const x = Array.from({ length: 150 }, (_, i) => (i < 70 ? 0 : 2) + 0.3 * rng.normal());
    const full = bocpd(x, { maxRunLength: 1000 });
    const cut = bocpd(x, { maxRunLength: 40 });
    expect(cut.changePoints).toEqual(full.changePoints);
    expect(full.changePoints).toEqual([70]);
  });
});
