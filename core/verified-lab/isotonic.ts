/**
 * Isotonic regression (pool adjacent violators): the best non-decreasing step function of one input in squared
 * error, the monotone baseline the verified lab scores its MLPs against. Ties in x are pooled first, so equal
 * inputs always get equal predictions.
 */
export interface IsotonicModel {
  /** Block boundaries in x (ascending) and each block's fitted value. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly increasing: boolean;
}

export function fitIsotonic(x: ArrayLike<number>, y: ArrayLike<number>, increasing = true, weights?: ArrayLike<number>): IsotonicModel {
  const n = x.length;
  if (y.length !== n) throw new Error(`isotonic: ${n} inputs but ${y.length} targets`);
  if (n === 0) throw new Error('isotonic: no data');
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a]! - x[b]!);
  const sign = increasing ? 1 : -1;
  // Blocks: x of the block's first point, summed weight, weighted mean of sign·y.
  const bx: number[] = [];
  const bw: number[] = [];
  const bm: number[] = [];
  for (const i of order) {
    const w = weights ? weights[i]! : 1;
    if (!(w > 0)) continue;
    const v = sign * y[i]!;
    if (bx.length > 0 && x[i] === bx.at(-1)) {
      const k = bx.length - 1;
      bm[k] = (bm[k]! * bw[k]! + v * w) / (bw[k]! + w);
      bw[k]! += w;
    } else {
      bx.push(x[i]!);
      bw.push(w);
      bm.push(v);
    }
    // Pool while the last two blocks violate the order.
    while (bm.length > 1 && bm.at(-2)! > bm.at(-1)!) {
      const w2 = bw.pop()!;
      const m2 = bm.pop()!;
      bx.pop();
      const k = bm.length - 1;
      bm[k] = (bm[k]! * bw[k]! + m2 * w2) / (bw[k]! + w2);
      bw[k]! += w2;
    }
  }
  if (bx.length === 0) throw new Error('isotonic: every weight is zero');
  return { x: Float64Array.from(bx), y: Float64Array.from(bm, (m) => sign * m), increasing };
}

/** The fitted step function at v: the value of the last block starting at or before v (the first block below). */
export function predictIsotonic(m: IsotonicModel, v: number): number {
  let lo = 0;
  let hi = m.x.length - 1;
  if (v < m.x[0]!) return m.y[0]!;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (m.x[mid]! <= v) lo = mid;
    else hi = mid - 1;
  }
  return m.y[lo]!;
}
