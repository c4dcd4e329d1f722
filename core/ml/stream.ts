import { tcnReceptiveField, type SequenceModelConfig } from './sequence-config.ts';
import { weightByName, type WeightData } from './weights.ts';

/**
 * Per-event inference the way a scheduler would run it: one new event in, the next prediction out, state carried
 * forward (the LSTM's h and c; the TCN's past activations, so each event costs one column per layer instead of a
 * whole window). Plain typed-array loops: at one event at a time, a tfjs call's fixed overhead would dominate.
 */
export interface StreamingModel {
  reset(): void;
  /** Feeds one step's features; returns the outputs for the prediction after it (a view reused by the next call). */
  step(input: Float32Array): Float32Array;
}

/** out[j] = b[j] + Σ_i x[i]·w[i, j]; w is [inSize, outSize] row-major. Zero inputs are skipped (one-hot inputs). */
function denseInto(x: Float32Array, w: Float32Array, b: Float32Array | null, inSize: number, outSize: number, out: Float32Array, xOffset = 0): void {
  if (b) out.set(b.subarray(0, outSize));
  else out.fill(0, 0, outSize);
  for (let i = 0; i < inSize; i++) {
    const v = x[xOffset + i]!;
    if (v === 0) continue;
    const row = i * outSize;
    for (let j = 0; j < outSize; j++) out[j]! += v * w[row + j]!;
  }
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

export function streamingModel(c: SequenceModelConfig, weights: readonly WeightData[]): StreamingModel {
  const w = (name: string) => weightByName(weights, name).data;
  const embedW = w('embed/w');
  const embedB = w('embed/b');
  const headW = w('head/w');
  const headB = w('head/b');
  const emb = new Float32Array(c.embed);
  const out = new Float32Array(c.outputs);

  if (c.kind === 'lstm') {
    const H = c.units;
    const layers = Array.from({ length: c.layers }, (_, l) => ({
      w: w(`lstm${l}/w`),
      u: w(`lstm${l}/u`),
      b: w(`lstm${l}/b`),
      inSize: l === 0 ? c.embed : H,
      h: new Float32Array(H),
      c: new Float32Array(H),
      z: new Float32Array(4 * H),
    }));
    return {
      reset() {
        for (const L of layers) {
          L.h.fill(0);
          L.c.fill(0);
        }
      },
      step(input) {
        denseInto(input, embedW, embedB, c.inputSize, c.embed, emb);
        let x = emb;
        for (const L of layers) {
          denseInto(x, L.w, L.b, L.inSize, 4 * H, L.z);
          for (let i = 0; i < H; i++) {
            const hv = L.h[i]!;
            if (hv === 0) continue;
            const row = i * 4 * H;
            for (let j = 0; j < 4 * H; j++) L.z[j]! += hv * L.u[row + j]!;
          }
          for (let j = 0; j < H; j++) {
            const cell = sigmoid(L.z[H + j]!) * L.c[j]! + sigmoid(L.z[j]!) * Math.tanh(L.z[2 * H + j]!);
            L.c[j] = cell;
            L.h[j] = sigmoid(L.z[3 * H + j]!) * Math.tanh(cell);
          }
          x = L.h;
        }
        denseInto(x, headW, headB, H, c.outputs, out);
        return out;
      },
    };
  }

  // TCN: each block keeps a ring of its last (kernel-1)·d+1 inputs and of its first convolution's outputs.
  const F = c.filters;
  const k = c.kernel;
  const blocks = c.dilations.map((d, l) => {
    const span = (k - 1) * d + 1;
    return {
      d,
      span,
      w1: w(`tcn${l}/w1`),
      b1: w(`tcn${l}/b1`),
      w2: w(`tcn${l}/w2`),
      b2: w(`tcn${l}/b2`),
      inputs: new Float32Array(span * F),
      mids: new Float32Array(span * F),
      mid: new Float32Array(F),
      res: new Float32Array(F),
      out: new Float32Array(F),
    };
  });
  let t = 0;
  const conv = (ring: Float32Array, span: number, d: number, wt: Float32Array, b: Float32Array, dst: Float32Array) => {
    dst.set(b);
    for (let j = 0; j < k; j++) {
      // Tap j reads step t - (k-1-j)·d; before the stream's start it reads the zero padding.
      const back = (k - 1 - j) * d;
      if (back > t) continue;
      const slot = ((t - back) % span) * F;
      for (let i = 0; i < F; i++) {
        const v = ring[slot + i]!;
        if (v === 0) continue;
        const row = (j * F + i) * F;
        for (let o = 0; o < F; o++) dst[o]! += v * wt[row + o]!;
      }
    }
    for (let o = 0; o < F; o++) if (dst[o]! < 0) dst[o] = 0;
  };
  return {
    reset() {
      t = 0;
      for (const B of blocks) {
        B.inputs.fill(0);
        B.mids.fill(0);
      }
    },
    step(input) {
      denseInto(input, embedW, embedB, c.inputSize, F, emb);
      let x = emb;
      for (const B of blocks) {
        B.inputs.set(x, (t % B.span) * F);
        conv(B.inputs, B.span, B.d, B.w1, B.b1, B.mid);
        B.mids.set(B.mid, (t % B.span) * F);
        conv(B.mids, B.span, B.d, B.w2, B.b2, B.res);
        for (let o = 0; o < F; o++) B.out[o] = Math.max(0, x[o]! + B.res[o]!);
        x = B.out;
      }
      t++;
      denseInto(x, headW, headB, F, c.outputs, out);
      return out;
    },
  };
}

/** Steps a stream must have seen before its outputs equal a window model's (the TCN's receptive field). */
export function warmupSteps(c: SequenceModelConfig, window: number): number {
  return c.kind === 'tcn' ? Math.min(window, tcnReceptiveField(c)) : window;
}
