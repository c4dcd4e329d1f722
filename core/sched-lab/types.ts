/**
 * The scheduling lab's data model: switch sequences from `sched` tables, the targets a model predicts, and the
 * results every model and baseline reports. Everything here is PID-independent so it transfers to unseen workloads.
 */

/** Which trace a bundle is in the experiment: training, a held-back trace of a seen workload, or a whole held-out workload. */
export type TraceRole = 'train' | 'test-seen' | 'test-unseen';

/** What is predicted at each switch: the class of the next task switched in, a pointer into the last K distinct
 * tasks on that CPU (K = "none of them"), or the state the running task leaves in at the next switch. */
export type SchedTarget = 'next-class' | 'recent-pointer' | 'prev-state';

/** Per CPU (each CPU's switches in time order) or merged (all CPUs' switches in one time-ordered sequence). */
export type SequenceMode = 'per-cpu' | 'merged';

/** Class ids that always exist, whatever the vocabulary: idle and unknown are never merged with a real class. */
export const IDLE_CLASS = 0;
export const UNKNOWN_CLASS = 1;
/** Real classes seen in training too rarely (or beyond the vocabulary cap) share this one. */
export const OTHER_CLASS = 2;
export const RESERVED_CLASS_NAMES = ['<idle>', '<unknown>', '<other>'] as const;

/** Coarse prev_state groups; "R+" (preempted while runnable) is kept apart from a plain "R". */
export const PREV_STATES = ['R', 'R+', 'S', 'D', 'I', 'T', 'X/Z', 'other'] as const;
export type PrevState = (typeof PREV_STATES)[number];

/** One bundle's sched_switch events, decoded and in time order, before any vocabulary is applied. */
export interface SwitchTrace {
  readonly traceId: string;
  readonly workload: string;
  readonly role: TraceRole;
  /** Number of switch events. */
  readonly length: number;
  readonly tsNs: Float64Array;
  readonly cpu: Int32Array;
  readonly prevPid: Int32Array;
  readonly nextPid: Int32Array;
  /** Normalised task class names (see normaliseComm), indexed by the two code arrays. */
  readonly classNames: readonly string[];
  readonly prevClass: Int32Array;
  readonly nextClass: Int32Array;
  /** Index into PREV_STATES. */
  readonly prevState: Int32Array;
  /** Whether the task switched in had a recorded wakeup since it last ran (1), none (0), or wakeups were not recorded (-1). */
  readonly woken: Int8Array;
  /** Nanoseconds from that wakeup to this switch (NaN when not woken or not recorded). */
  readonly wakeLatencyNs: Float64Array;
  /** 1 for a switch the trace lost and the lab put back (see SwitchOptions.inferMissing). */
  readonly inferred: Uint8Array;
  readonly inferredCount: number;
}

/** Task classes known to a model: RESERVED_CLASS_NAMES first, then the training data's classes by frequency. */
export interface Vocab {
  readonly names: readonly string[];
  /** Class id of a normalised class name: UNKNOWN_CLASS when not in training at all, OTHER_CLASS when rare/capped. */
  classOf(name: string): number;
}

/**
 * One sequence of switches (one CPU of one trace, or a whole trace merged), encoded with a vocabulary.
 * Position i holds what is known right after switch i; `target[i]` is about switch i + 1 (-1 at the end).
 */
export interface EncodedSequence {
  readonly traceId: string;
  readonly workload: string;
  readonly role: TraceRole;
  /** The CPU for per-cpu sequences, -1 when merged. */
  readonly sequenceCpu: number;
  readonly length: number;
  /** Class of the task switched in at i. */
  readonly classId: Int32Array;
  /** PREV_STATES index of the task switched out at i. */
  readonly prevState: Int32Array;
  readonly cpu: Int32Array;
  /** ln(1 + µs since the previous switch in this sequence); 0 at the first. Normalised later, on training data only. */
  readonly logDt: Float32Array;
  /** As SwitchTrace.woken. */
  readonly woken: Int8Array;
  /** ln(1 + µs from the wakeup to the switch), 0 when not woken. */
  readonly logWake: Float32Array;
  /** Rank of the task switched in at i among the last K distinct tasks switched in before it (0 = most recent); K = none of them. */
  readonly recency: Int32Array;
  /** The target at i (about switch i + 1), -1 for the last position. */
  readonly target: Int32Array;
  /** 1 where the task switched in at i + 1 is idle: such positions are left out of the "excluding idle" scores. */
  readonly targetIdle: Uint8Array;
}

/** Accuracies over a set of positions; the "exclIdle" ones leave out positions whose next task is idle. */
export interface ScoreSet {
  readonly n: number;
  readonly top1: number;
  readonly topk: number;
  readonly nExclIdle: number;
  readonly top1ExclIdle: number;
  readonly topkExclIdle: number;
  /** Share of positions whose true class is <unknown> (a task class never seen in training). */
  readonly unknownShare: number;
  /**
   * Over positions whose next task's class was seen in training: on an unseen workload most next tasks are
   * <unknown>, and predicting "<unknown> again" is right but says little; these say how the rest went.
   */
  readonly nKnown: number;
  readonly top1Known: number;
  readonly topkKnown: number;
}

/** Scores of one model or baseline on one set of positions: all of them, per workload, and per role (seen vs unseen). */
export interface GroupedScores {
  readonly overall: ScoreSet;
  readonly byWorkload: Readonly<Record<string, ScoreSet>>;
  readonly byRole: Readonly<Partial<Record<TraceRole, ScoreSet>>>;
}

/** Top-k class ids for target[p] of a sequence, best first, no repeats: what models and baselines are scored through. */
export type Ranker = (seq: EncodedSequence, p: number, k: number) => Int32Array;
