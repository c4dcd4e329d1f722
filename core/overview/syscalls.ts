import type { Table } from 'apache-arrow';
import { dictColumn, numberColumn, secondsColumn } from '../bundle/columns.ts';
import { niceBucket } from './time-axis.ts';
import type { Overview, StackedCounts, TimeWindow } from './types.ts';

const TIME_BUCKETS = 200;

/** A syscalls table's columns as the overview reads them, decoded once per bundle (the worker keeps them). */
export interface SyscallColumns {
  readonly rows: number;
  readonly durationS: number;
  readonly kind: { codes: Int32Array; values: string[] };
  readonly name: { codes: Int32Array; values: string[] };
  readonly errnoCodes: Int32Array;
  readonly dur: Float64Array;
  readonly t: Float64Array;
  /** Rows are in time order (the format says so; imports may differ), so a window is found by bisection. */
  readonly sorted: boolean;
}

export function syscallColumns(syscalls: Table, startNs: number, durationS: number): SyscallColumns {
  const t = secondsColumn(syscalls, 'ts_ns', startNs);
  let sorted = true;
  for (let i = 1; i < t.length && sorted; i++) if (t[i]! < t[i - 1]!) sorted = false;
  return {
    rows: syscalls.numRows,
    durationS,
    kind: dictColumn(syscalls, 'kind'),
    name: dictColumn(syscalls, 'name'),
    errnoCodes: dictColumn(syscalls, 'errno').codes,
    dur: numberColumn(syscalls, 'duration_ns'),
    t,
    sorted,
  };
}

/** Calls per name (top N by count) and their counts over time, stacked, the rest as "other". */
export function syscallSummary(
  syscalls: Table,
  startNs: number,
  durationS: number,
  window: TimeWindow | null = null,
  topN = 10,
): NonNullable<Overview['syscalls']> {
  return syscallSummaryOf(syscallColumns(syscalls, startNs, durationS), window, topN);
}

function lowerBound(a: Float64Array, x: number, strict: boolean): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? a[mid]! <= x : a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function syscallSummaryOf(cols: SyscallColumns, window: TimeWindow | null = null, topN = 10): NonNullable<Overview['syscalls']> {
  const { kind, name, dur, t } = cols;
  const errnoCodes = cols.errnoCodes;
  const syscallCode = kind.values.indexOf('syscall');
  const from = window ? window.from : 0;
  const to = window ? window.to : cols.durationS;
  // In a zoomed window only the calls that started inside it count, for the ranking as for the histogram.
  const inside = (i: number) => kind.codes[i] === syscallCode && (!window || (t[i]! >= from && t[i]! <= to));
  // Rows outside [lo, hi) are outside the window; unsorted rows are all looked at.
  const lo = window && cols.sorted ? lowerBound(t, from, false) : 0;

  const count = new Float64Array(name.values.length);
  const errors = new Float64Array(name.values.length);
  const durSum = new Float64Array(name.values.length);
  const durN = new Float64Array(name.values.length);
  let total = 0;
  const rows = window && cols.sorted ? lowerBound(t, to, true) : cols.rows;
  for (let i = lo; i < rows; i++) {
    if (!inside(i)) continue;
    const c = name.codes[i]!;
    count[c]!++;
    total++;
    if (errnoCodes[i]! >= 0) errors[c]!++;
    const d = dur[i]!;
    if (!Number.isNaN(d)) {
      durSum[c]! += d;
      durN[c]!++;
    }
  }
  const ranked = name.values.map((n, c) => ({ n, c })).filter((e) => count[e.c]! > 0).sort((a, b) => count[b.c]! - count[a.c]!);
  const top = ranked.slice(0, topN).map(({ n, c }) => ({
    name: n,
    count: count[c]!,
    errors: errors[c]!,
    meanDurationUs: durN[c]! > 0 ? durSum[c]! / durN[c]! / 1000 : null,
  }));

  const bucketS = niceBucket(Math.max(to - from, 1e-3), TIME_BUCKETS);
  const first = Math.floor(from / bucketS);
  const buckets = Math.max(1, Math.ceil(to / bucketS) - first + 1);
  const slot = new Int32Array(name.values.length).fill(topN);
  ranked.slice(0, topN).forEach(({ c }, k) => (slot[c] = k));
  const shownNames = [...top.map((s) => s.name), 'other'];
  const grid = shownNames.map(() => new Float64Array(buckets));
  for (let i = lo; i < rows; i++) {
    if (!inside(i)) continue;
    const b = Math.min(buckets - 1, Math.max(0, Math.floor(t[i]! / bucketS) - first));
    grid[slot[name.codes[i]!]!]![b]!++;
  }
  const overTime: StackedCounts = {
    x: Float64Array.from({ length: buckets }, (_, b) => (b + first) * bucketS),
    bucketS,
    series: shownNames.map((n, k) => ({ name: n, y: grid[k]! })).filter((s) => s.y.some((v) => v > 0)),
  };
  return { total, top, overTime };
}
