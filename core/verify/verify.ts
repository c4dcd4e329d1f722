import { Rng } from '../ml/rng.ts';
import { falsify, startPoints, walkLine } from './falsify.ts';
import { gradientBounds } from './gradient-bounds.ts';
import { loadedMilpSolver, loadHighsSolver, milpLoadError, type HighsInit } from './highs-solver.ts';
import { backwardIntervals, linearBounds, stabilityMargins, type NetBounds, type StabilityMargins } from './linear-bounds.ts';
import { gradientMilp, patternOf, regionLp, type MilpSolver } from './milp.ts';
import type { ReluNet } from './relu-net.ts';
import { checkSpec, wantedSign, type Counterexample, type MonotoneSpec } from './spec.ts';

export type VerifyMode = 'complete' | 'ouroboros';

export interface VerifyOptions {
  /**
   * 'complete' (ours): falsify first (exact line walks from data points, corners and random points), then branch
   * and bound on gradient bounds from symbolic linear bounds (linear-bounds.ts), reusing each parent's bounds and
   * proofs, walking lines inside boxes the bounds call wrong, and settling boxes where the bounds stall with an exact
   * MILP (milp.ts) when a solver is loaded; never reports a violation without a confirmed pair.
   * 'ouroboros': interval gradient + bisection of the widest input only, as Ouroboros verifies; a box still unproven
   * at the smallest size counts against the network ("not proven"), with no pair.
   */
  readonly mode?: VerifyMode;
  /** Rows of training data (inputs only) to start line walks from. */
  readonly data?: readonly (readonly number[])[];
  readonly seed?: number;
  readonly maxSeconds?: number;
  readonly maxBoxes?: number;
  /** Boxes narrower than this fraction of the spec box (in every split dimension) are not split further. */
  readonly minWidth?: number;
  /**
   * The exact step (complete mode). true (default): use the MILP solver if one is loaded (`loadHighsSolver()`, or
   * `verifyMonotoneAsync`, which loads it); false: bounds and line walks only. A MilpSolver: that one.
   */
  readonly milp?: boolean | MilpSolver;
  /**
   * A box goes to the MILP when its bounds leave fewer unstable neurons than a ceiling, or when it cannot be split.
   * The ceiling starts at milpStartUnstable (default 160) and adapts within milpMaxUnstable (default 400): after a
   * solve runs out of time it drops below that box's count (and the box's descendants wait for a quarter fewer),
   * after quick proofs it rises past the box's count. The MILP's time grows steeply with unstable neurons.
   */
  readonly milpMaxUnstable?: number;
  readonly milpStartUnstable?: number;
  /** Time limit of one MILP solve in seconds (default 1; at the smallest box size, 4× that). */
  readonly milpSeconds?: number;
  /** How the MILP encodes the gradient (milp.ts): 'forward' (default: the faster on the bench's nets) or 'backward' mode. */
  readonly milpForm?: 'backward' | 'forward';
  /**
   * Which input to split (complete mode): 'widest' (default, relative to the spec box, as Ouroboros) or 'smart' (the
   * input carrying most of the unstable neurons' weighted uncertainty; see splitInput). On the bench's nets, whose
   * inputs all matter, 'smart' needed about as many boxes and more time per box; it pays off where some inputs barely
   * move the network.
   */
  readonly split?: 'smart' | 'widest';
  /**
   * A deterministic budget instead of a time budget: what makes a verification reproducible (the same network and
   * spec give the same answer on any machine, at any load). `boxes`: branch-and-bound boxes at most; `milpNodes`:
   * HiGHS branch-and-bound nodes per exact solve (4× on a box at the smallest size); the exact step's adaptive
   * ceiling follows node counts instead of seconds. maxSeconds then only guards against a runaway: a verification
   * it stops says so (`stoppedBy: 'time'`), as its answer may differ elsewhere.
   */
  readonly work?: { readonly boxes: number; readonly milpNodes: number };
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
  /**
   * Boxes neither proven nor falsified (at most 64): those the smallest size and the exact step could not settle, then,
   * when the budget ran out, the largest boxes still waiting. What more time, or more training, must settle.
   */
  readonly unresolved: { lo: number[]; hi: number[] }[];
  /** How bounds were computed: 'linear' (complete mode) or 'interval' (Ouroboros's). */
  readonly bounds: 'linear' | 'interval';
  /**
   * Why an unknown (or Ouroboros's not-proven) answer stopped short: 'work' (the deterministic budget or maxBoxes
   * ran out: the same everywhere) or 'time' (maxSeconds: this machine's speed decided, so another may answer
   * differently).
   */
  readonly stoppedBy?: 'work' | 'time';
  /** MILP solves run, boxes they proved, and the seconds they took (complete mode). */
  readonly milp: { readonly solver: string | null; readonly solves: number; readonly proved: number; readonly seconds: number; readonly unavailable?: string };
}

interface Box {
  lo: number[];
  hi: number[];
  /** Fraction of the spec box's volume. */
  volume: number;
  /** Monotone inputs not yet proven on this box (a parent's proof holds on its children). */
  pending: number[];
  /** The parent's bounds (valid here too: intersected into this box's). */
  parent?: NetBounds;
  /** The MILP is tried here only with fewer unstable neurons than this (it ran out of time on an ancestor with more). */
  milpBelow: number;
}

// HiGHS settings for the proofs: presolve and primal heuristics cost more than they save on these programs
// (measured on the bench's 2×300 nets: about 15% less time without them).
const MILP_OPTIONS = { presolve: 'off', mip_heuristic_effort: 0 } as const;

// A MILP optimum this close to zero is flat up to float noise: the falsifier's slope tolerance (falsify.ts).
const FLAT = 1e-9;

/** Checks that f is monotone in each non-free input, the way the spec says, over the spec's box. */
export function verifyMonotone(net: ReluNet, spec: MonotoneSpec, o: VerifyOptions = {}): VerifyResult {
  checkSpec(spec, net.inputs);
  const mode = o.mode ?? 'complete';
  return mode === 'ouroboros' ? ouroboros(net, spec, o) : complete(net, spec, o);
}

/**
 * verifyMonotone with the exact step available: loads the MILP solver first (once per process; `highs` lets a
 * browser worker say where highs.wasm is). If it cannot load, verification runs without it and says so.
 */
export async function verifyMonotoneAsync(net: ReluNet, spec: MonotoneSpec, o: VerifyOptions = {}, highs?: HighsInit): Promise<VerifyResult> {
  if ((o.mode ?? 'complete') === 'complete' && o.milp !== false && typeof o.milp !== 'object') await loadHighsSolver(highs);
  return verifyMonotone(net, spec, o);
}

function common(net: ReluNet, spec: MonotoneSpec, o: VerifyOptions) {
  const t0 = performance.now();
  return {
    t0,
    maxMs: (o.maxSeconds ?? 30) * 1000,
    maxBoxes: o.work?.boxes ?? o.maxBoxes ?? 200_000,
    minWidth: o.minWidth ?? 1 / 1024,
    rng: new Rng(o.seed ?? 1),
    signs: spec.directions.map(wantedSign),
    width: spec.lo.map((l, i) => spec.hi[i]! - l),
    seconds: () => (performance.now() - t0) / 1000,
  };
}

/** Ouroboros's verifier: interval gradient bounds, bisection of the widest input, no pairs. */
function ouroboros(net: ReluNet, spec: MonotoneSpec, o: VerifyOptions): VerifyResult {
  const { t0, maxMs, maxBoxes, minWidth, signs, width, seconds } = common(net, spec, o);
  const unresolved: { lo: number[]; hi: number[] }[] = [];
  const done = (status: VerifyResult['status'], verifiedVolume: number, boxes: number, stoppedBy?: 'work' | 'time'): VerifyResult => ({
    status,
    verifiedVolume,
    boxes,
    ...(stoppedBy ? { stoppedBy } : {}),
    seconds: seconds(),
    mode: 'ouroboros',
    unresolved,
    bounds: 'interval',
    milp: { solver: null, solves: 0, proved: 0, seconds: 0 },
  });
  if (signs.every((s) => s === 0)) return done('verified', 1, 0);
  const stack: { lo: number[]; hi: number[]; volume: number }[] = [{ lo: [...spec.lo], hi: [...spec.hi], volume: 1 }];
  let verified = 0;
  let boxes = 0;
  let lastReport = performance.now();
  while (stack.length > 0) {
    if (boxes >= maxBoxes) return done('unknown', verified, boxes, 'work');
    if (performance.now() - t0 > maxMs) return done('unknown', verified, boxes, 'time');
    const box = stack.pop()!;
    boxes++;
    const g = gradientBounds(net, box.lo, box.hi);
    const proven = signs.every((s, i) => s === 0 || (s > 0 ? g.lo[i]! : -g.hi[i]!) >= 0);
    if (proven) verified += box.volume;
    else {
      const d = widest(box.lo, box.hi, width);
      if (d < 0 || (box.hi[d]! - box.lo[d]!) / width[d]! <= minWidth) {
        // Ouroboros counts a box it cannot prove at the smallest size as violated; without a pair we say "not proven".
        unresolved.push({ lo: box.lo, hi: box.hi });
        return done('not-proven', verified, boxes);
      }
      const [left, right] = bisect(box, d);
      stack.push(right, left);
    }
    if (o.onProgress && performance.now() - lastReport > 100) {
      o.onProgress({ verifiedVolume: verified, boxes, seconds: seconds() });
      lastReport = performance.now();
    }
  }
  return done('verified', 1, boxes);
}

function widest(lo: readonly number[], hi: readonly number[], width: readonly number[]): number {
  let d = -1;
  let best = 0;
  for (let i = 0; i < lo.length; i++) {
    if (width[i] === 0) continue;
    const rel = (hi[i]! - lo[i]!) / width[i]!;
    if (rel > best) {
      best = rel;
      d = i;
    }
  }
  return d;
}

function widestSplittable(box: { lo: number[]; hi: number[] }, width: readonly number[], minWidth: number): number {
  const d = widest(box.lo, box.hi, width);
  return d >= 0 && (box.hi[d]! - box.lo[d]!) / width[d]! > minWidth ? d : -1;
}

function bisect<B extends { lo: number[]; hi: number[]; volume: number }>(box: B, d: number): [B, B] {
  const mid = (box.lo[d]! + box.hi[d]!) / 2;
  const left: B = { ...box, lo: [...box.lo], hi: [...box.hi], volume: box.volume / 2 };
  const right: B = { ...box, lo: [...box.lo], hi: [...box.hi], volume: box.volume / 2 };
  left.hi[d] = mid;
  right.lo[d] = mid;
  return [left, right];
}

/**
 * Which input to split: the one that carries most of the unstable neurons' uncertainty, weighted by how much each
 * can swing the gradient. For a first-layer unstable neuron j, input t's share of its pre-activation range is
 * |W[t,j]|·width_t / Σ|W[·,j]|·width; deeper unstable neurons are spread over the inputs by their first-layer
 * inputs' shares. A neuron's weight is the size of the backward interval it multiplies. Inputs of zero width
 * (or at the smallest size) are never chosen; with nothing unstable, the widest input.
 */
function splitInput(net: ReluNet, b: NetBounds, rMax: Float64Array[], lo: readonly number[], hi: readonly number[], width: readonly number[], minWidth: number): number {
  const n = net.inputs;
  const ok = lo.map((l, t) => width[t]! > 0 && (hi[t]! - l) / width[t]! > minWidth);
  if (!ok.some(Boolean)) return -1;
  const score = new Float64Array(n);
  const first = net.layers[0]!;
  const m = first.nOut;
  // Each first-layer neuron's shares over the inputs.
  const share = new Float64Array(m * n);
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let t = 0; t < n; t++) {
      const v = Math.abs(first.w[t * m + j]!) * (hi[t]! - lo[t]!);
      share[j * n + t] = v;
      s += v;
    }
    if (s > 0) for (let t = 0; t < n; t++) share[j * n + t]! /= s;
  }
  const mask0 = b.masks[0]!;
  const r0 = rMax[0]!;
  for (let j = 0; j < m; j++) {
    if (mask0[j] !== -1) continue;
    const wgt = r0[j]! * (b.zHi[0]![j]! - b.zLo[0]![j]!);
    for (let t = 0; t < n; t++) score[t]! += wgt * share[j * n + t]!;
  }
  // Deeper layers: an unstable neuron's range spread by the shares of the neurons feeding it (weights |W|·range).
  let feed = share;
  for (let l = 1; l < b.masks.length; l++) {
    const layer = net.layers[l]!;
    const prevLo = b.zLo[l - 1]!;
    const prevHi = b.zHi[l - 1]!;
    const prevMask = b.masks[l - 1]!;
    const next = new Float64Array(layer.nOut * n);
    for (let i = 0; i < layer.nIn; i++) {
      if (prevMask[i] === 0) continue;
      const range = Math.max(0, prevHi[i]!) - Math.max(0, prevLo[i]!);
      if (range <= 0) continue;
      for (let k = 0; k < layer.nOut; k++) {
        const a = Math.abs(layer.w[i * layer.nOut + k]!) * range;
        if (a === 0) continue;
        for (let t = 0; t < n; t++) next[k * n + t]! += a * feed[i * n + t]!;
      }
    }
    const mask = b.masks[l]!;
    const r = rMax[l]!;
    for (let k = 0; k < layer.nOut; k++) {
      let s = 0;
      for (let t = 0; t < n; t++) s += next[k * n + t]!;
      if (s > 0) for (let t = 0; t < n; t++) next[k * n + t]! /= s;
      if (mask[k] !== -1) continue;
      const wgt = r[k]! * (b.zHi[l]![k]! - b.zLo[l]![k]!);
      for (let t = 0; t < n; t++) score[t]! += wgt * next[k * n + t]!;
    }
    feed = next;
  }
  let d = -1;
  let best = -1;
  for (let t = 0; t < n; t++) {
    if (!ok[t]) continue;
    if (score[t]! > best) {
      best = score[t]!;
      d = t;
    }
  }
  return best > 0 ? d : widest(lo, hi, width.map((w, t) => (ok[t] ? w : 0)));
}

/**
 * The complete mode. Why a sign bound on ∂f/∂x_i proves monotonicity although the gradient is undefined on kinks:
 * along a segment x + t·e_i in the box, f is continuous and piecewise linear with finitely many pieces. Inside a
 * piece every hidden neuron keeps one side: its pre-activation is either nonzero (its derivative is the 0 or 1 its
 * sign gives) or identically zero along the piece, and then its pre-activation's slope along the line is zero, so
 * it adds nothing to the slope whatever derivative is assumed for it. The slope of each piece is therefore ∂f/∂x_i
 * computed with some activation pattern that agrees with the signs of the pre-activations at a point of the box,
 * and both the bounds (a neuron that can be 0 is "unstable": derivative anywhere in [0, 1]) and the MILP (a neuron at
 * exactly 0 may take either binary value) allow every such pattern. If their minimum of s·∂f/∂x_i is ≥ 0, every piece
 * is flat or goes the right way, so f is monotone along the whole segment; any two points of the box that differ in
 * x_i alone lie on one such segment (the box is convex). Float64 without directed rounding, like Ouroboros; linear
 * bounds are padded against rounding (linear-bounds.ts); the MILP's answers hold up to HiGHS's tolerances (1e-6),
 * and an optimum within 1e-9 of zero counts as flat, as the line walk counts slopes that small as noise.
 */
function complete(net: ReluNet, spec: MonotoneSpec, o: VerifyOptions): VerifyResult {
  const { t0, maxMs, maxBoxes, minWidth, rng, signs, width, seconds } = common(net, spec, o);
  const solver: MilpSolver | null = o.milp === false ? null : typeof o.milp === 'object' ? o.milp : loadedMilpSolver();
  const milpMaxUnstable = o.milpMaxUnstable ?? 400;
  const milpSeconds = o.milpSeconds ?? 1;
  // Boxes go to the MILP below this many unstable neurons; it adapts (see below), starting well inside the range
  // where HiGHS settles a 2×300 net's box in about a second.
  let ceiling = Math.min(milpMaxUnstable, o.milpStartUnstable ?? 160);
  const milpStats = { solves: 0, proved: 0, ms: 0 };
  const unresolved: { lo: number[]; hi: number[] }[] = [];
  const work = o.work;
  // Set when the wall clock, not the work budget, cut something short (a falsifier pass, a solve, the search).
  let clockStopped = false;
  const done = (status: VerifyResult['status'], verifiedVolume: number, boxes: number, counterexample?: Counterexample, stoppedBy?: 'work' | 'time'): VerifyResult => ({
    status,
    ...(counterexample ? { counterexample } : {}),
    ...(stoppedBy ? { stoppedBy } : status === 'unknown' && clockStopped ? { stoppedBy: 'time' as const } : {}),
    verifiedVolume,
    boxes,
    seconds: seconds(),
    mode: 'complete',
    unresolved,
    bounds: 'linear',
    milp: {
      solver: solver?.name ?? null,
      solves: milpStats.solves,
      proved: milpStats.proved,
      seconds: milpStats.ms / 1000,
      ...(solver || o.milp === false ? {} : { unavailable: milpLoadError() ?? 'no MILP solver loaded (loadHighsSolver / verifyMonotoneAsync)' }),
    },
  });
  const monotone = signs.flatMap((s, i) => (s === 0 ? [] : [i]));
  if (monotone.length === 0) return done('verified', 1, 0);

  // A quarter of the budget at most for the first search for a pair; lines through undecided boxes come later.
  // (With a work budget every start point is walked: the clock only guards.)
  const firstDeadline = work ? t0 + maxMs : t0 + maxMs / 4;
  const found = falsify(net, spec, startPoints(spec, rng, o.data ?? []), firstDeadline);
  if (found) return done('falsified', 0, 0, found);
  if (work && performance.now() > firstDeadline) clockStopped = true;

  const margins: StabilityMargins = stabilityMargins(net, spec.lo, spec.hi);
  const deadline = () => t0 + maxMs - performance.now();

  /** The exact step on one box and input: 'proven', a confirmed pair, 'timeout', or 'open' (a negative optimum not confirmed). */
  // The last solve's node count (work mode's measure of a quick proof).
  let lastNodes = 0;
  const exact = (box: Box, b: NetBounds, i: number, seconds: number, nodes: number): 'proven' | Counterexample | 'timeout' | 'open' => {
    const s = signs[i]!;
    const form = o.milpForm ?? 'forward';
    const g = gradientMilp(net, b, box.lo, box.hi, i, s, { form });
    const t = performance.now();
    // Work mode: HiGHS's node limit decides (deterministic); the time limit is only the rest of the wall budget.
    const options = work ? { ...MILP_OPTIONS, mip_max_nodes: nodes } : MILP_OPTIONS;
    const timeLimit = work ? Math.max(0.05, deadline() / 1000) : Math.min(seconds, Math.max(0.05, deadline() / 1000));
    const r = solver!.solve(g.model, timeLimit, { cutoff: 0, target: -FLAT, options });
    milpStats.solves++;
    milpStats.ms += performance.now() - t;
    lastNodes = r.nodes ?? 0;
    if (work && r.status === 'limit' && deadline() <= 0) clockStopped = true;
    if (r.status === 'infeasible' || (r.status === 'optimal' && (r.objective ?? -Infinity) >= -FLAT) || r.bound >= 0) {
      milpStats.proved++;
      return 'proven';
    }
    if (r.x && r.objective !== undefined && r.objective < -FLAT) {
      const limit = () => (work ? Math.max(0.05, deadline() / 1000) : Math.min(seconds, Math.max(0.05, deadline() / 1000)));
      const walkFrom = (x: ArrayLike<number>) =>
        walkLine(
          net,
          Array.from({ length: net.inputs }, (_, c) => Math.min(box.hi[c]!, Math.max(box.lo[c]!, x[c]!))),
          i,
          spec.lo[i]!,
          spec.hi[i]!,
          s,
        );
      const direct = walkFrom(g.xCols.map((c) => r.x![c]!));
      if (direct) return direct;
      // The optimum sits on kinks, where it chose the derivatives it liked: look inside the region of its pattern.
      const lp = solver!.solve(regionLp(net, b, box.lo, box.hi, patternOf(g, r.x), 1), limit());
      if (lp.x && (lp.objective ?? 0) < -1e-12) {
        const pair = walkFrom(lp.x);
        if (pair) return pair;
      }
      // That region is flat (no inside): ask again for a point at least 1e-4 from every kink (well above HiGHS's
      // feasibility tolerance, 1e-6, which would otherwise let it sit on the kink again).
      const strict = gradientMilp(net, b, box.lo, box.hi, i, s, { form, margin: 1e-4 });
      const t2 = performance.now();
      const r2 = solver!.solve(strict.model, limit(), { cutoff: 0, target: -FLAT, options });
      milpStats.solves++;
      milpStats.ms += performance.now() - t2;
      if (r2.x && (r2.objective ?? 0) < -FLAT) {
        const pair = walkFrom(strict.xCols.map((c) => r2.x![c]!));
        if (pair) return pair;
      }
    }
    return r.status === 'limit' && !(r.objective !== undefined && r.objective < -FLAT) ? 'timeout' : 'open';
  };

  const stack: Box[] = [{ lo: [...spec.lo], hi: [...spec.hi], volume: 1, pending: monotone, milpBelow: milpMaxUnstable + 1 }];
  let verified = 0;
  let boxes = 0;
  let lastReport = performance.now();
  let open = false;
  while (stack.length > 0) {
    if (boxes >= maxBoxes || deadline() <= 0) {
      // Out of budget: the largest boxes still waiting are what is left to settle.
      for (const w of [...stack].sort((a, c) => c.volume - a.volume)) if (unresolved.length < 64) unresolved.push({ lo: w.lo, hi: w.hi });
      return done('unknown', verified, boxes, undefined, boxes >= maxBoxes ? (clockStopped ? 'time' : 'work') : 'time');
    }
    const box = stack.pop()!;
    boxes++;
    const b = linearBounds(net, box.lo, box.hi, margins, box.parent);
    const back = backwardIntervals(net, b.masks);
    let pending: number[] = [];
    let definitelyWrong = false;
    for (const i of box.pending) {
      const s = signs[i]!;
      const low = s > 0 ? back.gLo[i]! : -back.gHi[i]!;
      const high = s > 0 ? back.gHi[i]! : -back.gLo[i]!;
      if (low >= 0) continue;
      pending.push(i);
      // Every gradient in the box has the wrong sign: any line through it along e_i is a counterexample.
      if (high < 0 && box.hi[i]! > box.lo[i]!) definitelyWrong = true;
    }
    const d = pending.length === 0 ? -1 : o.split !== 'smart' ? widestSplittable(box, width, minWidth) : splitInput(net, b, back.rLo.map((lo, l) => lo.map((v, k) => Math.max(Math.abs(v), Math.abs(back.rHi[l]![k]!)))), box.lo, box.hi, width, minWidth);
    if (pending.length > 0 && (definitelyWrong || d < 0)) {
      const sub = { ...spec, lo: box.lo, hi: box.hi };
      const pair = falsify(net, { ...sub, directions: spec.directions.map((dir, i) => (pending.includes(i) ? dir : 'free')) }, startPoints(sub, rng, [], 4, 64, true), t0 + maxMs);
      if (pair) return done('falsified', verified, boxes, pair);
    }
    let milpBelow = box.milpBelow;
    if (pending.length > 0 && solver && ((b.unstable < milpBelow && b.unstable < ceiling) || d < 0)) {
      const still: number[] = [];
      const t = performance.now();
      let timedOut = false;
      let mostNodes = 0;
      for (const i of pending) {
        // After a timeout on this box the others would likely time out too: the box is split instead.
        if (timedOut && d >= 0) {
          still.push(i);
          continue;
        }
        const r = exact(box, b, i, d < 0 ? 4 * milpSeconds : milpSeconds, d < 0 ? 4 * (work?.milpNodes ?? 0) : (work?.milpNodes ?? 0));
        mostNodes = Math.max(mostNodes, lastNodes);
        if (r === 'proven') continue;
        if (r === 'timeout') timedOut = true;
        else if (r !== 'open') return done('falsified', verified, boxes, r);
        still.push(i);
      }
      // The ceiling follows the solver: down below a box it could not finish, up past one it proved quickly.
      if (timedOut) {
        milpBelow = Math.min(milpBelow, Math.floor(0.75 * b.unstable));
        ceiling = Math.min(ceiling, Math.floor(0.85 * b.unstable));
      } else if (still.length === 0 && (work ? mostNodes <= work.milpNodes / 4 : performance.now() - t < 250 * milpSeconds * pending.length)) {
        ceiling = Math.min(milpMaxUnstable, Math.max(ceiling, Math.ceil(1.15 * b.unstable)));
      }
      pending = still;
    }
    if (pending.length === 0) verified += box.volume;
    else if (d < 0) {
      // Neither the bounds, nor the exact step in its time, nor a line walk settled it: left open.
      open = true;
      if (unresolved.length < 64) unresolved.push({ lo: box.lo, hi: box.hi });
    } else {
      const [left, right] = bisect({ ...box, pending, parent: b, milpBelow }, d);
      stack.push(right, left);
    }
    if (o.onProgress && performance.now() - lastReport > 100) {
      o.onProgress({ verifiedVolume: verified, boxes, seconds: seconds() });
      lastReport = performance.now();
    }
  }
  if (open) return done('unknown', verified, boxes);
  return done('verified', 1, boxes);
}
