import type { StreamingModel } from '../ml/stream.ts';
import type { SequenceModelConfig } from '../ml/sequence-config.ts';
import type { WeightData } from '../ml/weights.ts';
import { Arena } from './arena.ts';
import type { KernelName } from './kernels.ts';
import { addBias, reluInPlace } from './ops.ts';
import { Params } from './params.ts';

/**
 * Per-event inference on the engine's kernels: one new event in, the prediction after it out, state carried (the
 * LSTM's h and c; for the TCN a ring of each block's recent inputs and first-convolution outputs, so an event
 * costs one column per layer). Same contract and outputs as core/ml/stream.ts's plain-JS model, with every
 * matrix–vector product on the SIMD GEMM.
 */
export function engineStreamingModel(c: SequenceModelConfig, weights: readonly WeightData[], kernel?: KernelName): StreamingModel {
  const A = new Arena(kernel);
  const p = new Params(A, weights.map((w) => ({ name: w.name, shape: w.shape })));
  p.load(weights);
  const g = A.kernels;
  const x = A.alloc(c.inputSize);
  const emb = A.alloc(c.embed);
  const width = c.kind === 'lstm' ? c.units : c.filters;
  const out = A.alloc(c.outputs);
  const dense = (input: number, nIn: number, nOut: number, name: string, y: number) => {
    g.gemm(1, nOut, nIn, input, nIn, 1, p.value(`${name}/w`), nOut, y, nOut, false);
    addBias(A, 1, nOut, p.value(`${name}/b`), y);
  };
  let reset: () => void;
  let body: () => number;
  if (c.kind === 'lstm') {
    const H = c.units;
    const layers = Array.from({ length: c.layers }, (_, l) => ({ l, inSize: l === 0 ? c.embed : H, h: A.alloc(H), c: A.alloc(H), z: A.alloc(4 * H) }));
    reset = () => {
      for (const L of layers) {
        A.f32.fill(0, L.h, L.h + H);
        A.f32.fill(0, L.c, L.c + H);
      }
    };
    body = () => {
      let input = emb;
      for (const L of layers) {
        dense(input, L.inSize, 4 * H, `lstm${L.l}`, L.z);
        g.gemm(1, 4 * H, H, L.h, H, 1, p.value(`lstm${L.l}/u`), 4 * H, L.z, 4 * H, true);
        // c and h are updated in place: each unit reads its own old c before writing it, and h was read above.
        A.kernels.lstmCellForward(1, H, L.z, L.c, L.c, L.h);
        input = L.h;
      }
      return input;
    };
  } else {
    const F = c.filters;
    const k = c.kernel;
    const blocks = c.dilations.map((d, l) => {
      const span = (k - 1) * d + 1;
      return { l, d, span, inputs: A.alloc(span * F), mids: A.alloc(span * F), res: A.alloc(F), out: A.alloc(F) };
    });
    let t = 0;
    // Tap j reads step t − (k−1−j)·d; before the stream's start it reads zero padding.
    const conv = (ring: number, span: number, d: number, w: string, b: string, dst: number) => {
      A.f32.set(A.f32.subarray(p.value(b), p.value(b) + F), dst);
      for (let j = 0; j < k; j++) {
        const back = (k - 1 - j) * d;
        if (back > t) continue;
        g.gemm(1, F, F, ring + ((t - back) % span) * F, F, 1, p.value(w) + j * F * F, F, dst, F, true);
      }
      reluInPlace(A, dst, F);
    };
    reset = () => {
      t = 0;
      for (const B of blocks) {
        A.f32.fill(0, B.inputs, B.inputs + B.span * F);
        A.f32.fill(0, B.mids, B.mids + B.span * F);
      }
    };
    body = () => {
      let input = emb;
      for (const B of blocks) {
        const slot = (t % B.span) * F;
        A.f32.copyWithin(B.inputs + slot, input, input + F);
        conv(B.inputs, B.span, B.d, `tcn${B.l}/w1`, `tcn${B.l}/b1`, B.mids + slot);
        conv(B.mids, B.span, B.d, `tcn${B.l}/w2`, `tcn${B.l}/b2`, B.res);
        A.kernels.addRelu(input, B.res, B.out, F);
        input = B.out;
      }
      t++;
      return input;
    };
  }
  const result = new Float32Array(c.outputs);
  return {
    reset,
    step(input) {
      A.f32.set(input.subarray(0, c.inputSize), x);
      dense(x, c.inputSize, c.embed, 'embed', emb);
      dense(body(), width, c.outputs, 'head', out);
      result.set(A.f32.subarray(out, out + c.outputs));
      return result;
    },
  };
}
