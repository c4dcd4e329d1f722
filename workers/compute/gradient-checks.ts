import * as tf from '@tensorflow/tfjs';
import type { GradientCheck } from './types.ts';

interface Check {
  name: string;
  /**
   * Forward and gradient kernels it needs. A missing one is reported without running: a backward pass that
   * throws leaks the tensors saved for it.
   */
  kernels: string[];
  run: () => tf.Tensor;
}

// Small stand-ins for the layers later workers train: dense, LSTM, im2col/native conv, embeddings.
const CHECKS: Check[] = [
  {
    name: 'dense (matMul, relu, sigmoid)',
    kernels: ['BatchMatMul', 'Relu', 'Step', 'Sigmoid', 'Multiply', 'Sub', 'Sum'],
    run: () => {
      const x = tf.randomNormal([8, 4], 0, 1, 'float32', 3);
      const w = tf.randomNormal([4, 2], 0, 1, 'float32', 4);
      const g = tf.grad((v: tf.Tensor) => tf.sigmoid(tf.relu(x.matMul(v as tf.Tensor2D))).sum())(w);
      return g.sum();
    },
  },
  {
    name: 'LSTM cell (concat, slice, tanh, sigmoid)',
    kernels: ['Concat', 'SplitV', 'Slice', 'BatchMatMul', 'Tanh', 'Sigmoid', 'Multiply', 'Add', 'Sub'],
    run: () => {
      const x = tf.randomNormal([4, 3], 0, 1, 'float32', 5);
      const h = tf.zeros([4, 2]);
      const c = tf.zeros([4, 2]);
      const w = tf.randomNormal([5, 8], 0, 0.5, 'float32', 6);
      const g = tf.grad((kernel: tf.Tensor) => {
        const z = tf.concat([x, h], 1).matMul(kernel as tf.Tensor2D);
        const [i, f, o, u] = tf.split(z, 4, 1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        const cNext = tf.sigmoid(f).mul(c).add(tf.sigmoid(i).mul(tf.tanh(u)));
        return tf.sigmoid(o).mul(tf.tanh(cNext)).sum();
      })(w);
      return g.sum();
    },
  },
  {
    name: 'conv2d filter gradient (Conv2DBackpropFilter)',
    kernels: ['Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'Square'],
    run: () => {
      const x = tf.randomNormal([1, 1, 16, 4], 0, 1, 'float32', 8) as tf.Tensor4D;
      const f = tf.randomNormal([1, 3, 4, 8], 0, 0.5, 'float32', 9) as tf.Tensor4D;
      const g = tf.grad((k: tf.Tensor) => tf.conv2d(x, k as tf.Tensor4D, 1, 'valid').square().sum())(f);
      return g.sum();
    },
  },
  {
    name: 'gather / embedding gradient (UnsortedSegmentSum)',
    kernels: ['GatherV2', 'UnsortedSegmentSum', 'Square'],
    run: () => {
      const table = tf.randomNormal([10, 4], 0, 1, 'float32', 10);
      const ids = tf.tensor1d([1, 3, 3, 7], 'int32');
      const g = tf.grad((t: tf.Tensor) => tf.gather(t, ids).square().sum())(table);
      return g.sum();
    },
  },
];

/** Runs each check on the active backend, or with `run` false only looks up the kernels it needs. */
export async function runGradientChecks(run = true): Promise<GradientCheck[]> {
  const backend = tf.getBackend();
  const results: GradientCheck[] = [];
  for (const check of CHECKS) {
    const missing = check.kernels.filter((k) => tf.getKernel(k, backend) === undefined);
    if (missing.length) {
      results.push({ name: check.name, ran: false, ok: false, error: `no ${missing.join(', ')} kernel on ${backend}` });
      continue;
    }
    if (!run) {
      results.push({ name: check.name, ran: false, ok: true });
      continue;
    }
    let out: tf.Tensor | undefined;
    try {
      out = tf.tidy(check.run);
      const v = (await out.data())[0]!;
      results.push(Number.isFinite(v) ? { name: check.name, ran: true, ok: true } : { name: check.name, ran: true, ok: false, error: `non-finite gradient (${v})` });
    } catch (e) {
      results.push({ name: check.name, ran: true, ok: false, error: (e as Error).message });
    } finally {
      out?.dispose();
    }
  }
  return results;
}
