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
  // Weight offsets looked up once: a step is on the per-event hot path and allocates nothing.
  const dense = (input: number, nIn: number, nOut: number, w: number, b: number, y: number) => {
    g.gemm(1, nOut, nIn, input, nIn, 1, w, nOut, y, nOut, false);
    addBias(A, 1, nOut, b, y);
  };
  const embedW = p.value('embed/w');
  const embedB = p.value('embed/b');
  const headW = p.value('head/w');
  const headB = p.value('head/b');
  let reset: () => void;
  let body: () => number;
  if (c.kind === 'lstm') {
    const H = c.units;
    const layers = Array.from({ length: c.layers }, (_, l) => ({
      inSize: l === 0 ? c.embed : H,
      w: p.value(`lstm${l}/w`),
      u: p.value(`lstm${l}/u`),
      b: p.value(`lstm${l}/b`),
      h: A.alloc(H),
      c: A.alloc(H),
      z: A.alloc(4 * H),
    }));
    reset = () => {
      for (const L of layers) {
        A.f32.fill(0, L.h, L.h + H);
        A.f32.fill(0, L.c, L.c + H);
      }
    };
    body = () => {
      let input = emb;
      for (const L of layers) {
        dense(input, L.inSize, 4 * H, L.w, L.b, L.z);
        g.gemm(1, 4 * H, H, L.h, H, 1, L.u, 4 * H, L.z, 4 * H, true);
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
      const w = (name: string) => p.value(`tcn${l}/${name}`);
      return { d, span, w1: w('w1'), b1: w('b1'), w2: w('w2'), b2: w('b2'), inputs: A.alloc(span * F), mids: A.alloc(span * F), res: A.alloc(F), out: A.alloc(F) };
    });
    let t = 0;
    // Tap j reads step t − (k−1−j)·d; before the stream's start it reads zero padding.
    const conv = (ring: number, span: number, d: number, w: number, b: number, dst: number) => {
      A.f32.copyWithin(dst, b, b + F);
      for (let j = 0; j < k; j++) {
        const back = (k - 1 - j) * d;
        if (back > t) continue;
        g.gemm(1, F, F, ring + ((t - back) % span) * F, F, 1, w + j * F * F, F, dst, F, true);
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
        conv(B.inputs, B.span, B.d, B.w1, B.b1, B.mids + slot);
        conv(B.mids, B.span, B.d, B.w2, B.b2, B.res);
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
      const h = A.f32;
      for (let i = 0; i < c.inputSize; i++) h[x + i] = input[i]!;
      dense(x, c.inputSize, c.embed, embedW, embedB, emb);
      dense(body(), width, c.outputs, headW, headB, out);
      for (let o = 0; o < c.outputs; o++) result[o] = h[out + o]!;
      return result;
    },
  };
}
