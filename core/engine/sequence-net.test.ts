import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../ml/rng.ts';
import { initialWeights, type SequenceModelConfig } from '../ml/sequence-config.ts';
import { classifierLoss, forward, regressionLoss } from '../ml/sequence-model.ts';
import { type WeightData } from '../ml/weights.ts';
import { ParamSet } from '../ml/param-set.ts';
import { KERNEL_NAMES, kernelAvailable } from './kernels.ts';
import { SequenceNet, type StepTask } from './sequence-net.ts';

// The engine against core/ml's tfjs models (the reference it replaces) on tfjs's CPU backend: the same weights must
// give the same outputs and the same gradients, for every kernel set this runtime runs.
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const configs: Record<string, SequenceModelConfig> = {
  'LSTM 2 layers': { kind: 'lstm', inputSize: 6, embed: 5, units: 7, layers: 2, outputs: 4 },
  'TCN 2 blocks': { kind: 'tcn', inputSize: 6, embed: 8, filters: 8, kernel: 3, dilations: [1, 2], outputs: 3 },
  'TCN kernel 2, field past the window': { kind: 'tcn', inputSize: 3, embed: 4, filters: 4, kernel: 2, dilations: [1, 4, 8], outputs: 2 },
};
const B = 5;
const T = 9;
const kernels = KERNEL_NAMES.filter(kernelAvailable);

function randn(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal());
}

function tfjsGrads(c: SequenceModelConfig, w: WeightData[], x: Float32Array, task: StepTask): { loss: number; grads: Map<string, Float32Array> } {
  const p = new ParamSet(w);
  const names = [...p.vars.keys()];
  const { value, grads } = tf.variableGrads(() => {
    const d = { x, batch: B, time: T };
    if (task.kind === 'regress') return regressionLoss(c, p, d, task.y);
    return classifierLoss(c, p, d, task.y, task.kind === 'classify-all');
  });
  const out = new Map(names.map((n) => [n, grads[p.get(n).name]!.dataSync() as Float32Array]));
  const loss = value.dataSync()[0]!;
  tf.dispose([value, ...Object.values(grads)]);
  p.dispose();
  return { loss, grads: out };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe.each(kernels)('engine sequence models on %s kernels', (kernel) => {
  for (const [label, c] of Object.entries(configs)) {
    describe(label, () => {
      const rng = new Rng(11);
      const w = initialWeights(c, rng.fork());
      // Biases away from zero so a wrong bias path cannot hide.
      for (const v of w) if (v.name.endsWith('/b')) v.data.set(randn(rng, v.data.length).map((z) => 0.3 * z));
      const x = randn(rng, B * T * c.inputSize);

      it('forward equals the tfjs model within 1e-5', () => {
        const net = new SequenceNet(c, w, B, T, kernel);
        const ours = net.predict(x, B);
        const p = new ParamSet(w);
        const ref = tf.tidy(() => forward(c, p, { x, batch: B, time: T }).dataSync() as Float32Array);
        p.dispose();
        expect(maxAbsDiff(ours, ref)).toBeLessThanOrEqual(1e-5);
        // A batch smaller than the model was built for uses the same buffers.
        const first2 = net.predict(x.subarray(0, 2 * T * c.inputSize), 2);
        expect(maxAbsDiff(first2, ref.subarray(0, 2 * c.outputs))).toBeLessThanOrEqual(1e-5);
      });

      const tasks: [string, StepTask][] = [
        ['classify (last step)', { kind: 'classify', y: Int32Array.from({ length: B }, (_, i) => i % c.outputs) }],
        ['classify every step (with left-out targets)', { kind: 'classify-all', y: Int32Array.from({ length: B * T }, (_, i) => (i % 7 === 3 ? -1 : (i * 5) % c.outputs)) }],
      ];
      if (c.outputs > 0) tasks.push(['regress', { kind: 'regress', y: randn(new Rng(3), B * c.outputs) }]);
      for (const [what, task0] of tasks) {
        const task = task0.kind === 'regress' && c.outputs !== 1 ? null : task0;
        if (!task) continue;
        it(`${what}: loss and every gradient equal tfjs's`, () => {
          const net = new SequenceNet(c, w, B, T, kernel);
          const loss = net.lossAndGradients(x, B, task);
          const ref = tfjsGrads(c, w, x, task);
          expect(Math.abs(loss - ref.loss)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(ref.loss)));
          for (const [name, g] of ref.grads) {
            const ours = net.arena.read(net.params.grad(name), g.length);
            const scale = Math.max(1e-3, ...Array.from(g, Math.abs));
            expect(maxAbsDiff(ours, g) / scale, name).toBeLessThanOrEqual(2e-4);
          }
        });
      }
    });
  }

  it('regression on a 1-output LSTM and TCN: loss and gradients equal tfjs', () => {
    for (const c of [
      { kind: 'lstm', inputSize: 4, embed: 4, units: 6, layers: 1, outputs: 1 },
      { kind: 'tcn', inputSize: 4, embed: 6, filters: 6, kernel: 3, dilations: [1, 2, 4], outputs: 1 },
    ] as SequenceModelConfig[]) {
      const rng = new Rng(5);
      const w = initialWeights(c, rng.fork());
      const x = randn(rng, B * T * c.inputSize);
      const task: StepTask = { kind: 'regress', y: randn(rng, B) };
      const net = new SequenceNet(c, w, B, T, kernel);
      const loss = net.lossAndGradients(x, B, task);
      const ref = tfjsGrads(c, w, x, task);
      expect(Math.abs(loss - ref.loss)).toBeLessThanOrEqual(1e-5 * Math.max(1, ref.loss));
      for (const [name, g] of ref.grads) {
        const scale = Math.max(1e-3, ...Array.from(g, Math.abs));
        expect(maxAbsDiff(net.arena.read(net.params.grad(name), g.length), g) / scale, `${c.kind} ${name}`).toBeLessThanOrEqual(2e-4);
      }
    }
  });
});
