import type { Table } from 'apache-arrow';
import { dictColumn, numberColumn } from '../bundle/columns.ts';
import type { Bundle } from '../bundle/reader.ts';
import { prevStateIndex } from './prev-state.ts';
import { normaliseComm } from './task-class.ts';
import type { SwitchTrace, TraceRole } from './types.ts';

export interface TraceMeta {
  readonly traceId: string;
  readonly workload: string;
  readonly role: TraceRole;
}

/** The bundle's sched_switch events in time order, with task classes, prev_state groups and wakeup information. */
export interface SwitchOptions {
  /**
   * Put back switches the trace lost, where a CPU's chain breaks (a switch's outgoing task is not the one last
   * switched in there). Some kernels never emit the switch out of idle on some CPUs; without this, a per-CPU
   * sequence skips a step after every idle and a model learns a sequence the CPU never ran.
   */
  readonly inferMissing: boolean;
}

export function extractSwitchTrace(bundle: Bundle, meta: TraceMeta, options: SwitchOptions = { inferMissing: true }): SwitchTrace {
  const table = bundle.tables.sched;
  if (!table || table.numRows === 0) {
    throw new Error(
      `bundle "${meta.traceId}" has no sched table: record it with --sources sched or import a trace-cmd/ftrace text`,
    );
  }
  return switchTraceFromTable(table, meta, options);
}

export function switchTraceFromTable(table: Table, meta: TraceMeta, options: SwitchOptions = { inferMissing: true }): SwitchTrace {
  const ts = numberColumn(table, 'ts_ns');
  const order = timeOrder(ts);
  const event = dictColumn(table, 'event');
  const code = (name: string) => event.values.indexOf(name);
  const SWITCH = code('sched_switch');
  const WAKEUP = code('sched_wakeup');
  const WAKEUP_NEW = code('sched_wakeup_new');
  let n = 0;
  let wakeups = 0;
  for (const c of event.codes) {
    if (c === SWITCH) n++;
    else if (c >= 0 && (c === WAKEUP || c === WAKEUP_NEW)) wakeups++;
  }
  if (n === 0) {
    throw new Error(
      `bundle "${meta.traceId}" has a sched table but no sched_switch events: record it with tracefs sched_switch enabled (--sources sched)`,
    );
  }
  const wakeupsRecorded = wakeups > 0;

  const cpuCol = numberColumn(table, 'cpu');
  const prevPidCol = numberColumn(table, 'prev_pid');
  const nextPidCol = numberColumn(table, 'next_pid');
  const targetPidCol = numberColumn(table, 'target_pid');
  const prevComm = dictColumn(table, 'prev_comm');
  const nextComm = dictColumn(table, 'next_comm');
  const prevStateCol = dictColumn(table, 'prev_state');
  const stateIndexOfCode = prevStateCol.values.map((v) => prevStateIndex(v));

  const classNames: string[] = [];
  const classIndex = new Map<string, number>();
  const classOf = (comm: string | null, pid: number): number => {
    const name = normaliseComm(comm, pid);
    let id = classIndex.get(name);
    if (id === undefined) {
      id = classNames.length;
      classIndex.set(name, id);
      classNames.push(name);
    }
    return id;
  };

  const out = new SwitchColumns(n);
  // Latest wakeup of each pid since it last switched out; a wakeup that lands while the task still runs is stale.
  const pendingWake = new Map<number, number>();
  // Per CPU: the task last switched in, to find switches the trace lost (see inferMissing).
  const running = new Map<number, { pid: number; cls: number }>();

  for (const row of order) {
    const c = event.codes[row]!;
    if (c === SWITCH) {
      const prev = pidAt(prevPidCol, row);
      const next = pidAt(nextPidCol, row);
      const onCpu = cpuCol[row]!;
      const prevCls = classOf(commAt(prevComm, row), prev);
      const before = running.get(onCpu);
      if (options.inferMissing && before && before.pid !== prev) {
        // The CPU was running `before`, yet this switch says `prev` was running: a switch from one to the other
        // was lost somewhere between the two. Stamped with this event's time so the trace stays in time order.
        out.push(ts[row]!, onCpu, before.pid, prev, before.cls, prevCls, prevStateIndex(null), wakeupsRecorded ? 0 : -1, Number.NaN, 1);
      }
      const s = prevStateCol.codes[row]!;
      let wokenHere = wakeupsRecorded ? 0 : -1;
      let latency = Number.NaN;
      if (wakeupsRecorded) {
        const at = pendingWake.get(next);
        if (at !== undefined && next !== 0) {
          wokenHere = 1;
          latency = ts[row]! - at;
          pendingWake.delete(next);
        }
        pendingWake.delete(prev);
      }
      const nextCls = classOf(commAt(nextComm, row), next);
      out.push(ts[row]!, onCpu, prev, next, prevCls, nextCls, s >= 0 ? stateIndexOfCode[s]! : prevStateIndex(null), wokenHere, latency, 0);
      running.set(onCpu, { pid: next, cls: nextCls });
    } else if (c >= 0 && (c === WAKEUP || c === WAKEUP_NEW)) {
      const target = pidAt(targetPidCol, row);
      if (target > 0) pendingWake.set(target, ts[row]!);
    }
  }
  return { ...meta, ...out.finish(), classNames };
}

/** Growable columns: inferred switches make the count unknown until the end. */
class SwitchColumns {
  private n = 0;
  private tsNs: Float64Array;
  private cpu: Int32Array;
  private prevPid: Int32Array;
  private nextPid: Int32Array;
  private prevClass: Int32Array;
  private nextClass: Int32Array;
  private prevState: Int32Array;
  private woken: Int8Array;
  private wakeLatencyNs: Float64Array;
  private inferred: Uint8Array;

  constructor(capacity: number) {
    this.tsNs = new Float64Array(capacity);
    this.cpu = new Int32Array(capacity);
    this.prevPid = new Int32Array(capacity);
    this.nextPid = new Int32Array(capacity);
    this.prevClass = new Int32Array(capacity);
    this.nextClass = new Int32Array(capacity);
    this.prevState = new Int32Array(capacity);
    this.woken = new Int8Array(capacity);
    this.wakeLatencyNs = new Float64Array(capacity);
    this.inferred = new Uint8Array(capacity);
  }

  push(ts: number, cpu: number, prevPid: number, nextPid: number, prevClass: number, nextClass: number, prevState: number, woken: number, wakeLatencyNs: number, inferred: number): void {
    if (this.n === this.tsNs.length) this.grow();
    const i = this.n++;
    this.tsNs[i] = ts;
    this.cpu[i] = cpu;
    this.prevPid[i] = prevPid;
    this.nextPid[i] = nextPid;
    this.prevClass[i] = prevClass;
    this.nextClass[i] = nextClass;
    this.prevState[i] = prevState;
    this.woken[i] = woken;
    this.wakeLatencyNs[i] = wakeLatencyNs;
    this.inferred[i] = inferred;
  }

  private grow(): void {
    const size = Math.max(16, this.tsNs.length * 2);
    const grown = <T extends Float64Array | Int32Array | Int8Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.tsNs = grown(this.tsNs);
    this.cpu = grown(this.cpu);
    this.prevPid = grown(this.prevPid);
    this.nextPid = grown(this.nextPid);
    this.prevClass = grown(this.prevClass);
    this.nextClass = grown(this.nextClass);
    this.prevState = grown(this.prevState);
    this.woken = grown(this.woken);
    this.wakeLatencyNs = grown(this.wakeLatencyNs);
    this.inferred = grown(this.inferred);
  }

  finish() {
    const n = this.n;
    let inferredCount = 0;
    for (let i = 0; i < n; i++) inferredCount += this.inferred[i]!;
    return {
      length: n,
      tsNs: this.tsNs.subarray(0, n),
      cpu: this.cpu.subarray(0, n),
      prevPid: this.prevPid.subarray(0, n),
      nextPid: this.nextPid.subarray(0, n),
      prevClass: this.prevClass.subarray(0, n),
      nextClass: this.nextClass.subarray(0, n),
      prevState: this.prevState.subarray(0, n),
      woken: this.woken.subarray(0, n),
      wakeLatencyNs: this.wakeLatencyNs.subarray(0, n),
      inferred: this.inferred.subarray(0, n),
      inferredCount,
    };
  }
}

/** Row indices in time order; equal times keep the recorded order (a wakeup before the switch it causes). */
function timeOrder(ts: Float64Array): Int32Array | Uint32Array {
  const order = new Uint32Array(ts.length);
  let sorted = true;
  for (let i = 0; i < ts.length; i++) {
    order[i] = i;
    if (i > 0 && ts[i]! < ts[i - 1]!) sorted = false;
  }
  if (sorted) return order;
  return Int32Array.from(Array.from(order).sort((a, b) => ts[a]! - ts[b]! || a - b));
}

function pidAt(col: Float64Array, row: number): number {
  const v = col[row]!;
  return Number.isNaN(v) ? -1 : v;
}

function commAt(col: { codes: Int32Array; values: string[] }, row: number): string | null {
  const c = col.codes[row]!;
  return c >= 0 ? col.values[c]! : null;
}
