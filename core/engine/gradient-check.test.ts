import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../ml/rng.ts';
import { initialWeights, type SequenceModelConfig } from '../ml/sequence-config.ts';
import type { Arena } from './arena.ts';
import { finiteDifferenceCheck, type GradientCheckResult } from './gradient-check.ts';
import { KERNEL_NAMES, kernelAvailable } from './kernels.ts';
import { Mlp, mlpInitialWeights, type MonotonePairs } from './mlp.ts';
import { Adam, Sgd } from './optim.ts';
import type { Params } from './params.ts';
import { SequenceNet, type StepTask } from './sequence-net.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const kernels = KERNEL_NAMES.filter(kernelAvailable);

function checkGradients(arena: Arena, params: Params, loss: () => number, rng: Rng): GradientCheckResult {
  const r = finiteDifferenceCheck(arena, params, loss, rng);
  // Halving the hinge's gradient on one side of a pair, or dropping the TCN's residual gradient, fails this.
  expect(r.worstError, r.worst).toBeLessThanOrEqual(1);
  return r;
}

describe.each(kernels)('finite-difference gradient checks (%s kernels)', (kernel) => {
  const seqConfigs: SequenceModelConfig[] = [
    { kind: 'lstm', inputSize: 5, embed: 4, units: 6, layers: 2, outputs: 3 },
    { kind: 'tcn', inputSize: 5, embed: 6, filters: 6, kernel: 3, dilations: [1, 2], outputs: 3 },
  ];
  for (const c of seqConfigs) {
    for (const kind of ['classify', 'classify-all', 'regress'] as const) {
      it(`${c.kind} ${kind}: embedding, ${c.kind === 'lstm' ? 'LSTM gates, BPTT' : 'dilated causal convolutions, residuals'}, head and loss`, () => {
        const rng = new Rng(21);
        const B = 3;
        const T = 7;
        const config = kind === 'regress' ? { ...c, outputs: 1 } : c;
        const net = new SequenceNet(config, initialWeights(config, rng.fork()), B, T, kernel);
        const x = Float32Array.from({ length: B * T * c.inputSize }, () => rng.normal());
        const task: StepTask =
          kind === 'regress'
            ? { kind, y: Float32Array.from({ length: B }, () => rng.normal()) }
            : kind === 'classify'
              ? { kind, y: Int32Array.from({ length: B }, () => rng.int(c.outputs)) }
              : { kind, y: Int32Array.from({ length: B * T }, (_, i) => (i % 4 === 1 ? -1 : rng.int(c.outputs))) };
        const r = checkGradients(net.arena, net.params, () => net.lossAndGradients(x, B, task), rng);
        expect(r.checked).toBeGreaterThan(20);
      });
    }
  }

  it('MLP: MSE and the monotonicity hinge penalty', () => {
    const rng = new Rng(8);
    const c = { inputs: 4, hidden: [9, 7], outputs: 1 };
    const net = new Mlp(c, mlpInitialWeights(c, rng.fork()), 16, kernel);
    const rows = 6;
    const x = Float32Array.from({ length: rows * 4 }, () => rng.normal());
    const y = Float32Array.from({ length: rows }, () => rng.normal());
    const lo = Float32Array.from({ length: 5 * 4 }, () => rng.normal());
    const hi = lo.map((v, i) => (i % 4 === 0 ? v + 1 : v));
    // A large margin keeps most pairs inside the hinge, so its gradient is exercised.
    const pairs: MonotonePairs = { lo, hi, count: 5, weight: 0.7, margin: 2 };
    const first = net.lossAndGradients(x, y, rows, pairs);
    expect(first.violated).toBeGreaterThan(0);
    expect(first.penalty).toBeGreaterThan(0);
    checkGradients(net.arena, net.params, () => net.lossAndGradients(x, y, rows, pairs).loss, rng);
  });
});

describe('optimisers', () => {
  it('Adam follows tf.train.adam step for step', () => {
    const rng = new Rng(4);
    const c = { inputs: 3, hidden: [5], outputs: 1 };
    const w0 = mlpInitialWeights(c, rng);
    const net = new Mlp(c, w0, 8);
    const x = Float32Array.from({ length: 8 * 3 }, () => rng.normal());
    const y = Float32Array.from({ length: 8 }, () => rng.normal());
    const adam = new Adam(0.05);
    const vars = w0.map((w) => tf.variable(tf.tensor(w.data, [...w.shape])));
    const opt = tf.train.adam(0.05);
    for (let s = 0; s < 5; s++) {
      net.trainStep(x, y, 8, adam);
      opt.minimize(() => {
        const h = tf.relu(tf.matMul(tf.tensor2d(x, [8, 3]), vars[0] as tf.Tensor2D).add(vars[1]!));
        return tf.losses.meanSquaredError(tf.tensor2d(y, [8, 1]), h.matMul(vars[2] as tf.Tensor2D).add(vars[3]!)) as tf.Scalar;
      }, false, vars);
    }
    net.weights().forEach((w, i) => {
      const ref = vars[i]!.dataSync();
      for (let j = 0; j < ref.length; j++) expect(Math.abs(w.data[j]! - ref[j]!)).toBeLessThan(1e-5);
    });
    opt.dispose();
    tf.dispose(vars);
  });

  it('SGD moves each weight by −lr·gradient', () => {
    const rng = new Rng(2);
    const c = { inputs: 2, hidden: [3], outputs: 1 };
    const net = new Mlp(c, mlpInitialWeights(c, rng), 4);
    const x = Float32Array.from({ length: 8 }, () => rng.normal());
    const y = Float32Array.from({ length: 4 }, () => rng.normal());
    const before = net.arena.read(net.params.base, net.params.total);
    net.lossAndGradients(x, y, 4);
    const g = net.arena.read(net.params.base + net.params.total, net.params.total);
    new Sgd(0.1).step(net.params);
    const after = net.arena.read(net.params.base, net.params.total);
    for (let i = 0; i < before.length; i++) expect(after[i]).toBeCloseTo(before[i]! - 0.1 * g[i]!, 6);
  });
});
