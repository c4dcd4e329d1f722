import { gatherRows } from '../engine/gather-rows.ts';
import { Mlp, type MlpConfig } from '../engine/mlp.ts';
import { Adam } from '../engine/optim.ts';
import type { KernelName } from '../engine/kernels.ts';
import { Rng } from '../ml/rng.ts';
import type { WeightData } from '../ml/weights.ts';
import { collectCounterexamples } from './collect.ts';
import { reluNetFromWeights } from './relu-net.ts';
import { wantedSign, type Counterexample, type MonotoneSpec } from './spec.ts';
import { verifyMonotone, type VerifyOptions, type VerifyResult } from './verify.ts';
import { violationRegion, type ViolationRegion } from './violation-region.ts';

export interface CegisOptions {
  readonly seed: number;
  /** Training epochs before the first verification and between later ones. */
  readonly epochsPerRound: number;
  readonly maxRounds: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Weight of the monotonicity hinge penalty (Ouroboros's λ). */
  readonly pairWeight: number;
  /** Step along the violated input for the pairs made from a counterexample (in input units). */
  readonly epsilon: number;
  /** Counterexamples taken from each falsified network: the verifier's, plus more from line walks (default 16). */
  readonly counterexamplesPerRound?: number;
  /** Pairs added around each counterexample (the pair itself, plus jittered copies along its segment). */
  readonly pairsPerCounterexample?: number;
  /** Pairs in each training step's penalty, sampled from all collected so far. */
  readonly pairsPerStep?: number;
  /** Pairs drawn uniformly over the box in each step besides the collected ones (a global nudge; 0 for Ouroboros's loop). */
  readonly randomPairsPerStep?: number;
  /** Hinge margin: pairs must rise by at least this much (0 as in Ouroboros). */
  readonly margin?: number;
  readonly verifySeconds?: number;
  readonly kernel?: KernelName;
  readonly signal?: AbortSignal;
  /** Options for every verification (mode, budget, progress); data, seed and maxSeconds are set by the loop unless given. */
  readonly verify?: Omit<VerifyOptions, 'data' | 'seed'>;
  /** After every epoch: the mean training MSE and penalty over it (the loss curve of vPALs Figure 5). */
  readonly onEpoch?: (e: { readonly epoch: number; readonly round: number; readonly mse: number; readonly penalty: number }) => void;
  /** After every verification, with the round's record. */
  readonly onRound?: (r: CegisRound) => void;
  /** Find each counterexample's violation region on the round's network (which is gone after the round). */
  readonly regions?: boolean;
}

export interface CegisRound {
  readonly round: number;
  readonly epochs: number;
  /** Mean training MSE over the round's last epoch. */
  readonly mse: number;
  readonly penalty: number;
  readonly result: VerifyResult;
  /** Counterexample pairs in the training set after this round. */
  readonly pairs: number;
}

export interface CegisOutcome {
  readonly weights: WeightData[];
  readonly rounds: CegisRound[];
  readonly verified: boolean;
  readonly counterexamples: Counterexample[];
  /** The round each counterexample was found in. */
  readonly counterexampleRounds: number[];
  /** With `regions`: per counterexample, the sub-box of that round's network where it lives (violation-region.ts). */
  readonly counterexampleRegions: (ViolationRegion | null)[];
}

/**
 * Counterexample-guided training (Ouroboros's loop, with a sound and complete verifier): train; verify; turn each
 * counterexample into hinge-penalty pairs (f(x) − f(x + ε·e_i) for an increasing input, the other way for a
 * decreasing one) and keep training on data plus every pair so far, until the verifier proves the spec or the
 * rounds run out. x is [rows × inputs] row-major, y [rows].
 */
export function trainVerified(config: MlpConfig, initial: readonly WeightData[], x: Float32Array, y: Float32Array, spec: MonotoneSpec, o: CegisOptions): CegisOutcome {
  const D = config.inputs;
  const rows = y.length;
  if (x.length !== rows * D) throw new Error(`x has ${x.length} values; ${rows} rows of ${D} inputs need ${rows * D}`);
  const rng = new Rng(o.seed);
  const collectedPerStep = o.pairsPerStep ?? 64;
  const randomPerStep = o.randomPairsPerStep ?? 0;
  const perStep = collectedPerStep + randomPerStep;
  const monotone = spec.directions.flatMap((d, i) => (wantedSign(d) === 0 ? [] : [i]));
  const net = new Mlp(config, initial, o.batchSize + 2 * perStep, o.kernel);
  const adam = new Adam(o.learningRate);
  const lo: number[] = [];
  const hi: number[] = [];
  const counterexamples: Counterexample[] = [];
  const counterexampleRounds: number[] = [];
  const counterexampleRegions: (ViolationRegion | null)[] = [];
  const rounds: CegisRound[] = [];
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  const bx = new Float32Array(o.batchSize * D);
  const by = new Float32Array(o.batchSize);
  const plo = new Float32Array(perStep * D);
  const phi = new Float32Array(perStep * D);
  const data = Array.from({ length: Math.min(rows, 256) }, (_, r) => Array.from(x.subarray(r * D, (r + 1) * D)));
  let epochs = 0;
  for (let round = 1; round <= o.maxRounds; round++) {
    let mse = 0;
    let penalty = 0;
    for (let e = 0; e < o.epochsPerRound; e++) {
      rng.shuffle(order);
      mse = 0;
      penalty = 0;
      let seen = 0;
      for (let start = 0; start < rows; start += o.batchSize) {
        if (o.signal?.aborted) throw new Error('training was cancelled');
        const n = Math.min(o.batchSize, rows - start);
        gatherRows(x, y, D, order, start, n, bx, by);
        const collected = Math.min(collectedPerStep, lo.length / D);
        for (let p = 0; p < collected; p++) {
          const q = collected === lo.length / D ? p : rng.int(lo.length / D);
          for (let d = 0; d < D; d++) {
            plo[p * D + d] = lo[q * D + d]!;
            phi[p * D + d] = hi[q * D + d]!;
          }
        }
        let count = collected;
        for (let p = 0; p < randomPerStep && monotone.length > 0; p++, count++) {
          const i = monotone[rng.int(monotone.length)]!;
          for (let d = 0; d < D; d++) plo[count * D + d] = phi[count * D + d] = rng.uniform(spec.lo[d]!, spec.hi[d]!);
          const up = Math.min(spec.hi[i]!, plo[count * D + i]! + o.epsilon);
          if (wantedSign(spec.directions[i]!) > 0) phi[count * D + i] = up;
          else plo[count * D + i] = up;
        }
        const pairs = count > 0 ? { lo: plo, hi: phi, count, weight: o.pairWeight, margin: o.margin ?? 0 } : undefined;
        const l = net.trainStep(bx.subarray(0, n * D), by.subarray(0, n), n, adam, pairs);
        mse += l.mse * n;
        penalty += l.penalty * n;
        seen += n;
      }
      mse /= seen;
      penalty /= seen;
      epochs++;
      o.onEpoch?.({ epoch: epochs, round, mse, penalty });
    }
    const relu = reluNetFromWeights(net.weights());
    const result = verifyMonotone(relu, spec, { maxSeconds: o.verifySeconds ?? 10, ...o.verify, data, seed: o.seed + round });
    // One pair per round teaches one line at a time; more pairs from the same network (exact line walks through the
    // data and the box) make each round count.
    const found = result.counterexample ? [result.counterexample, ...collectCounterexamples(relu, spec, data, rng, (o.counterexamplesPerRound ?? 16) - 1)] : [];
    for (const c of found) {
      counterexamples.push(c);
      counterexampleRounds.push(round);
      if (o.regions) counterexampleRegions.push(violationRegion(relu, spec, c));
      const sign = wantedSign(spec.directions[c.input]!);
      const add = (a: number[], b: number[]) => {
        // hi is where f must be at least f(lo) (increasing), or at most (decreasing: the pair is reversed).
        const [low, high] = sign > 0 ? [a, b] : [b, a];
        lo.push(...low);
        hi.push(...high);
      };
      add(c.lo, c.hi);
      const span = c.hi[c.input]! - c.lo[c.input]!;
      for (let k = 1; k < (o.pairsPerCounterexample ?? 16); k++) {
        const a = [...c.lo];
        a[c.input] = c.lo[c.input]! + rng.next() * span;
        // Jitter the other inputs a little so the penalty covers the neighbourhood, not only one line.
        for (let d = 0; d < D; d++) if (d !== c.input) a[d] = Math.min(spec.hi[d]!, Math.max(spec.lo[d]!, a[d]! + (rng.next() - 0.5) * o.epsilon));
        const b = [...a];
        b[c.input] = Math.min(spec.hi[c.input]!, a[c.input]! + o.epsilon);
        if (b[c.input]! > a[c.input]!) add(a, b);
      }
    }
    // Boxes the verifier could neither prove nor falsify get pairs through their centres along every monotone input,
    // as Ouroboros treats what it cannot prove: training then pushes the slope there the right way.
    for (const box of result.unresolved) {
      const centre = box.lo.map((l, d) => (l + box.hi[d]!) / 2);
      spec.directions.forEach((dir, i) => {
        const sign = wantedSign(dir);
        if (sign === 0) return;
        const a = [...centre];
        const b = [...centre];
        a[i] = Math.max(spec.lo[i]!, centre[i]! - o.epsilon / 2);
        b[i] = Math.min(spec.hi[i]!, centre[i]! + o.epsilon / 2);
        if (b[i]! <= a[i]!) return;
        const [low, high] = sign > 0 ? [a, b] : [b, a];
        lo.push(...low);
        hi.push(...high);
      });
    }
    const record: CegisRound = { round, epochs, mse, penalty, result, pairs: lo.length / D };
    rounds.push(record);
    o.onRound?.(record);
    if (result.status === 'verified') break;
  }
  return { weights: net.weights(), rounds, verified: rounds.at(-1)?.result.status === 'verified', counterexamples, counterexampleRounds, counterexampleRegions };
}
