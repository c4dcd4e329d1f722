import * as tf from '@tensorflow/tfjs';
import type { Rng } from './rng.ts';
import { glorotUniform, ParamSet, zeros, type WeightData } from './weights.ts';

/**
 * Sequence models over windows [batch, time, features] that output one vector (class logits, or a regression
 * value) from the last time step. Written with plain tf ops and our own variables, not tf.layers, because
 * tf.layers has no causal padding and no gradient for dilated convolutions, and the WASM backend has no
 * conv-filter gradient: the TCN below is an im2col (explicit left padding + shifted slices + matMul)
 * formulation that trains on every backend.
 */
export type SequenceModelConfig = LstmConfig | TcnConfig;

interface Common {
  /** Features per time step. */
  readonly inputSize: number;
  /** A linear projection of the inputs first (an embedding when the inputs are one-hot). */
  readonly embed: number;
  /** Outputs of the last step: classes (logits) or 1 for regression. */
  readonly outputs: number;
}

export interface LstmConfig extends Common {
  readonly kind: 'lstm';
  readonly units: number;
  readonly layers: number;
}

export interface TcnConfig extends Common {
  readonly kind: 'tcn';
  readonly filters: number;
  readonly kernel: number;
  /** One residual block (two causal convolutions) per dilation. */
  readonly dilations: readonly number[];
}

/** How many past steps the last output of a TCN can see (itself included). */
export function tcnReceptiveField(c: Pick<TcnConfig, 'kernel' | 'dilations'>): number {
  return 1 + 2 * (c.kernel - 1) * c.dilations.reduce((a, b) => a + b, 0);
}

export function describeModel(c: SequenceModelConfig): string {
  return c.kind === 'lstm'
    ? `LSTM ${c.layers}×${c.units} (embed ${c.embed})`
    : `TCN ${c.dilations.length} blocks × ${c.filters} filters, kernel ${c.kernel}, dilations ${c.dilations.join('-')} (receptive field ${tcnReceptiveField(c)})`;
}

export function initialWeights(c: SequenceModelConfig, rng: Rng): WeightData[] {
  const w: WeightData[] = [];
  const dense = (name: string, fanIn: number, fanOut: number, bias = 0) => {
    w.push({ name: `${name}/w`, shape: [fanIn, fanOut], data: glorotUniform(rng, fanIn, fanOut) });
    w.push({ name: `${name}/b`, shape: [fanOut], data: zeros(fanOut, bias) });
  };
  dense('embed', c.inputSize, c.embed);
  if (c.kind === 'lstm') {
    let inSize = c.embed;
    for (let l = 0; l < c.layers; l++) {
      const h = c.units;
      w.push({ name: `lstm${l}/w`, shape: [inSize, 4 * h], data: glorotUniform(rng, inSize, 4 * h) });
      w.push({ name: `lstm${l}/u`, shape: [h, 4 * h], data: glorotUniform(rng, h, 4 * h) });
      // Gate order i, f, g, o (as PyTorch); a forget-gate bias of 1 keeps early gradients alive.
      const b = zeros(4 * h);
      b.fill(1, h, 2 * h);
      w.push({ name: `lstm${l}/b`, shape: [4 * h], data: b });
      inSize = h;
    }
    dense('head', c.units, c.outputs);
  } else {
    const f = c.filters;
    if (c.embed !== f) throw new Error(`TCN embed (${c.embed}) must equal its filters (${f}) for the residual connections`);
    c.dilations.forEach((_, l) => {
      w.push({ name: `tcn${l}/w1`, shape: [c.kernel * f, f], data: glorotUniform(rng, c.kernel * f, f) });
      w.push({ name: `tcn${l}/b1`, shape: [f], data: zeros(f) });
      w.push({ name: `tcn${l}/w2`, shape: [c.kernel * f, f], data: glorotUniform(rng, c.kernel * f, f) });
      w.push({ name: `tcn${l}/b2`, shape: [f], data: zeros(f) });
    });
    dense('head', f, c.outputs);
  }
  return w;
}

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

/** Causal dilated convolution as im2col: tap j reads step t - (kernel-1-j)·dilation; rows of w are tap-major. */
export function causalConv(x: tf.Tensor3D, w: tf.Tensor, b: tf.Tensor, kernel: number, dilation: number): tf.Tensor3D {
  const [batch, time, ch] = x.shape;
  const pad = (kernel - 1) * dilation;
  const padded = pad > 0 ? tf.pad(x, [[0, 0], [pad, 0], [0, 0]]) : x;
  const taps: tf.Tensor3D[] = [];
  for (let j = 0; j < kernel; j++) taps.push(padded.slice([0, j * dilation, 0], [batch, time, ch]));
  const cols = kernel === 1 ? taps[0]! : tf.concat(taps, 2);
  return timeDense(cols, w, b);
}

/**
 * Logits (or values) from the last step of each window, [batch, outputs]; with `allSteps`, from every step,
 * [batch·time, outputs] (row b·time + t), which trains on every position of a window at the cost of one.
 * Call inside tf.tidy.
 */
export function forward(c: SequenceModelConfig, p: ParamSet, x: tf.Tensor3D, allSteps = false): tf.Tensor2D {
  const [batch, time] = x.shape;
  let h: tf.Tensor3D = timeDense(x, p.get('embed/w'), p.get('embed/b'));
  if (c.kind === 'lstm') {
    let last: tf.Tensor2D = tf.zeros([batch, c.units]);
    for (let l = 0; l < c.layers; l++) {
      const units = c.units;
      // The input projection of every step in one matMul; only h·U stays in the loop.
      const xw = timeDense(h, p.get(`lstm${l}/w`), p.get(`lstm${l}/b`));
      const u = p.get(`lstm${l}/u`) as tf.Tensor2D;
      let hs: tf.Tensor2D = tf.zeros([batch, units]);
      let cs: tf.Tensor2D = tf.zeros([batch, units]);
      const outs: tf.Tensor2D[] = [];
      // unstack, not a slice per step: a slice's gradient pads back to the whole [batch, time, 4·units] tensor, so
      // slicing every step costs time × that in zero-filling during backprop; unstack's gradient is one stack.
      const steps = tf.unstack(xw, 1) as tf.Tensor2D[];
      for (let t = 0; t < time; t++) {
        const z = steps[t]!.add(matMulFast(hs, u)) as tf.Tensor2D;
        const [zi, zf, zg, zo] = tf.split(z, 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        cs = tf.sigmoid(zf).mul(cs).add(tf.sigmoid(zi).mul(tf.tanh(zg)));
        hs = tf.sigmoid(zo).mul(tf.tanh(cs));
        if (allSteps || l < c.layers - 1) outs.push(hs);
      }
      last = hs;
      if (allSteps || l < c.layers - 1) h = tf.stack(outs, 1) as tf.Tensor3D;
    }
    if (allSteps) return timeDense(h, p.get('head/w'), p.get('head/b')).reshape([batch * time, c.outputs]);
    return matMulFast(last, p.get('head/w') as tf.Tensor2D).add(p.get('head/b'));
  }
  c.dilations.forEach((d, l) => {
    const a = tf.relu(causalConv(h, p.get(`tcn${l}/w1`), p.get(`tcn${l}/b1`), c.kernel, d));
    const o = tf.relu(causalConv(a, p.get(`tcn${l}/w2`), p.get(`tcn${l}/b2`), c.kernel, d));
    h = tf.relu(h.add(o));
  });
  if (allSteps) return timeDense(h, p.get('head/w'), p.get('head/b')).reshape([batch * time, c.outputs]);
  const lastStep = h.slice([0, time - 1, 0], [batch, 1, c.filters]).reshape([batch, c.filters]) as tf.Tensor2D;
  return matMulFast(lastStep, p.get('head/w') as tf.Tensor2D).add(p.get('head/b'));
}
