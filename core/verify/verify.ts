import { Rng } from '../ml/rng.ts';
import { falsify, startPoints } from './falsify.ts';
import { gradientBounds } from './gradient-bounds.ts';
import type { ReluNet } from './relu-net.ts';
import { checkSpec, wantedSign, type Counterexample, type MonotoneSpec } from './spec.ts';

export type VerifyMode = 'complete' | 'ouroboros';

export interface VerifyOptions {
  /**
   * 'complete' (ours): falsify first (exact line walks from data points, corners and random points), then branch
   * and bound on interval gradient bounds, walking lines inside every box the bounds cannot settle; never reports a
   * violation without a confirmed pair. 'ouroboros': interval gradient + bisection only, as Ouroboros verifies; a
   * box still unproven at the smallest size counts against the network ("not proven"), with no pair.
   */
  readonly mode?: VerifyMode;
  /** Rows of training data (inputs only) to start line walks from. */
  readonly data?: readonly (readonly number[])[];
  readonly seed?: number;
  readonly maxSeconds?: number;
  readonly maxBoxes?: number;
  /** Boxes narrower than this fraction of the spec box (in every split dimension) are not split further. */
  readonly minWidth?: number;
  readonly onProgress?: (p: { verifiedVolume: number; boxes: number; seconds: number }) => void;
}

export interface VerifyResult {
  /**
   * verified: the property holds on the whole box (sound). falsified: a pair violates it (confirmed by evaluating
   * the network). unknown: neither within the budget (verifiedVolume says how much is proven). not-proven: the
   * Ouroboros mode's answer when some box could not be proven at the smallest size.
   */
  readonly status: 'verified' | 'falsified' | 'unknown' | 'not-proven';
  readonly counterexample?: Counterexample;
  /** Fraction of the box's volume proven (1 when verified). */
  readonly verifiedVolume: number;
  readonly boxes: number;
  readonly seconds: number;
  readonly mode: VerifyMode;
  /** Smallest boxes neither proven nor falsified (at most 64): what an exact solver, or more training, must settle. */
  readonly unresolved: { lo: number[]; hi: number[] }[];
}

interface Box {
  lo: number[];
  hi: number[];
  /** Fraction of the spec box's volume. */
  volume: number;
}

/** Checks that f is monotone in each non-free input, the way the spec says, over the spec's box. */
export function verifyMonotone(net: ReluNet, spec: MonotoneSpec, o: VerifyOptions = {}): VerifyResult {
  checkSpec(spec, net.inputs);
  const mode = o.mode ?? 'complete';
  const t0 = performance.now();
  const maxMs = (o.maxSeconds ?? 30) * 1000;
  const maxBoxes = o.maxBoxes ?? 200_000;
  const minWidth = o.minWidth ?? 1 / 1024;
  const rng = new Rng(o.seed ?? 1);
  const signs = spec.directions.map(wantedSign);
  const width = spec.lo.map((l, i) => spec.hi[i]! - l);
  const seconds = () => (performance.now() - t0) / 1000;
  const unresolved: { lo: number[]; hi: number[] }[] = [];
  const done = (status: VerifyResult['status'], verifiedVolume: number, boxes: number, counterexample?: Counterexample): VerifyResult => ({
    status,
    ...(counterexample ? { counterexample } : {}),
    verifiedVolume,
    boxes,
    seconds: seconds(),
    mode,
    unresolved,
  });
  if (signs.every((s) => s === 0)) return done('verified', 1, 0);

  // A quarter of the budget at most for the first search for a pair; lines through undecided boxes come later.
  if (mode === 'complete') {
    const found = falsify(net, spec, startPoints(spec, rng, o.data ?? []), t0 + maxMs / 4);
    if (found) return done('falsified', 0, 0, found);
  }

  const stack: Box[] = [{ lo: [...spec.lo], hi: [...spec.hi], volume: 1 }];
  let verified = 0;
  let boxes = 0;
  let unprovenSmallest = false;
  let lastReport = performance.now();
  while (stack.length > 0) {
    if (boxes >= maxBoxes || performance.now() - t0 > maxMs) return done('unknown', verified, boxes);
    const box = stack.pop()!;
    boxes++;
    const g = gradientBounds(net, box.lo, box.hi);
    let proven = true;
    let definitelyWrong = false;
    for (let i = 0; i < signs.length; i++) {
      const s = signs[i]!;
      if (s === 0) continue;
      const low = s > 0 ? g.lo[i]! : -g.hi[i]!;
      const high = s > 0 ? g.hi[i]! : -g.lo[i]!;
      if (low < 0) proven = false;
      // Every gradient in the box has the wrong sign: any line through it along e_i is a counterexample.
      if (high < 0 && box.hi[i]! > box.lo[i]!) definitelyWrong = true;
    }
    if (proven) {
      verified += box.volume;
    } else {
      const canSplit = box.lo.some((l, i) => width[i]! > 0 && (box.hi[i]! - l) / width[i]! > minWidth);
      if (mode === 'complete' && (definitelyWrong || !canSplit)) {
        const found = falsify(net, { ...spec, lo: box.lo, hi: box.hi }, startPoints({ ...spec, lo: box.lo, hi: box.hi }, rng, [], 4, 64, true), t0 + maxMs);
        if (found) return done('falsified', verified, boxes, found);
      }
      if (!canSplit) {
        // Ouroboros would call this box violated; the complete mode leaves it to an exact solver (not run here).
        unprovenSmallest = true;
        if (unresolved.length < 64) unresolved.push({ lo: box.lo, hi: box.hi });
        if (mode === 'ouroboros') return done('not-proven', verified, boxes);
        continue;
      }
      // Split the widest dimension (relative to the spec box) in half.
      let d = -1;
      let best = -1;
      for (let i = 0; i < box.lo.length; i++) {
        if (width[i] === 0) continue;
        const rel = (box.hi[i]! - box.lo[i]!) / width[i]!;
        if (rel > best) {
          best = rel;
          d = i;
        }
      }
      const mid = (box.lo[d]! + box.hi[d]!) / 2;
      const left: Box = { lo: [...box.lo], hi: [...box.hi], volume: box.volume / 2 };
      const right: Box = { lo: [...box.lo], hi: [...box.hi], volume: box.volume / 2 };
      left.hi[d] = mid;
      right.lo[d] = mid;
      stack.push(right, left);
    }
    if (o.onProgress && performance.now() - lastReport > 100) {
      o.onProgress({ verifiedVolume: verified, boxes, seconds: seconds() });
      lastReport = performance.now();
    }
  }
  if (unprovenSmallest) return done('unknown', verified, boxes);
  return done('verified', 1, boxes);
}
