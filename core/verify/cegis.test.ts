import { beforeAll, describe, expect, it } from 'vitest';
import { mlpInitialWeights } from '../engine/mlp.ts';
import { Rng } from '../ml/rng.ts';
import { evaluate, reluNetFromWeights } from './relu-net.ts';
import type { MonotoneSpec } from './spec.ts';
import { trainVerified } from './cegis.ts';
import { verifyMonotone } from './verify.ts';
import { loadHighsSolver } from './highs-solver.ts';

// The verifier's exact step (a MILP on boxes its bounds cannot settle) needs HiGHS loaded; without it such boxes
// stay unknown and the loop keeps training.
beforeAll(async () => {
  await loadHighsSolver();
});

describe('counterexample-guided training', () => {
  it('turns a net the verifier falsifies into one it proves, keeping the fit', () => {
    // Latency-like data: rises with pressure (x0), with a bump in x1 and noise that tempts a net into dips along x0.
    const rng = new Rng(11);
    const rows = 512;
    const x = new Float32Array(rows * 2);
    const y = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      const a = rng.next();
      const b = rng.next();
      x[2 * r] = a;
      x[2 * r + 1] = b;
      y[r] = 0.2 * a + 0.3 * Math.sin(6 * b) + 0.08 * rng.normal();
    }
    const config = { inputs: 2, hidden: [24, 24], outputs: 1 };
    const spec: MonotoneSpec = { directions: ['increasing', 'free'], lo: [0, 0], hi: [1, 1] };
    const initial = mlpInitialWeights(config, new Rng(2));
    const common = { seed: 3, epochsPerRound: 40, batchSize: 64, learningRate: 0.01, epsilon: 0.05, verifySeconds: 5 };
    // Without the penalty the plain fit is not monotone (the noise is fitted).
    const plain = trainVerified(config, initial, x, y, spec, { ...common, maxRounds: 1, pairWeight: 0 });
    expect(plain.rounds[0]!.result.status).toBe('falsified');
    const out = trainVerified(config, initial, x, y, spec, { ...common, maxRounds: 12, pairWeight: 5, margin: 0.005 });
    console.log(out.rounds.map((r) => `round ${r.round}: ${r.result.status}, mse ${r.mse.toFixed(4)}, pairs ${r.pairs}`).join('\n'));
    expect(out.verified).toBe(true);
    expect(out.counterexamples.length).toBeGreaterThan(0);
    // Every counterexample was real for the net it came from, and the final net passes a check of its own.
    for (const c of out.counterexamples) expect(c.fHi).toBeLessThan(c.fLo);
    const final = reluNetFromWeights(out.weights);
    expect(verifyMonotone(final, spec, { mode: 'complete', seed: 99 }).status).toBe('verified');
    for (let k = 0; k <= 100; k++) expect(evaluate(final, [(k + 1) / 101, 0.4])).toBeGreaterThanOrEqual(evaluate(final, [k / 101, 0.4]) - 1e-12);
    // The fit stays close to the plain one (the noise variance is 0.0064).
    expect(out.rounds.at(-1)!.mse).toBeLessThan(plain.rounds[0]!.mse + 0.01);
  }, 60_000);
});
