/**
 * MinMax scaling fitted on training rows only (vPALs scales to [0, 1]; fitting on all rows would leak the test
 * range into training). The target may be log-transformed first; `toReal` undoes both.
 */
export interface MinMax {
  readonly min: number[];
  readonly max: number[];
}

export interface TargetScaling {
  readonly transform: 'none' | 'log';
  readonly min: number;
  readonly max: number;
}

/** Min and max of each column of row-major x [rows × d] over the given rows. */
export function fitMinMax(columns: readonly ArrayLike<number>[], rows: readonly number[]): MinMax {
  if (rows.length === 0) throw new Error('MinMax scaling needs at least one training row');
  return { min: columns.map((c) => extent(rows.map((r) => c[r]!))[0]), max: columns.map((c) => extent(rows.map((r) => c[r]!))[1]) };
}

function extent(v: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of v) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}

/** Scaled value of input d; a column constant on the training rows maps to 0 (its width is taken as 1). */
export function scaleInput(s: MinMax, d: number, v: number): number {
  const w = s.max[d]! - s.min[d]!;
  return (v - s.min[d]!) / (w > 0 ? w : 1);
}

export function unscaleInput(s: MinMax, d: number, v: number): number {
  const w = s.max[d]! - s.min[d]!;
  return s.min[d]! + v * (w > 0 ? w : 1);
}

function forward(transform: TargetScaling['transform'], v: number): number {
  // Latency is positive; the floor keeps a 0 µs reading (clock granularity) finite.
  return transform === 'log' ? Math.log(Math.max(v, 1e-3)) : v;
}

export function fitTarget(y: ArrayLike<number>, rows: readonly number[], transform: TargetScaling['transform']): TargetScaling {
  const [min, max] = extent(rows.map((r) => forward(transform, y[r]!)));
  return { transform, min, max };
}

/** The normalised target (0..1 on the training rows), what the MLP learns and vPALs' accuracy is measured on. */
export function scaleTarget(s: TargetScaling, v: number): number {
  const w = s.max - s.min;
  return (forward(s.transform, v) - s.min) / (w > 0 ? w : 1);
}

/** A normalised prediction back in the target's real units (µs). */
export function targetToReal(s: TargetScaling, v: number): number {
  const w = s.max - s.min;
  const t = s.min + v * (w > 0 ? w : 1);
  return s.transform === 'log' ? Math.exp(t) : t;
}
