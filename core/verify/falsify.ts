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
 *
 * Incremental: every pre-activation moves linearly along the line, so stepping to the next breakpoint advances each
 * value by its slope, and only the neurons that switch (and, below them, the slopes they feed) are updated; a full
 * forward pass is redone every 32 pieces so float drift cannot build up. Drift could at worst make the walk miss a
 * piece; it cannot make it report a pair, since every pair is re-evaluated exactly.
 */
export function walkLine(net: ReluNet, x0: ArrayLike<number>, input: number, tLo: number, tHi: number, sign: number): Counterexample | null {
  if (sign === 0 || !(tHi > tLo)) return null;
  const x = Float64Array.from(x0);
  const at = (t: number) => {
    const p = Array.from(x);
    p[input] = t;
    return p;
  };
  const H = net.layers.length - 1;
  const out = net.layers[H]!;
  const z = net.layers.slice(0, H).map((L) => new Float64Array(L.nOut));
  const dz = net.layers.slice(0, H).map((L) => new Float64Array(L.nOut));
  const on = net.layers.slice(0, H).map((L) => new Uint8Array(L.nOut));
  // Change of each layer's output slope in the current step (sparse in practice).
  const dda = net.layers.slice(0, H).map((L) => new Float64Array(L.nOut));
  const full = (t: number) => {
    x[input] = t;
    let a: Float64Array = x;
    let da = new Float64Array(x.length);
    da[input] = 1;
    for (let l = 0; l < H; l++) {
      const L = net.layers[l]!;
      const zl = z[l]!;
      const dl = dz[l]!;
      zl.set(L.b);
      dl.fill(0);
      for (let i = 0; i < L.nIn; i++) {
        const v = a[i]!;
        const dv = da[i]!;
        if (v === 0 && dv === 0) continue;
        const row = i * L.nOut;
        for (let j = 0; j < L.nOut; j++) {
          zl[j]! += v * L.w[row + j]!;
          dl[j]! += dv * L.w[row + j]!;
        }
      }
      const na = new Float64Array(L.nOut);
      const nda = new Float64Array(L.nOut);
      for (let j = 0; j < L.nOut; j++) {
        // On the piece just after t: active if positive, or at zero and rising.
        const o = zl[j]! > 0 || (zl[j] === 0 && dl[j]! > 0);
        on[l]![j] = o ? 1 : 0;
        if (o) {
          na[j] = zl[j]!;
          nda[j] = dl[j]!;
        }
      }
      a = na;
      da = nda;
    }
  };
  const outSlope = () => {
    if (H === 0) return out.w[input]!;
    let s = 0;
    const dl = dz[H - 1]!;
    const ol = on[H - 1]!;
    for (let k = 0; k < out.nIn; k++) if (ol[k]) s += out.w[k]! * dl[k]!;
    return s;
  };
  let t = tLo;
  let pieces = 0;
  // A piece per activation change; a generous bound against a stall at a breakpoint that float rounding revisits.
  const maxPieces = 64 + 8 * net.layers.reduce((n, L) => n + L.nOut, 0);
  full(t);
  while (t < tHi && pieces++ < maxPieces) {
    const slope = outSlope();
    let next = tHi;
    for (let l = 0; l < H; l++) {
      const zl = z[l]!;
      const dl = dz[l]!;
      for (let j = 0; j < zl.length; j++) {
        if (dl[j] === 0) continue;
        const cross = t - zl[j]! / dl[j]!;
        if (cross > t + STEP_TOL && cross < next) next = cross;
      }
    }
    if (slope * sign < -SLOPE_TOL) {
      const lo = at(t);
      const hi = at(next);
      const fLo = evaluate(net, lo);
      const fHi = evaluate(net, hi);
      if ((fHi - fLo) * sign < -STEP_TOL * Math.max(1, Math.abs(fLo))) return { input, lo, hi, fLo, fHi };
    }
    const step = next > t + STEP_TOL ? next : t + STEP_TOL;
    if (step >= tHi) break;
    if (pieces % 32 === 0) {
      full(step);
      t = step;
      continue;
    }
    // Advance every pre-activation along its slope on this piece; a neuron reaching zero here is set to exactly 0.
    const dt = step - t;
    for (let l = 0; l < H; l++) {
      const zl = z[l]!;
      const dl = dz[l]!;
      for (let j = 0; j < zl.length; j++) {
        const d = dl[j]!;
        if (d === 0) continue;
        const cross = t - zl[j]! / d;
        zl[j] = Math.abs(cross - step) <= STEP_TOL ? 0 : zl[j]! + d * dt;
      }
    }
    t = step;
    // Switch the neurons whose side changed, layer by layer, pushing the change in their outputs' slopes up.
    for (let l = 0; l < H; l++) {
      const zl = z[l]!;
      const dl = dz[l]!;
      const ol = on[l]!;
      const cl = dda[l]!;
      for (let j = 0; j < zl.length; j++) {
        const o = zl[j]! > 0 || (zl[j] === 0 && dl[j]! > 0) ? 1 : 0;
        // cl[j] already holds the change of dz (from the layer below) — as an output slope it counts only if on.
        const before = ol[j] ? dl[j]! - cl[j]! : 0;
        const after = o ? dl[j]! : 0;
        cl[j] = after - before;
        ol[j] = o;
      }
      if (l + 1 < H) {
        const L = net.layers[l + 1]!;
        const nd = dz[l + 1]!;
        const nc = dda[l + 1]!;
        nc.fill(0);
        for (let j = 0; j < zl.length; j++) {
          const c = cl[j]!;
          if (c === 0) continue;
          const row = j * L.nOut;
          for (let k = 0; k < L.nOut; k++) {
            const v = c * L.w[row + k]!;
            nd[k]! += v;
            nc[k]! += v;
          }
        }
      }
    }
    dda[0]!.fill(0);
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
