/**
 * Sets of time steps as sorted runs [start, end). A loss on the last step of a window depends on only some steps
 * of each causal layer below it (the last step, then the taps it reads, then theirs), so the TCN computes and
 * backpropagates those rows only: the same outputs and gradients for a fraction of the work. In the time-major
 * layout a run of steps is one contiguous block of rows.
 */
export type TimeRuns = readonly (readonly [number, number])[];

export function allSteps(T: number): TimeRuns {
  return [[0, T]];
}

export function lastStep(T: number): TimeRuns {
  return [[T - 1, T]];
}

function toRuns(mask: Uint8Array): TimeRuns {
  const runs: [number, number][] = [];
  for (let t = 0; t < mask.length; t++) {
    if (!mask[t]) continue;
    const start = t;
    while (t < mask.length && mask[t]) t++;
    runs.push([start, t]);
  }
  return runs;
}

function toMask(runs: TimeRuns, T: number, mask: Uint8Array = new Uint8Array(T)): Uint8Array {
  for (const [a, b] of runs) mask.fill(1, a, b);
  return mask;
}

/** The steps a causal convolution (kernel k, dilation d) reads to produce the steps in `out`. */
export function tapsOf(out: TimeRuns, k: number, d: number, T: number): TimeRuns {
  const mask = new Uint8Array(T);
  for (const [a, b] of out) {
    for (let j = 0; j < k; j++) {
      const s = (k - 1 - j) * d;
      for (let t = Math.max(a, s); t < b; t++) mask[t - s] = 1;
    }
  }
  return toRuns(mask);
}

export function union(a: TimeRuns, b: TimeRuns, T: number): TimeRuns {
  return toRuns(toMask(b, T, toMask(a, T)));
}

/** Calls f(offset, length) for each run's block of rows (B rows of `width` per step) starting at `base`. */
export function forRuns(runs: TimeRuns, B: number, width: number, base: number, f: (off: number, n: number) => void): void {
  for (const [a, b] of runs) f(base + a * B * width, (b - a) * B * width);
}
