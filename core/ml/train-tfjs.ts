import * as tf from '@tensorflow/tfjs';
import { ParamSet } from './param-set.ts';
import type { SequenceModelConfig } from './sequence-config.ts';
import { classifierLoss, forward, regressionLoss } from './sequence-model.ts';
import { CancelledError, yieldToEvents, type StepRunner, type TrainOptions, type WindowSource } from './train.ts';
import type { WeightData } from './weights.ts';

// The TensorFlow.js side of train.ts, loaded only when a worker trains on a GPU backend.

const YIELD_EVERY_MS = 100;

/** Adam on the tfjs model; every step runs in tf.tidy, so tf.memory() stays flat across epochs. */
export function tfjsRunner(config: SequenceModelConfig, initial: readonly WeightData[], o: TrainOptions): StepRunner {
  const params = new ParamSet(initial);
  const optimizer = tf.train.adam(o.learningRate);
  const vars = params.list();
  const regress = o.task === 'regress';
  return {
    async step(x, y, batch, allSteps) {
      const data = { x, batch, time: x.length / batch / config.inputSize };
      const cost = tf.tidy(
        () =>
          optimizer.minimize(
            () => (regress ? regressionLoss(config, params, data, y as Float32Array) : classifierLoss(config, params, data, y as Int32Array, allSteps)),
            true,
            vars,
          )!,
      );
      const loss = (await cost.data())[0]!;
      cost.dispose();
      return loss;
    },
    async evaluate(x, y, batch) {
      const [l, hits] = tf.tidy(() => {
        const data = { x, batch, time: x.length / batch / config.inputSize };
        if (regress) return [regressionLoss(config, params, data, y as Float32Array).mul(batch), tf.scalar(0)];
        const logits = forward(config, params, data);
        const yt = tf.tensor1d(y as Int32Array, 'int32');
        const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(yt, config.outputs), logits).mul(batch);
        return [loss, logits.argMax(1).equal(yt).sum()];
      });
      const lossSum = (await l.data())[0]!;
      const correct = (await hits.data())[0]!;
      tf.dispose([l, hits]);
      return { lossSum, correct };
    },
    weights: () => params.read(),
    dispose() {
      optimizer.dispose();
      params.dispose();
    },
  };
}

/** Logits [n, outputs] on the active tfjs backend, in batches; weights are loaded once. */
export async function predictLogitsTfjs(
  config: SequenceModelConfig,
  weights: readonly WeightData[],
  source: WindowSource,
  batchSize: number,
  onProgress?: (done: number) => void,
  signal?: AbortSignal,
): Promise<Float32Array> {
  const params = new ParamSet(weights);
  const out = new Float32Array(source.count * config.outputs);
  let lastYield = performance.now();
  try {
    for (let start = 0; start < source.count; start += batchSize) {
      if (signal?.aborted) throw new CancelledError();
      const idx = Int32Array.from({ length: Math.min(batchSize, source.count - start) }, (_, i) => start + i);
      const { x } = source.batch(idx);
      const logits = tf.tidy(() => forward(config, params, { x, batch: idx.length, time: source.window }));
      out.set((await logits.data()) as Float32Array, start * config.outputs);
      logits.dispose();
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        onProgress?.(start + idx.length);
        await yieldToEvents();
        lastYield = performance.now();
      }
    }
    return out;
  } finally {
    params.dispose();
  }
}
