/**
 * Losses over rows of outputs in the arena's heap; each returns the loss (summed in float64) and writes its
 * gradient with respect to the outputs into `d`.
 */

/** Mean squared error over rows×n outputs against y (row-major), as tf.losses.meanSquaredError. */
export function meanSquaredError(h: Float32Array, out: number, rows: number, n: number, y: ArrayLike<number>, d: number): number {
  const count = rows * n;
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const e = h[out + i]! - y[i]!;
    sum += e * e;
    h[d + i] = (2 * e) / count;
  }
  return sum / count;
}

/**
 * Softmax cross-entropy of rows of logits [rows × classes]; label(r) is the class of row r, or −1 for a row left
 * out (its gradient is 0). Returns the summed loss; gradients are divided by `divisor` (the mean's count).
 */
export function softmaxCrossEntropy(h: Float32Array, logits: number, rows: number, classes: number, label: (r: number) => number, d: number, divisor: number): number {
  let sum = 0;
  for (let r = 0; r < rows; r++) {
    const o = logits + r * classes;
    const dr = d + r * classes;
    const y = label(r);
    if (y < 0) {
      h.fill(0, dr, dr + classes);
      continue;
    }
    let max = -Infinity;
    for (let c = 0; c < classes; c++) if (h[o + c]! > max) max = h[o + c]!;
    let z = 0;
    for (let c = 0; c < classes; c++) z += Math.exp(h[o + c]! - max);
    const logZ = Math.log(z) + max;
    sum += logZ - h[o + y]!;
    for (let c = 0; c < classes; c++) h[dr + c] = (Math.exp(h[o + c]! - logZ) - (c === y ? 1 : 0)) / divisor;
  }
  return sum;
}

/** Index of the largest of n values at off. */
export function argMax(h: Float32Array, off: number, n: number): number {
  let best = 0;
  for (let c = 1; c < n; c++) if (h[off + c]! > h[off + best]!) best = c;
  return best;
}
