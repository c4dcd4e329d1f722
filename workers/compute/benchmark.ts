import * as tf from '@tensorflow/tfjs';
import type { BenchmarkResult } from './types.ts';

export const BENCHMARK_WHAT = 'Adam step, dense MLP 32→64→1 (ReLU), batch 256, loss read back each step; median step time';

export interface BenchmarkOptions {
  /** Time the steady-state window for about this long. */
  targetMs?: number;
  /** Never time fewer steps than this (unless capped). */
  minSteps?: number;
  /** A first step slower than this marks a compile-bound backend: warm-up and window are cut short. */
  slowFirstStepMs?: number;
}

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
  const targetMs = options.targetMs ?? 400;
  const minSteps = options.minSteps ?? 5;
  const slowFirstStepMs = options.slowFirstStepMs ?? 1000;
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
    let t0 = performance.now();
    const firstLoss = await step();
    const firstStepMs = performance.now() - t0;
    if (!Number.isFinite(firstLoss)) throw new Error(`first step gave a non-finite loss (${firstLoss})`);
    // A compile-bound backend (shaders on SwiftShader) gets one warm-up step and half the window, so the
    // probe stays within seconds; its steady-state steps are what matter, and a few of them suffice.
    const slow = firstStepMs > slowFirstStepMs;
    for (let i = 0; i < (slow ? 1 : 3); i++) await step();
    const window = slow ? targetMs / 2 : targetMs;
    const floor = slow ? 2 : minSteps;
    const times: number[] = [];
    const start = performance.now();
    while (times.length < floor || performance.now() - start < window) {
      t0 = performance.now();
      await step();
      times.push(performance.now() - t0);
    }
    const steps = times.length;
    // The median, not the mean: on a shared 2-core machine a burst of outside load would otherwise decide the choice.
    const sorted = [...times].sort((a, b) => a - b);
    const msPerStep = (sorted[(steps - 1) >> 1]! + sorted[steps >> 1]!) / 2;
    return {
      what: BENCHMARK_WHAT,
      msPerStep,
      stepsPerSecond: 1000 / msPerStep,
      steps,
      firstStepMs,
      ...(slow ? { capped: `first step ${firstStepMs.toFixed(0)} ms (shader compilation): 1 warm-up step, ${steps} steps timed over ${window} ms` } : {}),
    };
  } finally {
    optimizer.dispose();
    tf.dispose([x, y, ...vars]);
  }
}
