import { describe, expect, it } from 'vitest';
import { mlpInitialWeights } from '../engine/mlp.ts';
import { Rng } from '../ml/rng.ts';
import { walkLine } from './falsify.ts';
import { evaluate, reluNetFromWeights } from './relu-net.ts';
import type { MonotoneSpec } from './spec.ts';
import { verifyMonotone, verifyMonotoneAsync } from './verify.ts';
import { netFromLayers } from './test-nets.ts';

const net = netFromLayers;

const unit2: MonotoneSpec = { directions: ['increasing', 'increasing'], lo: [0, 0], hi: [1, 1] };

describe('monotonicity verifier on hand-built ReLU nets with known answers', () => {
  // f = relu(x0 + x1) + 2·relu(x0 − 0.3): non-decreasing in both inputs everywhere.
  const monotone = net([
    [
      [
        [1, 1],
        [1, 0],
      ],
      [0, -0.3],
    ],
    [[[1], [2]], [0]],
  ]);
  // f = relu(x0) − 2·relu(x0 − 0.5) (+ x1): rises to 0.5 at x0 = 0.5, then falls with slope −1.
  const peaked = net([
    [
      [
        [1, 1, 0],
        [0, 0, 1],
      ],
      [0, -0.5, 0],
    ],
    [[[1], [-2], [1]], [0]],
  ]);

  it('evaluates exactly', () => {
    // The weights are float32 (as trained), so −0.3 and 0.1 carry float32 rounding.
    expect(evaluate(monotone, [0.5, 0.25])).toBeCloseTo(0.75 + 0.4, 6);
    expect(evaluate(peaked, [0.75, 0.1])).toBeCloseTo(0.75 - 0.5 + 0.1, 6);
  });

  it('proves a monotone net in both modes', () => {
    for (const mode of ['complete', 'ouroboros'] as const) {
      const r = verifyMonotone(monotone, unit2, { mode });
      expect(r.status, mode).toBe('verified');
      expect(r.verifiedVolume).toBe(1);
    }
  });

  it('falsifies a peaked net with a pair it confirms, where Ouroboros can only say "not proven"', () => {
    const r = verifyMonotone(peaked, unit2);
    expect(r.status).toBe('falsified');
    const c = r.counterexample!;
    expect(c.input).toBe(0);
    expect(c.lo[0]!).toBeGreaterThanOrEqual(0.5 - 1e-12);
    expect(c.hi[0]!).toBeGreaterThan(c.lo[0]!);
    expect(c.lo[1]).toBe(c.hi[1]);
    expect(evaluate(peaked, c.hi)).toBeLessThan(evaluate(peaked, c.lo));
    expect(verifyMonotone(peaked, unit2, { mode: 'ouroboros' }).status).toBe('not-proven');
    // On x0 ≤ 0.5 the same net is increasing: both modes prove it.
    const left: MonotoneSpec = { ...unit2, hi: [0.5, 1] };
    expect(verifyMonotone(peaked, left).status).toBe('verified');
    expect(verifyMonotone(peaked, left, { mode: 'ouroboros' }).status).toBe('verified');
    // A free input is not checked; decreasing in x0 fails on the rising part.
    expect(verifyMonotone(peaked, { ...unit2, directions: ['free', 'increasing'] }).status).toBe('verified');
    expect(verifyMonotone(peaked, { ...unit2, directions: ['decreasing', 'free'] }).status).toBe('falsified');
  });

  it('walks a line piece by piece: the violation on the falling piece, none on the rising one', () => {
    expect(walkLine(peaked, [0, 0], 0, 0, 0.5, 1)).toBeNull();
    const c = walkLine(peaked, [0, 0], 0, 0, 1, 1)!;
    expect(c.lo[0]).toBeCloseTo(0.5, 12);
    expect(c.hi[0]).toBe(1);
    expect(c.fLo).toBeCloseTo(0.5, 12);
    expect(c.fHi).toBeCloseTo(0, 12);
  });

  it('refuses a spec that does not fit the net, naming the field', () => {
    expect(() => verifyMonotone(peaked, { directions: ['increasing'], lo: [0], hi: [1] })).toThrow(/spec\.directions has 1 entries; the network has 2 inputs/);
    expect(() => verifyMonotone(peaked, { ...unit2, lo: [2, 0] })).toThrow(/input 0 has lo 2 > hi 1/);
  });
});

describe('monotonicity verifier on random nets, cross-checked by dense sampling', () => {
  it('never proves a net that dense sampling shows violated, and every pair it reports is real', () => {
    const counts = { verified: 0, falsified: 0, unknown: 0 };
    for (let seed = 1; seed <= 30; seed++) {
      const rng = new Rng(seed);
      const config = { inputs: 2, hidden: [6, 6], outputs: 1 };
      const w = mlpInitialWeights(config, rng);
      // Three kinds of net: every path from x0 with non-negative weights (monotone by construction); the same with
      // one negative weight in the middle layer (either way: the verifier must split boxes); and raw random weights.
      const kind = seed % 3;
      for (const x of w) {
        if (x.name.endsWith('/b')) x.data.set(x.data.map(() => rng.uniform(-0.3, 0.3)));
        if (kind === 2) continue;
        if (x.name === 'dense0/w') x.data.set(x.data.map((v, k) => (k < 6 ? Math.abs(v) : v)));
        if (x.name === 'dense1/w' || x.name === 'dense2/w') x.data.set(x.data.map(Math.abs));
        if (kind === 1 && x.name === 'dense1/w') x.data[rng.int(x.data.length)] = -rng.uniform(0.1, 0.6);
      }
      const n = reluNetFromWeights(w);
      const spec: MonotoneSpec = { directions: ['increasing', 'free'], lo: [-1, -1], hi: [1, 1] };
      const r = verifyMonotone(n, spec, { seed, maxSeconds: 5 });
      const ouro = verifyMonotone(n, spec, { mode: 'ouroboros', maxSeconds: 5 });
      // Dense sampling: a decrease along x0 between neighbouring grid points is a violation.
      let sampledViolation = false;
      const G = 200;
      for (let a = 0; a <= G && !sampledViolation; a++) {
        const x1 = -1 + (2 * a) / G;
        for (let b = 0; b < G; b++) {
          const x0 = -1 + (2 * b) / G;
          if (evaluate(n, [x0 + 2 / G, x1]) < evaluate(n, [x0, x1]) - 1e-12) {
            sampledViolation = true;
            break;
          }
        }
      }
      counts[r.status === 'not-proven' ? 'unknown' : r.status]++;
      if (sampledViolation) {
        expect(r.status, `seed ${seed}`).not.toBe('verified');
        expect(ouro.status, `seed ${seed}`).not.toBe('verified');
      }
      if (r.status === 'falsified') {
        const c = r.counterexample!;
        expect(evaluate(n, c.hi), `seed ${seed}`).toBeLessThan(evaluate(n, c.lo));
        expect(c.hi[0]).toBeGreaterThan(c.lo[0]!);
        expect(ouro.status, `seed ${seed}`).not.toBe('verified');
      }
      // Ouroboros's proofs are sound, so the complete mode agrees with every one.
      if (ouro.status === 'verified') expect(r.status, `seed ${seed}`).toBe('verified');
    }
    // The family holds both kinds, so both branches above ran.
    console.log(`random nets: ${JSON.stringify(counts)}`);
    expect(counts.verified).toBeGreaterThan(0);
    expect(counts.falsified).toBeGreaterThan(0);
  });
});

describe('the complete mode with its exact step, on random nets, cross-checked by dense sampling', () => {
  it('settles every net (no unknown): falsified exactly where sampling finds a decrease, each pair real, proofs agreeing with sampling', async () => {
    const counts = { verified: 0, falsified: 0, unknown: 0 };
    for (let seed = 1; seed <= 24; seed++) {
      const rng = new Rng(500 + seed);
      const inputs = seed % 2 ? 2 : 3;
      const config = { inputs, hidden: seed % 4 < 2 ? [8, 8] : [6, 6, 6], outputs: 1 };
      const w = mlpInitialWeights(config, rng);
      // Nearly monotone nets (non-negative paths from x0, one or two negative weights in the middle) and raw ones.
      for (const x of w) {
        if (x.name.endsWith('/b')) x.data.set(x.data.map(() => rng.uniform(-0.3, 0.3)));
        if (seed % 3 === 2) continue;
        const out = config.hidden[0]!;
        if (x.name === 'dense0/w') x.data.set(x.data.map((v, k) => (k < out ? Math.abs(v) : v)));
        if (x.name !== 'dense0/w' && x.name.endsWith('/w')) x.data.set(x.data.map(Math.abs));
        if (x.name === 'dense1/w') for (let k = 0; k < seed % 3; k++) x.data[rng.int(x.data.length)] = -rng.uniform(0.1, 0.8);
      }
      const n = reluNetFromWeights(w);
      const spec: MonotoneSpec = { directions: ['increasing', ...new Array<'free'>(inputs - 1).fill('free')], lo: new Array(inputs).fill(-1), hi: new Array(inputs).fill(1) };
      const r = await verifyMonotoneAsync(n, spec, { seed, maxSeconds: 10 });
      // Dense sampling along x0 on a grid of lines.
      let sampledViolation = false;
      const G = inputs === 2 ? 160 : 40;
      const lines = inputs === 2 ? [...Array(G + 1).keys()].map((a) => [-1 + (2 * a) / G]) : [...Array((G + 1) ** 2).keys()].map((a) => [-1 + (2 * (a % (G + 1))) / G, -1 + (2 * Math.floor(a / (G + 1))) / G]);
      for (const rest of lines) {
        let prev = -Infinity;
        for (let b = 0; b <= 4 * G && !sampledViolation; b++) {
          const f = evaluate(n, [-1 + (2 * b) / (4 * G), ...rest]);
          if (f < prev - 1e-12) sampledViolation = true;
          prev = f;
        }
        if (sampledViolation) break;
      }
      counts[r.status === 'not-proven' ? 'unknown' : r.status]++;
      expect(r.status, `seed ${seed}`).not.toBe('unknown');
      if (sampledViolation) expect(r.status, `seed ${seed}`).toBe('falsified');
      if (r.status === 'falsified') {
        const c = r.counterexample!;
        expect(evaluate(n, c.hi), `seed ${seed}`).toBeLessThan(evaluate(n, c.lo));
        expect(c.fHi).toBe(evaluate(n, c.hi));
        expect(c.hi[0]).toBeGreaterThan(c.lo[0]!);
        c.lo.forEach((v, i) => i !== 0 && expect(c.hi[i]).toBe(v));
      }
    }
    console.log(`random nets with the MILP: ${JSON.stringify(counts)}`);
    expect(counts.verified).toBeGreaterThan(4);
    expect(counts.falsified).toBeGreaterThan(4);
  });
});
