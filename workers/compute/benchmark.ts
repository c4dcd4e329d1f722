import * as tf from '@tensorflow/tfjs';
import { measureSteps, type BenchmarkOptions } from './measure-steps.ts';
import type { BenchmarkResult } from './types.ts';

export { BENCHMARK_WHAT } from './measure-steps.ts';

/** Synthetic regression data, the same on every backend. */
function makeData(): { x: tf.Tensor2D; y: tf.Tensor2D } {
  return tf.tidy(() => {
    const x = tf.randomNormal([256, 32], 0, 1, 'float32', 7) as tf.Tensor2D;
    const w = tf.randomNormal([32, 1], 0, 0.3, 'float32', 11);
    const y = tf.tanh(tf.matMul(x, w)).add(tf.sin(x.slice([0, 0], [256, 1]))) as tf.Tensor2D;
    return { x, y };
  });
}

/**
 * Times training steps on the active backend. The loss is read back every step, as a training loop that
 * reports progress would, so GPU backends pay their real round-trip. Disposes everything it creates.
 */
export async function benchmarkTrainingStep(options: BenchmarkOptions = {}): Promise<BenchmarkResult> {
  const { x, y } = makeData();
  // In a tidy: tf.variable shares its initial tensor's data, so the initial tensors must be disposed.
  const vars = tf.tidy(() => [
    tf.variable(tf.randomNormal([32, 64], 0, Math.sqrt(2 / 32), 'float32', 1)),
    tf.variable(tf.zeros([64])),
    tf.variable(tf.randomNormal([64, 1], 0, Math.sqrt(1 / 64), 'float32', 2)),
    tf.variable(tf.zeros([1])),
  ]) as [tf.Variable, tf.Variable, tf.Variable, tf.Variable];
  const [w1, b1, w2, b2] = vars;
  const optimizer = tf.train.adam(1e-3);
  const step = async (): Promise<number> => {
    const cost = tf.tidy(
      () => optimizer.minimize(() => tf.losses.meanSquaredError(y, tf.relu(x.matMul(w1).add(b1)).matMul(w2).add(b2)), true, vars)!,
    );
    try {
      return (await cost.data())[0]!;
    } finally {
      cost.dispose();
    }
  };
  try {
    return await measureSteps(step, options);
  } finally {
    optimizer.dispose();
    tf.dispose([x, y, ...vars]);
  }
}

