import type { EncodedSequence, TraceRole } from './types.ts';

export interface HandSequenceOptions {
  readonly traceId?: string;
  readonly workload?: string;
  readonly role?: TraceRole;
  /** Defaults to the targets shifted by one (the class switched in at i is the target at i - 1), 3 at position 0. */
  readonly classId?: readonly number[];
  readonly targetIdle?: readonly number[];
  readonly cpu?: readonly number[];
  readonly prevState?: readonly number[];
  readonly logDt?: readonly number[];
  readonly woken?: readonly number[];
  readonly logWake?: readonly number[];
  readonly recency?: readonly number[];
}

/** A small EncodedSequence written out by hand, for checking algorithms against answers worked out on paper. */
export function handSequence(targets: readonly number[], o: HandSequenceOptions = {}): EncodedSequence {
  const n = targets.length;
  const zeros = () => new Array<number>(n).fill(0);
  const classId = o.classId ?? targets.map((_, i) => (i === 0 ? 3 : targets[i - 1]!));
  return {
    traceId: o.traceId ?? 'hand',
    workload: o.workload ?? 'hand',
    role: o.role ?? 'train',
    sequenceCpu: 0,
    length: n,
    classId: Int32Array.from(classId),
    prevState: Int32Array.from(o.prevState ?? zeros()),
    cpu: Int32Array.from(o.cpu ?? zeros()),
    logDt: Float32Array.from(o.logDt ?? zeros()),
    woken: Int8Array.from(o.woken ?? zeros()),
    logWake: Float32Array.from(o.logWake ?? zeros()),
    recency: Int32Array.from(o.recency ?? zeros()),
    target: Int32Array.from(targets),
    targetIdle: Uint8Array.from(o.targetIdle ?? zeros()),
  };
}
