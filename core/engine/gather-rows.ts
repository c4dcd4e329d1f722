/**
 * One minibatch from shuffled rows: copies rows order[start], …, order[start + n − 1] of x ([rows × width],
 * row-major) and of y into bx and by, so training steps reuse two buffers instead of allocating per batch.
 */
export function gatherRows(x: Float32Array, y: Float32Array, width: number, order: Int32Array, start: number, n: number, bx: Float32Array, by: Float32Array): void {
  for (let k = 0; k < n; k++) {
    const r = order[start + k]!;
    bx.set(x.subarray(r * width, (r + 1) * width), k * width);
    by[k] = y[r]!;
  }
}
