import type { Arena } from './arena.ts';
import type { TimeRuns } from './time-runs.ts';

/**
 * Layer primitives on arena offsets. Activations are time-major ([time, batch, features] row-major), so the rows
 * of one time step are contiguous and a causal shift by s steps is an offset of s·batch rows: a whole dilated
 * convolution tap, or the input projection of every LSTM step, is one GEMM. Gradients accumulate (+=) into
 * their buffers; the caller zeroes them once per step.
 */

/** y[rows×out] = x[rows×in]·w[in×out] + b. */
export function denseForward(A: Arena, rows: number, nIn: number, nOut: number, x: number, w: number, b: number, y: number): void {
  A.kernels.gemm(rows, nOut, nIn, x, nIn, 1, w, nOut, y, nOut, false);
  addBias(A, rows, nOut, b, y);
}

export function addBias(A: Arena, rows: number, n: number, b: number, y: number): void {
  A.kernels.addBias(rows, n, b, y);
}

/** db[n] += Σ_rows dy[rows×n]. */
export function addColumnSums(A: Arena, rows: number, n: number, dy: number, db: number): void {
  A.kernels.addColumnSums(rows, n, dy, db);
}

/** dst[cols×rows] = src[rows×cols]ᵀ. */
export function transpose(h: Float32Array, src: number, rows: number, cols: number, dst: number): void {
  for (let r = 0; r < rows; r++) {
    const s = src + r * cols;
    for (let c = 0; c < cols; c++) h[dst + c * rows + r] = h[s + c]!;
  }
}

/**
 * Backward of denseForward: dw += xᵀ·dy, db += Σ dy, and (when dx ≥ 0) dx (+)= dy·wᵀ using wT, w transposed
 * ([out×in]) by the caller once per step.
 */
export function denseBackward(
  A: Arena,
  rows: number,
  nIn: number,
  nOut: number,
  x: number,
  wT: number,
  dy: number,
  dw: number,
  db: number,
  dx: number,
  accumulateDx: boolean,
): void {
  A.kernels.gemm(nIn, nOut, rows, x, 1, nIn, dy, nOut, dw, nOut, true);
  addColumnSums(A, rows, nOut, dy, db);
  if (dx >= 0) A.kernels.gemm(rows, nIn, nOut, dy, nOut, 1, wT, nIn, dx, nIn, accumulateDx);
}

export function reluInPlace(A: Arena, off: number, n: number): void {
  A.kernels.relu(off, n);
}

/** d[i] = 0 where the ReLU's output y[i] is 0 (its input was ≤ 0). */
export function reluBackwardInPlace(A: Arena, y: number, d: number, n: number): void {
  A.kernels.reluBackward(y, d, n);
}

/**
 * Causal dilated convolution over time-major x [T·B × cin]: y[t] = b + Σ_j x[t − (k−1−j)·dil]·w_j, w tap-major
 * [k·cin × cout] (the layout core/ml's tfjs TCN uses), zero before the window's start. Only the steps in `runs` are
 * computed (they read x at tapsOf(runs)); the other rows of y are left as they were.
 */
export function convForward(A: Arena, runs: TimeRuns, B: number, cin: number, cout: number, k: number, dil: number, x: number, w: number, b: number, y: number): void {
  for (const [t0, t1] of runs) {
    // y = b on the run's rows (zero, then the bias kernel), then each tap adds its product.
    A.f32.fill(0, y + t0 * B * cout, y + t1 * B * cout);
    addBias(A, (t1 - t0) * B, cout, b, y + t0 * B * cout);
    for (let j = 0; j < k; j++) {
      const s = (k - 1 - j) * dil;
      const start = Math.max(t0, s);
      if (start >= t1) continue;
      A.kernels.gemm((t1 - start) * B, cout, cin, x + (start - s) * B * cin, cin, 1, w + j * cin * cout, cout, y + start * B * cout, cout, true);
    }
  }
}

/** wT holds each tap transposed: k blocks of [cout × cin]. */
export function transposeTaps(h: Float32Array, w: number, k: number, cin: number, cout: number, wT: number): void {
  for (let j = 0; j < k; j++) transpose(h, w + j * cin * cout, cin, cout, wT + j * cin * cout);
}

/** Backward of convForward over the same `runs`; dx (≥ 0) is accumulated into, so zero it first. */
export function convBackward(
  A: Arena,
  runs: TimeRuns,
  B: number,
  cin: number,
  cout: number,
  k: number,
  dil: number,
  x: number,
  wT: number,
  dy: number,
  dw: number,
  db: number,
  dx: number,
): void {
  for (const [t0, t1] of runs) {
    addColumnSums(A, (t1 - t0) * B, cout, dy + t0 * B * cout, db);
    for (let j = 0; j < k; j++) {
      const s = (k - 1 - j) * dil;
      const start = Math.max(t0, s);
      if (start >= t1) continue;
      const rows = (t1 - start) * B;
      A.kernels.gemm(cin, cout, rows, x + (start - s) * B * cin, 1, cin, dy + start * B * cout, cout, dw + j * cin * cout, cout, true);
      if (dx >= 0) A.kernels.gemm(rows, cin, cout, dy + start * B * cout, cout, 1, wT + j * cin * cout, cin, dx + (start - s) * B * cin, cin, true);
    }
  }
}
