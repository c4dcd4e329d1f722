import type { Baseline } from './baselines.ts';
import { GroupedAccumulator } from './metrics.ts';
import { UNKNOWN_CLASS, type EncodedSequence, type GroupedScores, type Ranker } from './types.ts';
import { windowPositions, type WindowPositions } from './windows.ts';

export interface RankerEvaluation extends GroupedScores {
  /** Per scored position, in windowPositions order: the true target and the top-1 prediction (for confusion). */
  readonly truth: Int32Array;
  readonly top1: Int32Array;
}

/**
 * Scores a ranker on every stride-1 window end, the positions a window-`window` model is scored on, so a baseline
 * and a model are compared on exactly the same switches. "Unknown" means the next task's class was never seen in
 * training, whatever the target.
 */
export function evaluateRanker(ranker: Ranker, seqs: readonly EncodedSequence[], window: number, k: number): RankerEvaluation {
  const positions = windowPositions(seqs, window, 1);
  return scorePositions(seqs, positions, k, (j) => ranker(seqs[positions.seq[j]!]!, positions.pos[j]!, k));
}

/** Scores the ranking `rank(j)` of each position j of `positions` (only its first k count). */
export function scorePositions(seqs: readonly EncodedSequence[], positions: WindowPositions, k: number, rank: (j: number) => Int32Array): RankerEvaluation {
  const { seq, pos } = positions;
  const acc = new GroupedAccumulator();
  const truth = new Int32Array(pos.length);
  const top1 = new Int32Array(pos.length);
  for (let j = 0; j < pos.length; j++) {
    const s = seqs[seq[j]!]!;
    const p = pos[j]!;
    const ranked = rank(j);
    const topK = ranked.length > k ? ranked.subarray(0, k) : ranked;
    truth[j] = s.target[p]!;
    top1[j] = topK.length > 0 ? topK[0]! : -1;
    acc.add(s, topK, s.target[p]!, s.targetIdle[p] === 1, s.classId[p + 1] === UNKNOWN_CLASS);
  }
  return { ...acc.result(), truth, top1 };
}

/** Fits a baseline on the training sequences and scores it on the test sequences. */
export function evaluateBaseline(
  baseline: Baseline,
  train: readonly EncodedSequence[],
  test: readonly EncodedSequence[],
  numClasses: number,
  window: number,
  k: number,
): RankerEvaluation {
  baseline.fit(train, numClasses);
  return evaluateRanker((s, p, kk) => baseline.rank(s, p, kk), test, window, k);
}
