/** Converts int64-ns columns (already as float64) to seconds since the workload start. */
export function toSeconds(tsNs: Float64Array, startNs: number): Float64Array {
  const out = new Float64Array(tsNs.length);
  for (let i = 0; i < tsNs.length; i++) out[i] = (tsNs[i]! - startNs) / 1e9;
  return out;
}

/** Bucket width for about `target` buckets over a span, rounded to a readable step (1, 2, 5 × 10^k s). */
export function niceBucket(spanS: number, target: number): number {
  const raw = Math.max(spanS / target, 1e-6);
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

/** Row indices sorted by time, without copying when already sorted (the common case). */
export function timeOrder(t: Float64Array): Uint32Array | null {
  for (let i = 1; i < t.length; i++) {
    if (t[i]! < t[i - 1]!) {
      const idx = Uint32Array.from({ length: t.length }, (_, k) => k);
      idx.sort((a, b) => t[a]! - t[b]!);
      return idx;
    }
  }
  return null;
}
