import { describe, expect, it } from 'vitest';
import { Rng } from '../ml/rng.ts';
import { pelt, segmentCost, type PeltCost } from './pelt.ts';

/** Exhaustive optimal partitioning: every subset of change points, segments at least minSize long. */
function exhaustive(x: number[], cost: PeltCost, penalty: number, minSize: number): { cps: number[]; objective: number } {
  const n = x.length;
  const c = segmentCost(x, cost);
  let best = { cps: [] as number[], objective: Infinity };
  for (let mask = 0; mask < 1 << (n - 1); mask++) {
    const cps: number[] = [];
    for (let i = 1; i < n; i++) if (mask & (1 << (i - 1))) cps.push(i);
    const bounds = [0, ...cps, n];
    let ok = true;
    let obj = penalty * cps.length;
    for (let k = 0; k + 1 < bounds.length; k++) {
      if (bounds[k + 1]! - bounds[k]! < minSize) ok = false;
      obj += c(bounds[k]!, bounds[k + 1]!);
    }
    if (ok && obj < best.objective - 1e-12) best = { cps, objective: obj };
  }
  return best;
}

function piecewise(levels: number[], len: number, noise: number, rng: Rng): number[] {
  const out: number[] = [];
  for (const l of levels) for (let i = 0; i < len; i++) out.push(l + noise * rng.normal());
  return out;
}

describe('PELT', () => {
  it.each(['l2', 'rbf'] as const)('equals exhaustive optimal partitioning on small series (%s cost)', (cost) => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 40; trial++) {
      const n = 6 + rng.int(7); // 6..12
      const x = Array.from({ length: n }, () => (rng.next() < 0.5 ? 0 : 3) + rng.normal());
      const penalty = cost === 'l2' ? 0.5 + 4 * rng.next() : 0.2 + rng.next();
      const minSize = 1 + rng.int(3);
      const got = pelt(x, { cost, penalty, minSize });
      const want = exhaustive(x, cost, penalty, minSize);
      expect(got.objective).toBeCloseTo(want.objective, 9);
      expect(got.changePoints).toEqual(want.cps);
    }
  });

  it('finds known change points of a piecewise-constant series (l2 and rbf)', () => {
    const x = piecewise([0, 5, 1, 6], 30, 0.5, new Rng(3));
    expect(pelt(x, { cost: 'l2', penalty: 3 * Math.log(x.length) }).changePoints).toEqual([30, 60, 90]);
    expect(pelt(x, { cost: 'rbf', penalty: 3 }).changePoints).toEqual([30, 60, 90]);
  });

  it('finds no change in pure noise with a BIC-like penalty', () => {
    const rng = new Rng(11);
    const x = Array.from({ length: 120 }, () => rng.normal());
    expect(pelt(x, { cost: 'l2', penalty: 3 * Math.log(120) }).changePoints).toEqual([]);
  });
});
