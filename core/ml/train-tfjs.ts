import * as tf from '@tensorflow/tfjs';
import { ParamSet } from './param-set.ts';
import type { SequenceModelConfig } from './sequence-config.ts';
import { classifierLoss, forward, regressionLoss } from './sequence-model.ts';
import type { Predictor, StepRunner, TrainOptions } from './train.ts';
import type { WeightData } from './weights.ts';

// The TensorFlow.js side of train.ts, loaded only when a worker trains on a GPU backend.

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

/** The tfjs model's forward pass on the active backend; weights are loaded once. */
export function tfjsPredictor(config: SequenceModelConfig, weights: readonly WeightData[], window: number): Predictor {
  const params = new ParamSet(weights);
  return {
    async predict(x, batch) {
      const logits = tf.tidy(() => forward(config, params, { x, batch, time: window }));
      try {
        return (await logits.data()) as Float32Array;
      } finally {
        logits.dispose();
      }
    },
    dispose: () => params.dispose(),
  };
}
