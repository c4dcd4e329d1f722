import { backwardIntervals, linearBounds, stabilityMargins } from './linear-bounds.ts';
import type { ReluNet } from './relu-net.ts';
import { wantedSign, type Counterexample, type MonotoneSpec } from './spec.ts';

/**
 * Where a counterexample lives: a sub-box of the spec's box, around the pair, on which the network's slope along the
 * violated input provably has the wrong sign everywhere (the gradient bounds of linear-bounds.ts, upper bound below
 * zero for an increasing input). Every segment along that input inside it is a violation, so the box shows how much
 * of the input space the defect covers, not just one line. The box is centred where the pair's segment falls
 * steepest and grown uniformly (the same fraction of every input's width), by bisection on that fraction, to the
 * largest size the bounds still certify; null when not even a tiny one can be (the pair sits on a kink).
 */
export interface ViolationRegion {
  readonly lo: number[];
  readonly hi: number[];
  /** Its share of the spec box's volume (inputs of zero width count as 1). */
  readonly volume: number;
  /** The fraction of each input's width the box spans (at most 1). */
  readonly scale: number;
}

const STEPS = 20;
const CANDIDATES = 9;

export function violationRegion(net: ReluNet, spec: MonotoneSpec, c: Counterexample): ViolationRegion | null {
  const i = c.input;
  const sign = wantedSign(spec.directions[i]!);
  if (sign === 0 || !(c.hi[i]! > c.lo[i]!)) return null;
  const width = spec.lo.map((l, d) => spec.hi[d]! - l);
  const margins = stabilityMargins(net, spec.lo, spec.hi);
  const boxAt = (centre: readonly number[], s: number) => {
    const lo = centre.map((x, d) => Math.max(spec.lo[d]!, x - (s * width[d]!) / 2));
    const hi = centre.map((x, d) => Math.min(spec.hi[d]!, x + (s * width[d]!) / 2));
    return { lo, hi };
  };
  const wrongEverywhere = (lo: number[], hi: number[]) => {
    const g = backwardIntervals(net, linearBounds(net, lo, hi, margins).masks);
    return sign > 0 ? g.gHi[i]! < 0 : g.gLo[i]! > 0;
  };
  // The steepest wrong slope along the pair's segment: a zero-width box at each candidate gives its exact slope.
  let centre: number[] | null = null;
  let steepest = 0;
  for (let k = 0; k < CANDIDATES; k++) {
    const p = [...c.lo];
    p[i] = c.lo[i]! + ((k + 0.5) / CANDIDATES) * (c.hi[i]! - c.lo[i]!);
    const g = backwardIntervals(net, linearBounds(net, p, p, margins).masks);
    const slope = sign > 0 ? g.gHi[i]! : -g.gLo[i]!;
    if (slope < steepest) {
      steepest = slope;
      centre = p;
    }
  }
  if (!centre) return null;
  let good = 0;
  let bad = 1;
  const whole = boxAt(centre, 1);
  if (wrongEverywhere(whole.lo, whole.hi)) good = 1;
  else
    for (let s = 0; s < STEPS; s++) {
      const mid = (good + bad) / 2;
      const b = boxAt(centre, mid);
      if (wrongEverywhere(b.lo, b.hi)) good = mid;
      else bad = mid;
    }
  if (good === 0) return null;
  const { lo, hi } = boxAt(centre, good);
  const volume = lo.reduce((v, l, d) => v * (width[d]! > 0 ? (hi[d]! - l) / width[d]! : 1), 1);
  return { lo, hi, volume, scale: good };
}
