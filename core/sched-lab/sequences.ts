import { PREV_STATES, type EncodedSequence, type SchedTarget, type SequenceMode, type SwitchTrace, type Vocab } from './types.ts';

export interface EncodeOptions {
  readonly mode: SequenceMode;
  readonly target: SchedTarget;
  /** How many distinct recent tasks the pointer target and the recency feature look back over. */
  readonly recentK: number;
}

/** How many classes a target has: the vocabulary, the prev_state groups, or K ranks plus "none of them". */
export function targetClassCount(target: SchedTarget, vocabSize: number, recentK: number): number {
  switch (target) {
    case 'next-class':
      return vocabSize;
    case 'prev-state':
      return PREV_STATES.length;
    case 'recent-pointer':
      return recentK + 1;
  }
}

/**
 * A trace's switches as model sequences: one per CPU (CPUs ascending) or one merged. Sequences never leave their
 * trace, so no window or history ever joins two recordings.
 *
 * Pointer ranks: the tasks switched in so far in the sequence, most recent first and each pid once, are ranks
 * 0..K-1. recency[i] ranks the task switched in at i among those switched in before i (rank 0 = the one switched in
 * at i-1, i.e. it is running again); the 'recent-pointer' target at i is the same rank for switch i+1 among tasks
 * switched in up to and including i (rank 0 = the task now running, switched in at i), so target[i] = recency[i+1].
 * K means "none of the last K". Idle (pid 0) counts as one task, whichever CPU it idles.
 */
export function encodeSequences(trace: SwitchTrace, vocab: Vocab, opts: EncodeOptions): EncodedSequence[] {
  if (!Number.isInteger(opts.recentK) || opts.recentK < 1) throw new Error(`recentK must be a positive integer, got ${opts.recentK}`);
  const vocabId = trace.classNames.map((name) => vocab.classOf(name));
  if (opts.mode === 'merged') {
    const all = new Int32Array(trace.length);
    for (let i = 0; i < all.length; i++) all[i] = i;
    return [encodeRows(trace, all, -1, vocabId, opts)];
  }
  const byCpu = new Map<number, number[]>();
  for (let i = 0; i < trace.length; i++) {
    const c = trace.cpu[i]!;
    let rows = byCpu.get(c);
    if (!rows) byCpu.set(c, (rows = []));
    rows.push(i);
  }
  return [...byCpu.keys()]
    .sort((a, b) => a - b)
    .map((cpu) => encodeRows(trace, Int32Array.from(byCpu.get(cpu)!), cpu, vocabId, opts));
}

function encodeRows(trace: SwitchTrace, rows: Int32Array, sequenceCpu: number, vocabId: number[], opts: EncodeOptions): EncodedSequence {
  const n = rows.length;
  const K = opts.recentK;
  const classId = new Int32Array(n);
  const prevState = new Int32Array(n);
  const cpu = new Int32Array(n);
  const logDt = new Float32Array(n);
  const woken = new Int8Array(n);
  const logWake = new Float32Array(n);
  const recency = new Int32Array(n);
  const pids = new Int32Array(n);
  const recent: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    classId[i] = vocabId[trace.nextClass[r]!]!;
    prevState[i] = trace.prevState[r]!;
    cpu[i] = trace.cpu[r]!;
    logDt[i] = i === 0 ? 0 : Math.log1p(Math.max(0, trace.tsNs[r]! - trace.tsNs[rows[i - 1]!]!) / 1e3);
    woken[i] = trace.woken[r]!;
    logWake[i] = woken[i] === 1 ? Math.log1p(Math.max(0, trace.wakeLatencyNs[r]!) / 1e3) : 0;
    const pid = trace.nextPid[r]!;
    pids[i] = pid;
    const at = recent.indexOf(pid);
    recency[i] = at < 0 ? K : at;
    if (at >= 0) recent.splice(at, 1);
    recent.unshift(pid);
    if (recent.length > K) recent.length = K;
  }
  const target = new Int32Array(n);
  const targetIdle = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (i === n - 1) {
      target[i] = -1;
      continue;
    }
    targetIdle[i] = pids[i + 1] === 0 ? 1 : 0;
    switch (opts.target) {
      case 'next-class':
        target[i] = classId[i + 1]!;
        break;
      case 'prev-state':
        target[i] = prevState[i + 1]!;
        break;
      case 'recent-pointer':
        target[i] = recency[i + 1]!;
        break;
    }
  }
  return {
    traceId: trace.traceId,
    workload: trace.workload,
    role: trace.role,
    sequenceCpu,
    length: n,
    classId,
    prevState,
    cpu,
    logDt,
    woken,
    logWake,
    recency,
    target,
    targetIdle,
  };
}
