// The LSTM cell in plain JS (Math.exp), for runtimes without WASM SIMD; wasm/assembly/kernels.ts has the same
// maths vectorised, with its own exponential.

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * One LSTM step's gates, fused: z [B × 4H] holds the pre-activations (i, f, g, o blocks, PyTorch's order) and is
 * overwritten with the activations; c and h are written from cPrev.
 */
export function lstmCellForwardJs(h: Float32Array, B: number, H: number, z: number, cPrev: number, c: number, hOut: number): void {
  const G = 4 * H;
  for (let b = 0; b < B; b++) {
    const zr = z + b * G;
    const cr = b * H;
    for (let j = 0; j < H; j++) {
      const i = sigmoid(h[zr + j]!);
      const f = sigmoid(h[zr + H + j]!);
      const g = Math.tanh(h[zr + 2 * H + j]!);
      const o = sigmoid(h[zr + 3 * H + j]!);
      h[zr + j] = i;
      h[zr + H + j] = f;
      h[zr + 2 * H + j] = g;
      h[zr + 3 * H + j] = o;
      const cv = f * h[cPrev + cr + j]! + i * g;
      h[c + cr + j] = cv;
      h[hOut + cr + j] = o * Math.tanh(cv);
    }
  }
}

/**
 * Backward of one step: dh [B×H] is the gradient reaching h_t, dc [B×H] the one reaching c_t from the next step
 * (updated in place to the one for c_{t−1}); gates holds the step's activations; dz receives the pre-activation
 * gradients.
 */
export function lstmCellBackwardJs(h: Float32Array, B: number, H: number, gates: number, cPrev: number, c: number, dh: number, dc: number, dz: number): void {
  const G = 4 * H;
  for (let b = 0; b < B; b++) {
    const gr = gates + b * G;
    const zr = dz + b * G;
    const r = b * H;
    for (let j = 0; j < H; j++) {
      const i = h[gr + j]!;
      const f = h[gr + H + j]!;
      const g = h[gr + 2 * H + j]!;
      const o = h[gr + 3 * H + j]!;
      const tc = Math.tanh(h[c + r + j]!);
      const dhv = h[dh + r + j]!;
      const dcv = dhv * o * (1 - tc * tc) + h[dc + r + j]!;
      h[zr + j] = dcv * g * i * (1 - i);
      h[zr + H + j] = dcv * h[cPrev + r + j]! * f * (1 - f);
      h[zr + 2 * H + j] = dcv * i * (1 - g * g);
      h[zr + 3 * H + j] = dhv * tc * o * (1 - o);
      h[dc + r + j] = dcv * f;
    }
  }
}
