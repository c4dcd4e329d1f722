import type { Data, Table } from 'apache-arrow';
import { dictColumn, intColumn, secondsColumn, type IntArray } from '../bundle/columns.ts';
import { niceBucket, timeOrder } from './time-axis.ts';
import type { Overview, TimeWindow } from './types.ts';
import { makeSeries } from './usage.ts';

const TIME_BUCKETS = 200;

/**
 * A sched table's columns as the overview reads them, decoded once per bundle (the worker keeps them): times in
 * seconds, rows in time order, the switches' CPUs and next pids, per-event counts. A zoom then walks only the
 * switches of its span instead of decoding and walking the whole table again.
 */
export interface SchedColumns {
  readonly rows: number;
  readonly durationS: number;
  readonly byEvent: readonly { event: string; count: number }[];
  readonly cpus: readonly number[];
  /** The switches only, in time order: time (s), CPU position in `cpus`, and whether the task switched in is not idle. */
  readonly t: Float64Array;
  readonly cpu: Int32Array;
  readonly busy: Uint8Array;
  readonly minT: number;
  readonly maxT: number;
}

export function schedColumns(sched: Table, startNs: number, durationS: number): SchedColumns {
  return schedColumnsInPlace(sched, startNs, durationS) ?? schedColumnsCopied(sched, startNs, durationS);
}

/** The one chunk of a column, when it has exactly one. */
function onlyChunk(table: Table, name: string): Data | null {
  const chunks = table.getChild(name)?.data;
  return chunks && chunks.length === 1 ? chunks[0]! : null;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The common case read where the values lie, in two passes and no copy of a whole column: one batch (what the
 * writer writes), rows in time order, no null time, CPU or event. messaging.tlab's 664k rows: 36 ms copied (four
 * columns of the table's length allocated, filled and walked again), 9 ms so. Null when the case does not hold;
 * schedColumnsCopied reads the rest (sched-columns.test.ts checks both against a float64 reference).
 */
function schedColumnsInPlace(sched: Table, startNs: number, durationS: number): SchedColumns | null {
  const ts = onlyChunk(sched, 'ts_ns');
  const cpu = onlyChunk(sched, 'cpu');
  const ev = onlyChunk(sched, 'event');
  const np = onlyChunk(sched, 'next_pid');
  if (!ts || !cpu || !ev || !np || !littleEndian) return null;
  if (ts.nullCount !== 0 || cpu.nullCount !== 0 || ev.nullCount !== 0 || !ev.dictionary) return null;
  const tv = ts.values as unknown;
  const cv = cpu.values as unknown;
  const codes = ev.values as unknown;
  const pids = np.values as unknown;
  if (!(tv instanceof BigInt64Array) || !(pids instanceof Int32Array)) return null;
  if (!(cv instanceof Int16Array || cv instanceof Int32Array)) return null;
  if (!(codes instanceof Int8Array || codes instanceof Int16Array || codes instanceof Int32Array)) return null;
  const rows = ts.length;
  // int64 as two 32-bit halves, times as secondsColumn computes them (the same expression, the same doubles).
  // A chunk's values start at its first row (Arrow slices them); only validity bitmaps are read at `offset`.
  const halves = new Int32Array(tv.buffer, tv.byteOffset, tv.length * 2);
  const seconds = (i: number) => (halves[2 * i + 1]! * 4294967296 + (halves[2 * i]! >>> 0) - startNs) / 1e9;
  // Events by dictionary entry; a dictionary that repeats a word is merged by word, as dictColumn does.
  const words: string[] = [];
  for (let k = 0; k < ev.dictionary.length; k++) words.push(String(ev.dictionary.get(k)));
  const perCode = new Float64Array(words.length);
  const seen = new Uint8Array(SMALL_CPU);
  const otherCpus = new Set<number>();
  const isSwitch = Uint8Array.from(words, (w) => (w === 'sched_switch' ? 1 : 0));
  let switches = 0;
  let last = -Infinity;
  for (let i = 0; i < rows; i++) {
    const t = seconds(i);
    if (t < last) return null;
    last = t;
    const code = codes[i]!;
    if (code < 0 || code >= words.length) return null;
    perCode[code]!++;
    switches += isSwitch[code]!;
    const c = cv[i]!;
    if (c >= 0 && c < SMALL_CPU) seen[c] = 1;
    else otherCpus.add(c);
  }
  const counts = new Map<string, number>();
  words.forEach((w, k) => counts.set(w, (counts.get(w) ?? 0) + perCode[k]!));
  const byEvent = [...counts].map(([event, count]) => ({ event, count })).sort((a, b) => b.count - a.count);
  const cpus: number[] = [...otherCpus];
  for (let c = 0; c < SMALL_CPU; c++) if (seen[c]) cpus.push(c);
  cpus.sort((a, b) => a - b);
  const small = new Int32Array(SMALL_CPU).fill(-1);
  const others = new Map<number, number>();
  cpus.forEach((c, k) => (c >= 0 && c < SMALL_CPU ? (small[c] = k) : others.set(c, k)));
  const st = new Float64Array(switches);
  const sc = new Int32Array(switches);
  const sb = new Uint8Array(switches);
  const pOff = np.offset;
  const bits = np.nullCount > 0 ? np.nullBitmap : null;
  let m = 0;
  for (let i = 0; i < rows; i++) {
    if (!isSwitch[codes[i]!]) continue;
    st[m] = seconds(i);
    const c = cv[i]!;
    sc[m] = c >= 0 && c < SMALL_CPU ? small[c]! : (others.get(c) ?? -1);
    const j = pOff + i;
    // A null next pid counts as busy, as in schedColumnsCopied: only pid 0 is the idle task.
    sb[m] = bits && ((bits[j >> 3]! >> (j & 7)) & 1) === 0 ? 1 : pids[i]! !== 0 ? 1 : 0;
    m++;
  }
  const minT = rows > 0 ? Math.min(0, seconds(0)) : 0;
  const maxT = rows > 0 ? Math.max(durationS, last) : durationS;
  return { rows, durationS, byEvent, cpus, t: st, cpu: sc, busy: sb, minT, maxT };
}

/** Any sched table: each column copied out in the overview's form, then walked (in time order, sorted if it is not). */
function schedColumnsCopied(sched: Table, startNs: number, durationS: number): SchedColumns {
  // Read as stored (Int16 CPUs, Int32 pids), not as float64 copies: three columns of the table's length less to
  // allocate and fill on every read.
  const t = secondsColumn(sched, 'ts_ns', startNs);
  const cpu = intColumn(sched, 'cpu', NULL_INT);
  const event = dictColumn(sched, 'event');
  const nextPid = intColumn(sched, 'next_pid', NULL_INT);
  const switchCode = event.values.indexOf('sched_switch');
  // numRows is a getter that walks the table's batches: read once.
  const rows = sched.numRows;
  const byEventCount = new Float64Array(event.values.length);
  let switches = 0;
  for (let i = 0; i < rows; i++) {
    byEventCount[event.codes[i]!]!++;
    if (event.codes[i] === switchCode) switches++;
  }
  const byEvent = event.values.map((e, c) => ({ event: e, count: byEventCount[c]! })).sort((a, b) => b.count - a.count);
  let minT = 0;
  let maxT = durationS;
  for (let i = 0; i < t.length; i++) {
    if (t[i]! < minT) minT = t[i]!;
    if (t[i]! > maxT) maxT = t[i]!;
  }
  const { cpus, index: cpuOf } = cpuIndex(cpu);
  const order = timeOrder(t);
  const st = new Float64Array(switches);
  const sc = new Int32Array(switches);
  const sb = new Uint8Array(switches);
  let m = 0;
  for (let n = 0; n < rows; n++) {
    const i = order ? order[n]! : n;
    if (event.codes[i] !== switchCode) continue;
    st[m] = t[i]!;
    sc[m] = cpuOf[i]!;
    // A null next pid counts as busy, as it always has here: only pid 0 is the idle task.
    sb[m] = nextPid[i]! !== 0 ? 1 : 0;
    m++;
  }
  return { rows, durationS, byEvent, cpus, t: st, cpu: sc, busy: sb, minT, maxT };
}

/**
 * Scheduling per CPU: the share of each time bucket a CPU ran a non-idle task (from sched_switch: the task
 * switched in runs until the next switch on that CPU) and the switch count per bucket.
 */
export function schedSummary(sched: Table, startNs: number, durationS: number, window: TimeWindow | null = null): NonNullable<Overview['sched']> {
  return schedSummaryOf(schedColumns(sched, startNs, durationS), window);
}

/** First index of a sorted array whose value is ≥ x. */
function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The summary for a window (null: everything). `walkAll` walks every switch, as the summary did before it
 * walked only the window's (tests compare the two).
 */
export function schedSummaryOf(c: SchedColumns, window: TimeWindow | null = null, walkAll = false): NonNullable<Overview['sched']> {
  const minT = window ? window.from : c.minT;
  const maxT = window ? window.to : c.maxT;
  const bucketS = niceBucket(Math.max(maxT - minT, 1e-3), TIME_BUCKETS);
  const first = Math.floor(minT / bucketS);
  const buckets = Math.floor(maxT / bucketS) - first + 1;
  const lastEnd = (first + buckets) * bucketS;
  const nCpu = c.cpus.length;
  const busy = c.cpus.map(() => new Float64Array(buckets));
  const switches = c.cpus.map(() => new Float64Array(buckets));
  const since = new Float64Array(nCpu).fill(Number.NaN);
  const running = new Uint8Array(nCpu);

  // Bucket by index, not by stepping a float: stepping can stall on a boundary that rounds back onto itself.
  const addBusy = (k: number, from: number, to: number) => {
    const last = Math.min(Math.floor(to / bucketS) - first, buckets - 1);
    for (let b = Math.max(Math.floor(from / bucketS) - first, 0); b <= last; b++) {
      const overlap = Math.min(to, (b + first + 1) * bucketS) - Math.max(from, (b + first) * bucketS);
      if (overlap > 0) busy[k]![b]! += overlap;
    }
  };
  const n = c.t.length;
  let begin = 0;
  let end = n;
  if (!walkAll) {
    // What each CPU was running when the first bucket starts: its last switch before it.
    begin = lowerBound(c.t, first * bucketS);
    let unknown = nCpu;
    for (let m = begin - 1; m >= 0 && unknown > 0; m--) {
      const k = c.cpu[m]!;
      if (k < 0 || !Number.isNaN(since[k]!)) continue;
      since[k] = c.t[m]!;
      running[k] = c.busy[m]!;
      unknown--;
    }
    // After the last bucket only each CPU's next switch matters: it ends the run that was going on.
    end = lowerBound(c.t, lastEnd);
  }
  for (let m = begin; m < end; m++) {
    const k = c.cpu[m]!;
    if (k < 0) continue;
    const tm = c.t[m]!;
    if (running[k] && !Number.isNaN(since[k]!)) addBusy(k, since[k]!, tm);
    since[k] = tm;
    running[k] = c.busy[m]!;
    const b = Math.floor(tm / bucketS) - first;
    if (b >= 0 && b < buckets) switches[k]![b]!++;
  }
  if (!walkAll) {
    let open = 0;
    for (let k = 0; k < nCpu; k++) if (running[k] && !Number.isNaN(since[k]!)) open++;
    for (let m = end; m < n && open > 0; m++) {
      const k = c.cpu[m]!;
      if (k < 0 || !running[k] || Number.isNaN(since[k]!)) continue;
      addBusy(k, since[k]!, c.t[m]!);
      running[k] = 0;
      open--;
    }
  }
  const x = Float64Array.from({ length: buckets }, (_, b) => (b + first) * bucketS);
  return {
    total: c.rows,
    byEvent: c.byEvent,
    busy: c.cpus.map((cpu, k) => makeSeries(`busy:cpu${cpu}`, `CPU ${cpu}`, '%', x, busy[k]!.map((v) => (100 * v) / bucketS))),
    switchesPerCpu: { x, bucketS, series: c.cpus.map((cpu, k) => ({ name: `CPU ${cpu}`, y: switches[k]! })) },
  };
}

/** Below this a CPU number is looked up in a table, not a hash: CPUs are numbered from 0. */
const SMALL_CPU = 4096;
/** A null in an integer column read by intColumn (no CPU or pid is this). */
const NULL_INT = -2147483648;

/** The CPUs that occur (ascending, nulls left out) and each row's position among them (-1 for a null). */
function cpuIndex(cpu: IntArray): { cpus: number[]; index: Int32Array } {
  const small = new Int32Array(SMALL_CPU).fill(-1);
  const other = new Set<number>();
  for (let i = 0; i < cpu.length; i++) {
    const c = cpu[i]!;
    if (c >= 0 && c < SMALL_CPU) small[c] = 0;
    else if (c !== NULL_INT) other.add(c);
  }
  const cpus: number[] = [...other];
  for (let c = 0; c < SMALL_CPU; c++) if (small[c] === 0) cpus.push(c);
  cpus.sort((a, b) => a - b);
  const others = new Map<number, number>();
  cpus.forEach((c, k) => (c >= 0 && c < SMALL_CPU ? (small[c] = k) : others.set(c, k)));
  const index = new Int32Array(cpu.length);
  for (let i = 0; i < cpu.length; i++) {
    const c = cpu[i]!;
    index[i] = c >= 0 && c < SMALL_CPU ? small[c]! : (others.get(c) ?? -1);
  }
  return { cpus, index };
}
