import type { Table } from 'apache-arrow';
import { dictColumn, numberColumn } from '../bundle/columns.ts';
import { niceBucket, timeOrder, toSeconds } from './time-axis.ts';
import type { Overview, TimeWindow } from './types.ts';
import { makeSeries } from './usage.ts';

const TIME_BUCKETS = 200;

/**
 * Scheduling per CPU: the share of each time bucket a CPU ran a non-idle task (from sched_switch: the task
 * switched in runs until the next switch on that CPU) and the switch count per bucket.
 */
export function schedSummary(sched: Table, startNs: number, durationS: number, window: TimeWindow | null = null): NonNullable<Overview['sched']> {
  const t = toSeconds(numberColumn(sched, 'ts_ns'), startNs);
  const cpu = numberColumn(sched, 'cpu');
  const event = dictColumn(sched, 'event');
  const nextPid = numberColumn(sched, 'next_pid');
  const switchCode = event.values.indexOf('sched_switch');

  // numRows is a getter that walks the table's batches: read once.
  const rows = sched.numRows;
  const byEventCount = new Float64Array(event.values.length);
  for (let i = 0; i < rows; i++) byEventCount[event.codes[i]!]!++;
  const byEvent = event.values.map((e, c) => ({ event: e, count: byEventCount[c]! })).sort((a, b) => b.count - a.count);

  let minT = 0;
  let maxT = durationS;
  for (let i = 0; i < t.length; i++) {
    if (t[i]! < minT) minT = t[i]!;
    if (t[i]! > maxT) maxT = t[i]!;
  }
  // Zoomed: bucket only the window, but still walk every event so the task running at its start is known.
  if (window) {
    minT = window.from;
    maxT = window.to;
  }
  const bucketS = niceBucket(Math.max(maxT - minT, 1e-3), TIME_BUCKETS);
  const first = Math.floor(minT / bucketS);
  const buckets = Math.floor(maxT / bucketS) - first + 1;
  const { cpus, index: cpuOf } = cpuIndex(cpu);
  const busy = cpus.map(() => new Float64Array(buckets));
  const switches = cpus.map(() => new Float64Array(buckets));
  const running = cpus.map(() => ({ since: Number.NaN, busy: false }));

  // Bucket by index, not by stepping a float: stepping can stall on a boundary that rounds back onto itself.
  const addBusy = (k: number, from: number, to: number) => {
    const last = Math.min(Math.floor(to / bucketS) - first, buckets - 1);
    for (let b = Math.max(Math.floor(from / bucketS) - first, 0); b <= last; b++) {
      const overlap = Math.min(to, (b + first + 1) * bucketS) - Math.max(from, (b + first) * bucketS);
      if (overlap > 0) busy[k]![b]! += overlap;
    }
  };
  const order = timeOrder(t);
  for (let n = 0; n < t.length; n++) {
    const i = order ? order[n]! : n;
    if (event.codes[i] !== switchCode) continue;
    const k = cpuOf[i]!;
    const r = running[k]!;
    if (r.busy && !Number.isNaN(r.since)) addBusy(k, r.since, t[i]!);
    r.since = t[i]!;
    r.busy = nextPid[i]! !== 0;
    const b = Math.floor(t[i]! / bucketS) - first;
    if (b >= 0 && b < buckets) switches[k]![b]!++;
  }
  const x = Float64Array.from({ length: buckets }, (_, b) => (b + first) * bucketS);
  return {
    total: rows,
    byEvent,
    busy: cpus.map((c, k) => makeSeries(`busy:cpu${c}`, `CPU ${c}`, '%', x, busy[k]!.map((v) => (100 * v) / bucketS))),
    switchesPerCpu: { x, bucketS, series: cpus.map((c, k) => ({ name: `CPU ${c}`, y: switches[k]! })) },
  };
}

/** Below this a CPU number is looked up in a table, not a hash: CPUs are numbered from 0. */
const SMALL_CPU = 4096;

/** The CPUs that occur (ascending, nulls left out) and each row's position among them (-1 for a null). */
function cpuIndex(cpu: Float64Array): { cpus: number[]; index: Int32Array } {
  const small = new Int32Array(SMALL_CPU).fill(-1);
  const other = new Set<number>();
  for (let i = 0; i < cpu.length; i++) {
    const c = cpu[i]!;
    if (c >= 0 && c < SMALL_CPU && Number.isInteger(c)) small[c] = 0;
    else if (!Number.isNaN(c)) other.add(c);
  }
  const cpus: number[] = [...other];
  for (let c = 0; c < SMALL_CPU; c++) if (small[c] === 0) cpus.push(c);
  cpus.sort((a, b) => a - b);
  const others = new Map<number, number>();
  cpus.forEach((c, k) => (c >= 0 && c < SMALL_CPU && Number.isInteger(c) ? (small[c] = k) : others.set(c, k)));
  const index = new Int32Array(cpu.length);
  for (let i = 0; i < cpu.length; i++) {
    const c = cpu[i]!;
    index[i] = c >= 0 && c < SMALL_CPU && Number.isInteger(c) ? small[c]! : (others.get(c) ?? -1);
  }
  return { cpus, index };
}
