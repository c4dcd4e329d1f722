import type { Rng } from '../ml/rng.ts';
import { evaluate, type ReluNet } from './relu-net.ts';
import { wantedSign, type Counterexample, type MonotoneSpec } from './spec.ts';

// Slopes and differences closer to zero than this are float noise, not violations.
const SLOPE_TOL = 1e-9;
const STEP_TOL = 1e-12;

/**
 * Walks the line x + t·e_i for t in [tLo, tHi] exactly: along a line a ReLU network is piecewise linear, so the
 * walk goes from one activation pattern to the next (the nearest point where a hidden pre-activation crosses zero),
 * reading the output's slope on each piece. A piece whose slope has the wrong sign gives a pair (its two ends),
 * returned only if evaluating the network at both confirms it.
 */
export function walkLine(net: ReluNet, x0: ArrayLike<number>, input: number, tLo: number, tHi: number, sign: number): Counterexample | null {
  if (sign === 0 || !(tHi > tLo)) return null;
  const x = Float64Array.from(x0);
  const at = (t: number) => {
    const p = Array.from(x);
    p[input] = t;
    return p;
  };
  let t = tLo;
  let guard = 0;
  // A piece per activation change; a generous bound against a stall at a breakpoint that float rounding revisits.
  const maxPieces = 64 + 8 * net.layers.reduce((n, L) => n + L.nOut, 0);
  while (t < tHi && guard++ < maxPieces) {
    x[input] = t;
    let a = Float64Array.from(x);
    let da = new Float64Array(x.length);
    da[input] = 1;
    let next = tHi;
    let slope = 0;
    net.layers.forEach((L, l) => {
      const z = Float64Array.from(L.b);
      const dz = new Float64Array(L.nOut);
      for (let i = 0; i < L.nIn; i++) {
        const v = a[i]!;
        const dv = da[i]!;
        if (v === 0 && dv === 0) continue;
        const row = i * L.nOut;
        for (let j = 0; j < L.nOut; j++) {
          z[j]! += v * L.w[row + j]!;
          dz[j]! += dv * L.w[row + j]!;
        }
      }
      if (l + 1 === net.layers.length) {
        slope = dz[0]!;
        return;
      }
      for (let j = 0; j < L.nOut; j++) {
        // On the piece just after t: active if positive, or at zero and rising.
        const on = z[j]! > 0 || (z[j] === 0 && dz[j]! > 0);
        if (dz[j] !== 0) {
          const cross = t - z[j]! / dz[j]!;
          if (cross > t + STEP_TOL && cross < next) next = cross;
        }
        if (!on) {
          z[j] = 0;
          dz[j] = 0;
        }
      }
      a = z;
      da = dz;
    });
    if (slope * sign < -SLOPE_TOL) {
      const lo = at(t);
      const hi = at(next);
      const fLo = evaluate(net, lo);
      const fHi = evaluate(net, hi);
      if ((fHi - fLo) * sign < -STEP_TOL * Math.max(1, Math.abs(fLo))) return { input, lo, hi, fLo, fHi };
    }
    t = next > t + STEP_TOL ? next : t + STEP_TOL;
  }
  return null;
}

/**
 * Points to walk lines from: the box's centre, its low and high corners (every corner when there are at most 3
 * inputs, or with `corners` up to 8: small boxes deep in the branch and bound), up to `maxData` data rows inside the
 * box, and `random` uniform points.
 */
export function startPoints(spec: MonotoneSpec, rng: Rng, data: readonly (readonly number[])[] = [], random = 8, maxData = 64, corners = false): number[][] {
  const n = spec.lo.length;
  const points: number[][] = [spec.lo.map((l, i) => (l + spec.hi[i]!) / 2), [...spec.lo], [...spec.hi]];
  if (n <= 3 || (corners && n <= 8)) for (let c = 1; c + 1 < 1 << n; c++) points.push(spec.lo.map((l, i) => ((c >> i) & 1 ? spec.hi[i]! : l)));
  const inside = data.filter((row) => row.every((v, i) => v >= spec.lo[i]! && v <= spec.hi[i]!));
  const step = Math.max(1, Math.floor(inside.length / maxData));
  for (let r = 0; r < inside.length && points.length < 3 + (1 << Math.min(n, 3)) + maxData; r += step) points.push([...inside[r]!]);
  for (let r = 0; r < random; r++) points.push(spec.lo.map((l, i) => rng.uniform(l, spec.hi[i]!)));
  return points;
}

/** Walks every monotone input's line through every start point until `deadline` (performance.now()); the first confirmed pair, or null. */
export function falsify(net: ReluNet, spec: MonotoneSpec, points: readonly (readonly number[])[], deadline = Infinity): Counterexample | null {
  for (const p of points) {
    if (performance.now() > deadline) return null;
    for (let i = 0; i < spec.directions.length; i++) {
      const sign = wantedSign(spec.directions[i]!);
      if (sign === 0) continue;
      const found = walkLine(net, p, i, spec.lo[i]!, spec.hi[i]!, sign);
      if (found) return found;
    }
  }
  return null;
}
