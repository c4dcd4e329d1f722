import { beforeAll, describe, expect, it } from 'vitest';
import { mlpInitialWeights } from '../engine/mlp.ts';
import { Rng } from '../ml/rng.ts';
import { loadHighsSolver } from './highs-solver.ts';
import { backwardIntervals, linearBounds } from './linear-bounds.ts';
import { gradientMilp, patternOf, regionLp, type MilpSolver } from './milp.ts';
import { evaluate, reluNetFromWeights, type ReluNet } from './relu-net.ts';
import type { MonotoneSpec } from './spec.ts';
import { verifyMonotone, verifyMonotoneAsync } from './verify.ts';
import { netFromLayers } from './test-nets.ts';

let solver: MilpSolver;
beforeAll(async () => {
  const s = await loadHighsSolver();
  if (!s) throw new Error('HiGHS did not load');
  solver = s;
});

const net = netFromLayers;

/** The right-side gradient at x (the pattern with z > 0 active). */
function gradientAt(n: ReluNet, x: readonly number[]): Float64Array {
  const masks: Int8Array[] = [];
  let a = Float64Array.from(x);
  for (let l = 0; l + 1 < n.layers.length; l++) {
    const L = n.layers[l]!;
    const z = Float64Array.from(L.b);
    for (let i = 0; i < L.nIn; i++) for (let j = 0; j < L.nOut; j++) z[j]! += a[i]! * L.w[i * L.nOut + j]!;
    masks.push(Int8Array.from(z, (v) => (v > 0 ? 1 : 0)));
    a = z.map((v) => Math.max(0, v));
  }
  return backwardIntervals(n, masks).gLo;
}

describe('the exact step: a MILP for the smallest directional derivative over a box', () => {
  it('its optimum is the smallest gradient on random nets (both encodings): at or below every sampled one, and the gradient of a real piece', () => {
    for (let seed = 1; seed <= 3; seed++) {
      const rng = new Rng(300 + seed);
      const hidden = seed % 2 ? [8, 8] : [6, 6, 6];
      const w = mlpInitialWeights({ inputs: 2, hidden, outputs: 1 }, rng);
      for (const x of w) if (x.name.endsWith('/b')) x.data.set(x.data.map(() => rng.uniform(-0.4, 0.4)));
      const n = reluNetFromWeights(w);
      const lo = [-1, -1];
      const hi = [1, 1];
      const b = linearBounds(n, lo, hi);
      for (const input of [0, 1]) {
        // Each input once, with the sign alternating over nets and inputs.
        for (const sign of [(seed + input) % 2 ? 1 : -1]) {
          // Sampling s·∂f/∂x_input on a grid (each point's piece; kinks are measure zero).
          let sampled = Infinity;
          for (let p = 0; p <= 40; p++) for (let q = 0; q <= 40; q++) sampled = Math.min(sampled, sign * gradientAt(n, [-1 + p / 20 + 1e-7, -1 + q / 20 + 1e-7])[input]!);
          const optima = (['backward', 'forward'] as const).map((form) => {
            const g = gradientMilp(n, b, lo, hi, input, sign, { form });
            const r = solver.solve(g.model, 20);
            expect(r.status, `seed ${seed} ${form}`).toBe('optimal');
            // The optimum's activation pattern has a region with an inside (a margin t > 0 from every kink) whose
            // gradient is the optimum: it is a real piece's gradient, not an artefact of the relaxation.
            const lp = solver.solve(regionLp(n, b, lo, hi, patternOf(g, r.x!), 1), 10);
            expect(-lp.objective!, `seed ${seed} ${form}: region margin`).toBeGreaterThan(1e-9);
            expect(sign * gradientAt(n, Array.from(lp.x!.slice(0, 2)))[input]!).toBeCloseTo(r.objective!, 6);
            return r.objective!;
          });
          expect(optima[1]!).toBeCloseTo(optima[0]!, 6);
          expect(optima[0]!, `seed ${seed} input ${input} sign ${sign}`).toBeLessThanOrEqual(sampled + 1e-6);
        }
      }
    }
  });

  it('fixing x at a sampled point and the binaries at its pattern leaves a feasible program whose value is the true gradient', () => {
    const rng = new Rng(77);
    const w = mlpInitialWeights({ inputs: 3, hidden: [10, 10, 10], outputs: 1 }, rng);
    for (const x of w) if (x.name.endsWith('/b')) x.data.set(x.data.map(() => rng.uniform(-0.4, 0.4)));
    const n = reluNetFromWeights(w);
    const lo = [-0.5, 0, -1];
    const hi = [0.5, 1, 0];
    const b = linearBounds(n, lo, hi);
    for (let k = 0; k < 10; k++) {
      const x = lo.map((l, i) => rng.uniform(l, hi[i]!));
      const truth = gradientAt(n, x);
      for (const form of ['backward', 'forward'] as const) {
        const g = gradientMilp(n, b, lo, hi, 1, 1, { form });
        const colLower = [...g.model.colLower];
        const colUpper = [...g.model.colUpper];
        g.xCols.forEach((c, i) => (colLower[c] = colUpper[c] = x[i]!));
        const r = solver.solve({ ...g.model, colLower, colUpper }, 10);
        expect(r.status, `point ${k} ${form}`).toBe('optimal');
        expect(r.objective!).toBeCloseTo(truth[1]!, 6);
      }
    }
  });
});

describe('the complete mode with the exact step', () => {
  // f = 0.1·relu(x0) + relu(x1) − 2·relu(relu(x1) − relu(x0) − relu(1 − x0) + 0.095) on x0, x1 ∈ [0.1, 0.9]: the
  // last neuron's pre-activation is x1 − 0.905 < 0 everywhere (its two x0 inputs sum to exactly 1), so f = 0.1·x0 + x1
  // is increasing in both. Interval bounds see relu(x0) + relu(1 − x0) as an interval of width twice x0's, so they keep
  // that neuron unstable (and its slope −1 along x1) until x0 is split below 0.005, finer than Ouroboros's smallest
  // box here; linear bounds carry x0 − x0 = 0 and settle it on the whole box.
  const hidden = net([
    [
      [
        [1, -1, 0],
        [0, 0, 1],
      ],
      [0, 1, 0],
    ],
    [
      [
        [1, 0, -1],
        [0, 0, -1],
        [0, 1, 1],
      ],
      [0, 0, 0.095],
    ],
    [[[0.1], [1], [-2]], [0]],
  ]);
  const box: MonotoneSpec = { directions: ['increasing', 'increasing'], lo: [0.1, 0.1], hi: [0.9, 0.9] };

  it('proves on the whole box what interval bisection cannot prove at its smallest size', () => {
    expect(evaluate(hidden, [0.5, 0.5])).toBeCloseTo(0.05 + 0.5, 6);
    const ours = verifyMonotone(hidden, box, { milp: false });
    expect(ours.status).toBe('verified');
    expect(ours.boxes).toBe(1);
    const ouro = verifyMonotone(hidden, box, { mode: 'ouroboros', minWidth: 1 / 64 });
    expect(ouro.status).toBe('not-proven');
  });

  // A ramp along x0 built from two first-layer neurons, f = relu(x0 − 0.3) − relu(x0 − 0.6) + 0.01·x1: slope 1 then
  // 0, monotone. On a box holding both kinks the bounds allow the second on and the first off (slope −1); with no
  // splitting allowed only the MILP, which ties each neuron to x, settles it.
  const ramp = net([
    [
      [
        [1, 1, 0],
        [0, 0, 1],
      ],
      [-0.3, -0.6, 0],
    ],
    [[[1], [-1], [0.01]], [0]],
  ]);
  const unit: MonotoneSpec = { directions: ['increasing', 'increasing'], lo: [0, 0], hi: [1, 1] };

  it('settles a box the bounds cannot with the MILP; without a solver it says unknown and names the box, never guessing', async () => {
    const without = verifyMonotone(ramp, unit, { milp: false, minWidth: 1 });
    expect(without.status).toBe('unknown');
    expect(without.unresolved).toEqual([{ lo: [0, 0], hi: [1, 1] }]);
    const withMilp = await verifyMonotoneAsync(ramp, unit, { minWidth: 1 });
    expect(withMilp.status).toBe('verified');
    expect(withMilp.milp.proved).toBeGreaterThan(0);
    expect(withMilp.milp.solver).toMatch(/HiGHS/);
  });

  // A dip hidden in a thin band: f = 0.1·x0 − relu(x0 + 500·tent(x1) − 1), where tent(x1) rises from 0 at x1 = 0.4
  // to 0.001 at 0.401 and falls back to 0 at 0.402: ∂f/∂x0 = −0.9 only where x0 > 1 − 500·tent(x1) (x1 within
  // 0.001 of 0.401 and x0 > 0.5), 0.1 elsewhere. The line walks from the centre, corners and random points miss it.
  const dip = net([
    [
      [
        [1, 0, 0, 0],
        [0, 1, 1, 1],
      ],
      [0, -0.4, -0.401, -0.402],
    ],
    [
      [
        [1, 1],
        [0, 500],
        [0, -1000],
        [0, 500],
      ],
      [0, -1],
    ],
    [[[0.1], [-1]], [0]],
  ]);
  const first: MonotoneSpec = { directions: ['increasing', 'free'], lo: [0, 0], hi: [1, 1] };

  it('finds a violation the line walks miss, as a pair confirmed by evaluating the network', async () => {
    const r = await verifyMonotoneAsync(dip, first, { seed: 1 });
    expect(r.status).toBe('falsified');
    const c = r.counterexample!;
    expect(c.input).toBe(0);
    expect(c.hi[0]).toBeGreaterThan(c.lo[0]!);
    expect(c.lo[1]).toBe(c.hi[1]);
    expect(Math.abs(c.lo[1]! - 0.401)).toBeLessThan(0.001);
    expect(r.boxes).toBeGreaterThan(0);
    expect(evaluate(dip, c.hi)).toBeLessThan(evaluate(dip, c.lo));
    expect(c.fLo).toBe(evaluate(dip, c.lo));
    console.log(`dip: ${r.boxes} boxes, MILP ${JSON.stringify(r.milp)}, ${r.seconds.toFixed(2)} s`);
    expect(r.milp.solves).toBeGreaterThan(0);
  });
});
