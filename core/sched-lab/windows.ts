import type { EncodedSequence } from './types.ts';

/** Where windows end: sequence index and position of the last step, whose target is predicted. */
export interface WindowPositions {
  readonly seq: Int32Array;
  readonly pos: Int32Array;
}

/**
 * Every position with a full window of history inside its own sequence and a target, every `stride`-th one
 * (counted from the first full window). Models and baselines are scored on the stride-1 set so they see the same
 * positions.
 */
export function windowPositions(seqs: readonly EncodedSequence[], window: number, stride: number): WindowPositions {
  if (!Number.isInteger(window) || window < 1) throw new Error(`window must be a positive integer, got ${window}`);
  if (!Number.isInteger(stride) || stride < 1) throw new Error(`stride must be a positive integer, got ${stride}`);
  let count = 0;
  for (const s of seqs) for (let p = window - 1; p < s.length; p += stride) if (s.target[p]! >= 0) count++;
  const seq = new Int32Array(count);
  const pos = new Int32Array(count);
  let k = 0;
  seqs.forEach((s, si) => {
    for (let p = window - 1; p < s.length; p += stride) {
      if (s.target[p]! < 0) continue;
      seq[k] = si;
      pos[k++] = p;
    }
  });
  return { seq, pos };
}

/**
 * Chronological validation split: the last `fraction` of each training sequence is validation. Both parts are views
 * on the same arrays, except the training part's target and targetIdle, copied so that its last position (whose
 * target is the first validation switch) has no target: nothing predicted in training is in validation.
 */
export function splitTrainValidation(
  seqs: readonly EncodedSequence[],
  fraction: number,
): { train: EncodedSequence[]; validation: EncodedSequence[] } {
  if (!(fraction >= 0 && fraction < 1)) throw new Error(`validation fraction must be in [0, 1), got ${fraction}`);
  const train: EncodedSequence[] = [];
  const validation: EncodedSequence[] = [];
  for (const s of seqs) {
    const cut = s.length - Math.round(s.length * fraction);
    const head = slice(s, 0, cut);
    if (cut < s.length && cut > 0) {
      const target = head.target.slice();
      const targetIdle = head.targetIdle.slice();
      target[cut - 1] = -1;
      targetIdle[cut - 1] = 0;
      train.push({ ...head, target, targetIdle });
    } else train.push(head);
    if (cut < s.length) validation.push(slice(s, cut, s.length));
  }
  return { train, validation };
}

function slice(s: EncodedSequence, from: number, to: number): EncodedSequence {
  return {
    traceId: s.traceId,
    workload: s.workload,
    role: s.role,
    sequenceCpu: s.sequenceCpu,
    length: to - from,
    classId: s.classId.subarray(from, to),
    prevState: s.prevState.subarray(from, to),
    cpu: s.cpu.subarray(from, to),
    logDt: s.logDt.subarray(from, to),
    woken: s.woken.subarray(from, to),
    logWake: s.logWake.subarray(from, to),
    recency: s.recency.subarray(from, to),
    target: s.target.subarray(from, to),
    targetIdle: s.targetIdle.subarray(from, to),
  };
}
