import type { Table } from 'apache-arrow';
import { dictColumn, numberColumn } from '../bundle/columns.ts';

/** Histogram bins per decade of duration: 4 gives edges 1, 1.78, 3.16, 5.62 × 10^k ns. */
export const BINS_PER_DECADE = 4;

export interface SyscallLatencyRow {
  readonly name: string;
  /** Calls of this name with a duration. */
  readonly count: number;
  /** Of them, calls that failed (errno set). */
  readonly errors: number;
  /** Nearest-rank percentiles and the largest duration, ns. */
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly totalNs: number;
  /** Calls per histogram bin (`edgesNs`). */
  readonly histogram: readonly number[];
}

export interface SlowCall {
  readonly tsS: number;
  readonly name: string;
  readonly pid: number;
  readonly tid: number;
  readonly durationNs: number;
  readonly errno: string | null;
}

export interface SyscallLatency {
  /** Calls with a duration (strace -T) / calls without one. */
  readonly timed: number;
  readonly untimed: number;
  /** Every name with timed calls, most calls first. */
  readonly rows: readonly SyscallLatencyRow[];
  /** Bin b holds durations in [edgesNs[b], edgesNs[b + 1]); the first bin also holds 0 ns. */
  readonly edgesNs: readonly number[];
  /** The slowest calls, slowest first (ties: earlier first). */
  readonly slowest: readonly SlowCall[];
}

/** Nearest rank: the smallest value with at least p% of the values at or below it (sorted ascending). */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  return sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))]!;
}

/** Log bins with edges 10^(k / BINS_PER_DECADE) ns covering [lo, hi]. */
export function logEdges(loNs: number, hiNs: number): number[] {
  const k0 = Math.floor(BINS_PER_DECADE * Math.log10(Math.max(loNs, 1)));
  const k1 = Math.floor(BINS_PER_DECADE * Math.log10(Math.max(hiNs, 1))) + 1;
  const edges: number[] = [];
  for (let k = k0; k <= k1; k++) edges.push(10 ** (k / BINS_PER_DECADE));
  // Float edges can land a hair past the values they should hold: stretch the ends to be sure.
  edges[0] = Math.min(edges[0]!, Math.max(loNs, 0));
  if (edges[edges.length - 1]! <= hiNs) edges.push(hiNs * 1.0001 + 1);
  return edges;
}

/** The bin of `d` among `edges`: a log guess, then corrected against the edges themselves. */
export function binOf(edges: readonly number[], d: number): number {
  let b = Math.floor(BINS_PER_DECADE * Math.log10(Math.max(d, 1))) - Math.floor(BINS_PER_DECADE * Math.log10(Math.max(edges[1]!, 1))) + 1;
  b = Math.max(0, Math.min(edges.length - 2, Number.isFinite(b) ? b : 0));
  while (b > 0 && d < edges[b]!) b--;
  while (b < edges.length - 2 && d >= edges[b + 1]!) b++;
  return b;
}

/**
 * Latency of system calls from strace -T durations, per name: count, failures, p50/p90/p99/max (nearest rank,
 * exact over every call), a log histogram, and the slowest calls with their time and thread. `window` (seconds
 * since `startNs`) keeps the calls that entered inside it.
 */
export function syscallLatency(syscalls: Table, startNs: number, window: { from: number; to: number } | null = null, slowest = 50): SyscallLatency {
  const ts = numberColumn(syscalls, 'ts_ns');
  const dur = numberColumn(syscalls, 'duration_ns');
  const kind = dictColumn(syscalls, 'kind');
  const name = dictColumn(syscalls, 'name');
  const errno = dictColumn(syscalls, 'errno');
  const pid = numberColumn(syscalls, 'pid');
  const tid = numberColumn(syscalls, 'tid');
  const callCode = kind.values.indexOf('syscall');

  const byName: number[][] = name.values.map(() => []);
  const errors = new Float64Array(name.values.length);
  let untimed = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  const timedRows: number[] = [];
  for (let i = 0; i < syscalls.numRows; i++) {
    if (kind.codes[i] !== callCode) continue;
    const s = (ts[i]! - startNs) / 1e9;
    if (window && (s < window.from || s > window.to)) continue;
    const d = dur[i]!;
    if (Number.isNaN(d)) {
      untimed++;
      continue;
    }
    byName[name.codes[i]!]!.push(d);
    if (errno.codes[i]! >= 0) errors[name.codes[i]!]!++;
    timedRows.push(i);
    if (d < lo) lo = d;
    if (d > hi) hi = d;
  }
  const edgesNs = timedRows.length ? logEdges(lo, hi) : [];
  const rows: SyscallLatencyRow[] = [];
  byName.forEach((ds, c) => {
    if (ds.length === 0) return;
    const sorted = Float64Array.from(ds).sort();
    const histogram = new Array<number>(edgesNs.length - 1).fill(0);
    let total = 0;
    for (const d of sorted) {
      histogram[binOf(edgesNs, d)]!++;
      total += d;
    }
    rows.push({
      name: name.values[c]!,
      count: sorted.length,
      errors: errors[c]!,
      p50: nearestRank(sorted, 50),
      p90: nearestRank(sorted, 90),
      p99: nearestRank(sorted, 99),
      max: sorted[sorted.length - 1]!,
      totalNs: total,
      histogram,
    });
  });
  rows.sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
  const slow = timedRows.sort((a, b) => dur[b]! - dur[a]! || ts[a]! - ts[b]! || a - b).slice(0, slowest);
  return {
    timed: timedRows.length,
    untimed,
    rows,
    edgesNs,
    slowest: slow.map((i) => ({
      tsS: (ts[i]! - startNs) / 1e9,
      name: name.values[name.codes[i]!]!,
      pid: pid[i]!,
      tid: tid[i]!,
      durationNs: dur[i]!,
      errno: errno.codes[i]! >= 0 ? errno.values[errno.codes[i]!]! : null,
    })),
  };
}
