/** What the overview views draw: small, already downsampled, safe to copy across a worker boundary. */
export interface Series {
  readonly id: string;
  readonly name: string;
  readonly unit: string;
  /** Seconds since the workload started. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Points before downsampling. */
  readonly sourcePoints: number;
}

export interface SyscallSummary {
  readonly name: string;
  readonly count: number;
  readonly errors: number;
  readonly meanDurationUs: number | null;
}

export interface StackedCounts {
  /** Bucket start times (s). */
  readonly x: Float64Array;
  readonly bucketS: number;
  readonly series: readonly { name: string; y: Float64Array }[];
}

/** A zoomed part of the time axis, in seconds since the workload started. */
export interface TimeWindow {
  readonly from: number;
  readonly to: number;
}

/** A counter value that belongs to no interval (perf stat totals, a PerfSpect summary's avg/p95/min/max). */
export interface CounterTotal {
  readonly event: string;
  readonly unit: string;
  /** The row's scope: a statistic (avg, p95, …), a CPU, a cgroup, or "group". */
  readonly scope: string;
  readonly value: number;
}

export interface Overview {
  readonly durationS: number;
  /** The zoom this overview was computed for; null = the whole recording. */
  readonly window: TimeWindow | null;
  readonly usage: { readonly cpu: readonly Series[]; readonly memory: readonly Series[]; readonly io: readonly Series[] };
  readonly psi: readonly Series[];
  readonly counters: readonly Series[];
  /** Counter rows without an interval (no time axis to chart them on), in table order; capped at 2,000. */
  readonly counterTotals?: readonly CounterTotal[];
  readonly syscalls: { readonly total: number; readonly top: readonly SyscallSummary[]; readonly overTime: StackedCounts } | null;
  readonly sched: {
    readonly total: number;
    readonly byEvent: readonly { event: string; count: number }[];
    readonly busy: readonly Series[];
    readonly switchesPerCpu: StackedCounts;
  } | null;
}
