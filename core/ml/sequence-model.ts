import * as tf from '@tensorflow/tfjs';
import type { ParamSet } from './param-set.ts';
import type { LstmConfig, SequenceModelConfig, TcnConfig } from './sequence-config.ts';

/**
 * The TensorFlow.js forms of the models in sequence-config.ts (the GPU path; core/engine trains them on the CPU).
 * Written with plain tf ops and our own variables, not tf.layers, because tf.layers has no causal padding and no
 * gradient for dilated convolutions, and the WASM backend has no conv-filter gradient: the TCN below is a sum of
 * shifted matMuls that trains on every backend.
 */
/**
 * x·w with gradients that avoid matMul's transposeA: tfjs-wasm sends a transposed left operand to a naive loop
 * instead of XNNPACK, and the weight gradient (xᵀ·dy, inner size batch·time) was most of a training step.
 * An explicit transpose first keeps every matMul on the fast path.
 */
const matMulFast = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy, saved) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy as tf.Tensor2D, ws.transpose()), tf.matMul(xs.transpose(), dy as tf.Tensor2D)];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

function timeDense(x: tf.Tensor3D, w: tf.Tensor, b: tf.Tensor): tf.Tensor3D {
  const [batch, time, inSize] = x.shape;
  return matMulFast(x.reshape([batch * time, inSize]), w as tf.Tensor2D).add(b).reshape([batch, time, w.shape[1]!]);
}

/**
 * Causal dilated convolution: tap j reads step t - (kernel-1-j)·dilation; rows of w are tap-major ([kernel·ch, out]).
 * A sum of one matMul per tap rather than im2col's concat: on tfjs-wasm the concat's gradient (a split) copies
 * the whole input once per piece and took over half of a TCN training step.
 */
export function causalConv(x: tf.Tensor3D, w: tf.Tensor, b: tf.Tensor, kernel: number, dilation: number): tf.Tensor3D {
  const [batch, time, ch] = x.shape;
  const out = w.shape[1]!;
  const pad = (kernel - 1) * dilation;
  const padded = pad > 0 ? tf.pad(x, [[0, 0], [pad, 0], [0, 0]]) : x;
  const terms: tf.Tensor2D[] = [];
  for (let j = 0; j < kernel; j++) {
    const tap = (pad > 0 ? padded.slice([0, j * dilation, 0], [batch, time, ch]) : padded).reshape([batch * time, ch]) as tf.Tensor2D;
    const wj = (kernel === 1 ? w : w.slice([j * ch, 0], [ch, out])) as tf.Tensor2D;
    terms.push(matMulFast(tap, wj));
  }
  const sum = terms.length === 1 ? terms[0]! : (tf.addN(terms) as tf.Tensor2D);
  return sum.add(b).reshape([batch, time, out]);
}

/** A batch of windows as plain data: x is [batch, time, inputSize] row-major. */
export interface WindowBatchData {
  readonly x: Float32Array;
  readonly batch: number;
  readonly time: number;
}

/**
 * The LSTM's inputs as one [batch, inputSize] tensor per step, built from the data in JS. Slicing a tensor per
 * step instead costs a copy of the whole tensor per slice on tfjs-wasm (its slice reads the input through a
 * copying readSync), which was three quarters of a training step; the inputs need no gradient, so JS can cut them.
 */
function stepInputs(c: SequenceModelConfig, d: WindowBatchData): tf.Tensor2D[] {
  const F = c.inputSize;
  const out: tf.Tensor2D[] = [];
  for (let t = 0; t < d.time; t++) {
    const step = new Float32Array(d.batch * F);
    for (let b = 0; b < d.batch; b++) step.set(d.x.subarray((b * d.time + t) * F, (b * d.time + t + 1) * F), b * F);
    out.push(tf.tensor2d(step, [d.batch, F]));
  }
  return out;
}

/** The last layer's hidden state after every step (call inside tf.tidy). */
function lstmHidden(c: LstmConfig, p: ParamSet, d: WindowBatchData): tf.Tensor2D[] {
  const embedW = p.get('embed/w') as tf.Tensor2D;
  const embedB = p.get('embed/b');
  let inputs = stepInputs(c, d).map((x) => matMulFast(x, embedW).add(embedB) as tf.Tensor2D);
  for (let l = 0; l < c.layers; l++) {
    const w = p.get(`lstm${l}/w`) as tf.Tensor2D;
    const u = p.get(`lstm${l}/u`) as tf.Tensor2D;
    const bias = p.get(`lstm${l}/b`);
    let hs: tf.Tensor2D = tf.zeros([d.batch, c.units]);
    let cs: tf.Tensor2D = tf.zeros([d.batch, c.units]);
    const outs: tf.Tensor2D[] = [];
    for (const x of inputs) {
      const z = matMulFast(x, w).add(matMulFast(hs, u)).add(bias) as tf.Tensor2D;
      const [zi, zf, zg, zo] = tf.split(z, 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      cs = tf.sigmoid(zf).mul(cs).add(tf.sigmoid(zi).mul(tf.tanh(zg)));
      hs = tf.sigmoid(zo).mul(tf.tanh(cs));
      outs.push(hs);
    }
    inputs = outs;
  }
  return inputs;
}

/** The last block's output, [batch, time, filters] (call inside tf.tidy). */
function tcnOutput(c: TcnConfig, p: ParamSet, d: WindowBatchData): tf.Tensor3D {
  let h: tf.Tensor3D = timeDense(tf.tensor3d(d.x, [d.batch, d.time, c.inputSize]), p.get('embed/w'), p.get('embed/b'));
  c.dilations.forEach((dil, l) => {
    const a = tf.relu(causalConv(h, p.get(`tcn${l}/w1`), p.get(`tcn${l}/b1`), c.kernel, dil));
    const o = tf.relu(causalConv(a, p.get(`tcn${l}/w2`), p.get(`tcn${l}/b2`), c.kernel, dil));
    h = tf.relu(h.add(o));
  });
  return h;
}

/** Logits (or values) [batch, outputs] from the last step of each window. Call inside tf.tidy. */
export function forward(c: SequenceModelConfig, p: ParamSet, d: WindowBatchData): tf.Tensor2D {
  const headW = p.get('head/w') as tf.Tensor2D;
  const headB = p.get('head/b');
  if (c.kind === 'lstm') return matMulFast(lstmHidden(c, p, d).at(-1)!, headW).add(headB);
  const h = tcnOutput(c, p, d);
  const last = h.slice([0, d.time - 1, 0], [d.batch, 1, c.filters]).reshape([d.batch, c.filters]) as tf.Tensor2D;
  return matMulFast(last, headW).add(headB);
}

/** Mean squared error of the last step's output (outputs = 1) against `y`, for forecasting. Call inside tf.tidy. */
export function regressionLoss(c: SequenceModelConfig, p: ParamSet, d: WindowBatchData, y: Float32Array): tf.Scalar {
  return tf.losses.meanSquaredError(tf.tensor2d(y, [d.batch, 1]), forward(c, p, d)) as tf.Scalar;
}

/**
 * Mean softmax cross-entropy of the class after the last step (`y` [batch]) or, with `allSteps`, after every step
 * (`y` [batch, time] row-major, -1 = no target, left out), which trains on every position of a window for the cost
 * of one. Call inside tf.tidy (or a minimize closure).
 */
export function classifierLoss(c: SequenceModelConfig, p: ParamSet, d: WindowBatchData, y: Int32Array, allSteps: boolean): tf.Scalar {
  const headW = p.get('head/w') as tf.Tensor2D;
  const headB = p.get('head/b');
  if (!allSteps) return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(y, 'int32'), c.outputs), forward(c, p, d)) as tf.Scalar;
  let counted = 0;
  for (const v of y) if (v >= 0) counted++;
  if (counted === 0) throw new Error('a training batch has no targets');
  // A target of -1 one-hots to zeros and gets weight 0: summed losses over the targets that exist, then the mean.
  const weightsOf = (ys: Int32Array) => tf.tensor1d(Float32Array.from(ys, (v) => (v >= 0 ? 1 : 0)));
  let total: tf.Scalar;
  if (c.kind === 'lstm') {
    const hidden = lstmHidden(c, p, d);
    const terms = hidden.map((h, t) => {
      const yt = Int32Array.from({ length: d.batch }, (_, b) => y[b * d.time + t]!);
      const logits = matMulFast(h, headW).add(headB);
      return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(yt, 'int32'), c.outputs), logits, weightsOf(yt), undefined, tf.Reduction.SUM);
    });
    total = tf.addN(terms) as tf.Scalar;
  } else {
    const h = tcnOutput(c, p, d);
    const logits = matMulFast(h.reshape([d.batch * d.time, c.filters]), headW).add(headB);
    total = tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(y, 'int32'), c.outputs), logits, weightsOf(y), undefined, tf.Reduction.SUM) as tf.Scalar;
  }
  return total.div(counted);
}
