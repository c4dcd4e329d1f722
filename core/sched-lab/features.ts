import { assertTrainingOnly } from './training-only.ts';
import { PREV_STATES, type EncodedSequence } from './types.ts';
import type { WindowPositions } from './windows.ts';

/** Where each input feature sits in one position's vector, and the vector's width. */
export interface FeatureLayout {
  readonly vocabSize: number;
  readonly numCpus: number;
  readonly recentK: number;
  readonly classOffset: number;
  readonly prevStateOffset: number;
  readonly cpuOffset: number;
  readonly logDtOffset: number;
  /** Two values: woken (1/0), and wakeups not recorded in this trace (1/0). */
  readonly wokenOffset: number;
  readonly logWakeOffset: number;
  /** recentK + 1 values: ranks 0..K-1 and "none of them". */
  readonly recencyOffset: number;
  readonly width: number;
}

/** Mean and standard deviation of the log-scaled times, from training positions only. */
export interface Normaliser {
  readonly logDtMean: number;
  readonly logDtStd: number;
  /** Over woken positions only: elsewhere logWake is a placeholder 0, not a latency. */
  readonly logWakeMean: number;
  readonly logWakeStd: number;
}

const STD_FLOOR = 1e-6;

export function featureLayout(vocabSize: number, numCpus: number, recentK: number): FeatureLayout {
  const classOffset = 0;
  const prevStateOffset = classOffset + vocabSize;
  const cpuOffset = prevStateOffset + PREV_STATES.length;
  const logDtOffset = cpuOffset + numCpus;
  const wokenOffset = logDtOffset + 1;
  const logWakeOffset = wokenOffset + 2;
  const recencyOffset = logWakeOffset + 1;
  const width = recencyOffset + recentK + 1;
  return { vocabSize, numCpus, recentK, classOffset, prevStateOffset, cpuOffset, logDtOffset, wokenOffset, logWakeOffset, recencyOffset, width };
}

export function fitNormaliser(trainSeqs: readonly EncodedSequence[]): Normaliser {
  assertTrainingOnly(trainSeqs, 'the input normaliser');
  const dt = new Moments();
  const wake = new Moments();
  for (const s of trainSeqs) {
    for (let i = 0; i < s.length; i++) {
      dt.add(s.logDt[i]!);
      if (s.woken[i] === 1) wake.add(s.logWake[i]!);
    }
  }
  return { logDtMean: dt.mean(), logDtStd: dt.std(), logWakeMean: wake.mean(), logWakeStd: wake.std() };
}

/** Writes position p's features at out[offset .. offset + layout.width). */
export function writeFeatures(
  seq: EncodedSequence,
  p: number,
  layout: FeatureLayout,
  norm: Normaliser,
  out: Float32Array,
  offset: number,
): void {
  out.fill(0, offset, offset + layout.width);
  const c = seq.classId[p]!;
  if (c >= 0 && c < layout.vocabSize) out[offset + layout.classOffset + c] = 1;
  const s = seq.prevState[p]!;
  if (s >= 0 && s < PREV_STATES.length) out[offset + layout.prevStateOffset + s] = 1;
  // A CPU beyond the trained count (a bigger machine) gets no one-hot rather than another CPU's.
  const cpu = seq.cpu[p]!;
  if (cpu >= 0 && cpu < layout.numCpus) out[offset + layout.cpuOffset + cpu] = 1;
  out[offset + layout.logDtOffset] = (seq.logDt[p]! - norm.logDtMean) / norm.logDtStd;
  const w = seq.woken[p]!;
  out[offset + layout.wokenOffset] = w === 1 ? 1 : 0;
  out[offset + layout.wokenOffset + 1] = w === -1 ? 1 : 0;
  out[offset + layout.logWakeOffset] = w === 1 ? (seq.logWake[p]! - norm.logWakeMean) / norm.logWakeStd : 0;
  // Sequences encoded with a larger K than the model's fold their far ranks into "none of them".
  const r = Math.min(Math.max(seq.recency[p]!, 0), layout.recentK);
  out[offset + layout.recencyOffset + r] = 1;
}

export interface WindowBatch {
  /** [batch, window, layout.width], row-major. */
  readonly x: Float32Array;
  readonly y: Int32Array;
  /** 1 where the target's next task is idle. */
  readonly idle: Uint8Array;
}

/** The windows ending at positions[indices[b]], with their targets. */
export function buildWindowBatch(
  seqs: readonly EncodedSequence[],
  positions: WindowPositions,
  indices: ArrayLike<number>,
  window: number,
  layout: FeatureLayout,
  norm: Normaliser,
): WindowBatch {
  const B = indices.length;
  const F = layout.width;
  const x = new Float32Array(B * window * F);
  const y = new Int32Array(B);
  const idle = new Uint8Array(B);
  for (let b = 0; b < B; b++) {
    const j = indices[b]!;
    const seq = seqs[positions.seq[j]!]!;
    const end = positions.pos[j]!;
    const start = end - window + 1;
    if (start < 0) throw new Error(`window of ${window} ending at position ${end} starts before its sequence`);
    for (let t = 0; t < window; t++) writeFeatures(seq, start + t, layout, norm, x, (b * window + t) * F);
    y[b] = seq.target[end]!;
    idle[b] = seq.targetIdle[end]!;
  }
  return { x, y, idle };
}

class Moments {
  private n = 0;
  private sum = 0;
  private sumSq = 0;
  add(v: number): void {
    this.n++;
    this.sum += v;
    this.sumSq += v * v;
  }
  mean(): number {
    return this.n ? this.sum / this.n : 0;
  }
  std(): number {
    if (!this.n) return 1;
    const m = this.mean();
    return Math.max(Math.sqrt(Math.max(0, this.sumSq / this.n - m * m)), STD_FLOOR);
  }
}
