import { gatherRows } from '../engine/gather-rows.ts';
import { Mlp, type MlpConfig } from '../engine/mlp.ts';
import { Adam } from '../engine/optim.ts';
import type { KernelName } from '../engine/kernels.ts';
import { Rng } from '../ml/rng.ts';
import type { WeightData } from '../ml/weights.ts';

/**
 * MSE training with Adam for a fixed number of epochs, shuffled by the seed: vPALs' unverified network, trained as
 * many epochs as the verified one from the same initial weights. x is [rows × inputs] row-major.
 */
export function trainPlain(
  config: MlpConfig,
  initial: readonly WeightData[],
  x: Float32Array,
  y: Float32Array,
  o: { readonly seed: number; readonly epochs: number; readonly batchSize: number; readonly learningRate: number; readonly kernel?: KernelName; readonly signal?: AbortSignal },
): WeightData[] {
  const D = config.inputs;
  const rows = y.length;
  const rng = new Rng(o.seed);
  const net = new Mlp(config, initial, o.batchSize, o.kernel);
  const adam = new Adam(o.learningRate);
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  const bx = new Float32Array(o.batchSize * D);
  const by = new Float32Array(o.batchSize);
  for (let e = 0; e < o.epochs; e++) {
    rng.shuffle(order);
    for (let start = 0; start < rows; start += o.batchSize) {
      if (o.signal?.aborted) throw new Error('training was cancelled');
      const n = Math.min(o.batchSize, rows - start);
      gatherRows(x, y, D, order, start, n, bx, by);
      net.trainStep(bx.subarray(0, n * D), by.subarray(0, n), n, adam);
    }
  }
  return net.weights();
}
