import { describe, expect, it } from 'vitest';
import { mlpInitialWeights } from '../engine/mlp.ts';
import { Rng } from '../ml/rng.ts';
import { collectCounterexamples } from './collect.ts';
import { evaluate, reluNetFromWeights } from './relu-net.ts';
import type { MonotoneSpec } from './spec.ts';
import { violationRegion } from './violation-region.ts';
import { netFromLayers } from './test-nets.ts';

const net = netFromLayers;

describe('violationRegion', () => {
  // f = x1/10 − relu(x0 − 0.5): slope −1 along x0 exactly where x0 > 0.5, 0 below.
  const falls = net([
    [
      [
        [1, 0],
        [0, 1],
      ],
      [-0.5, 0],
    ],
    [[[-1], [0.1]], [0]],
  ]);
  const spec: MonotoneSpec = { directions: ['increasing', 'free'], lo: [0, 0], hi: [1, 1] };

  it('grows the box around the steepest point of the pair to where the falling piece ends (x0 = 0.5)', () => {
    const c = { input: 0, lo: [0.6, 0.3], hi: [0.9, 0.3], fLo: 0, fHi: 0 };
    const r = violationRegion(falls, spec, c)!;
    // Every slope along the pair is −1; the first of the nine sample points is the centre.
    const centre = 0.6 + 0.3 * (0.5 / 9);
    const half = centre - 0.5;
    expect(r.scale).toBeCloseTo(2 * half, 5);
    expect(r.lo[0]).toBeCloseTo(0.5, 5);
    expect(r.hi[0]).toBeCloseTo(centre + half, 5);
    expect(r.lo[1]).toBeCloseTo(0.3 - half, 5);
    expect(r.hi[1]).toBeCloseTo(0.3 + half, 5);
    expect(r.volume).toBeCloseTo((2 * half) ** 2, 5);
  });

  it('is null for a free input or a pair in a flat piece', () => {
    expect(violationRegion(falls, spec, { input: 1, lo: [0.2, 0.1], hi: [0.2, 0.4], fLo: 0, fHi: 0 })).toBeNull();
    expect(violationRegion(falls, spec, { input: 0, lo: [0.1, 0.1], hi: [0.4, 0.1], fLo: 0, fHi: 0 })).toBeNull();
  });

  it('on random nets, every line along the input inside the region goes the wrong way (checked by evaluating)', () => {
    const spec3: MonotoneSpec = { directions: ['increasing', 'decreasing', 'free'], lo: [0, -1, 0], hi: [1, 1, 2] };
    let regions = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const relu = reluNetFromWeights(mlpInitialWeights({ inputs: 3, hidden: [24, 24], outputs: 1 }, new Rng(seed)));
      const rng = new Rng(100 + seed);
      for (const c of collectCounterexamples(relu, spec3, [], rng, 6)) {
        const r = violationRegion(relu, spec3, c);
        if (!r) continue;
        regions++;
        const i = c.input;
        const sign = i === 0 ? 1 : -1;
        expect(r.volume).toBeGreaterThan(0);
        for (let k = 0; k < 50; k++) {
          const p = r.lo.map((l, d) => l + rng.next() * (r.hi[d]! - l));
          const a = [...p];
          const b = [...p];
          a[i] = r.lo[i]!;
          b[i] = r.hi[i]!;
          expect(sign * (evaluate(relu, b) - evaluate(relu, a))).toBeLessThan(0);
        }
      }
    }
    expect(regions).toBeGreaterThan(5);
  });
});
