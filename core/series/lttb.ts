/**
 * Largest-Triangle-Three-Buckets downsampling (Steinarsson, 2013): keeps the visual shape of a series
 * (peaks and troughs) with far fewer points, so charts never receive a million points.
 * NaN points (gaps) are dropped first; x must be non-decreasing.
 */
export function lttb(x: ArrayLike<number>, y: ArrayLike<number>, threshold: number): { x: Float64Array; y: Float64Array } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const yi = y[i]!;
    if (!Number.isNaN(yi)) {
      xs.push(x[i]!);
      ys.push(yi);
    }
  }
  const n = xs.length;
  if (threshold >= n || threshold < 3) return { x: Float64Array.from(xs), y: Float64Array.from(ys) };

  const outX = new Float64Array(threshold);
  const outY = new Float64Array(threshold);
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  outX[0] = xs[0]!;
  outY[0] = ys[0]!;
  for (let i = 0; i < threshold - 2; i++) {
    // Average of the next bucket is the third corner of the triangle.
    const nextStart = Math.floor((i + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, n);
    let avgX = 0;
    let avgY = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += xs[j]!;
      avgY += ys[j]!;
    }
    const len = nextEnd - nextStart;
    avgX /= len;
    avgY /= len;

    const start = Math.floor(i * every) + 1;
    const end = Math.floor((i + 1) * every) + 1;
    const ax = xs[a]!;
    const ay = ys[a]!;
    let maxArea = -1;
    let chosen = start;
    for (let j = start; j < end; j++) {
      const area = Math.abs((ax - avgX) * (ys[j]! - ay) - (ax - xs[j]!) * (avgY - ay));
      if (area > maxArea) {
        maxArea = area;
        chosen = j;
      }
    }
    outX[i + 1] = xs[chosen]!;
    outY[i + 1] = ys[chosen]!;
    a = chosen;
  }
  outX[threshold - 1] = xs[n - 1]!;
  outY[threshold - 1] = ys[n - 1]!;
  return { x: outX, y: outY };
}
