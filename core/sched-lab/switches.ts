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
export function extractSwitchTrace(bundle: Bundle, meta: TraceMeta): SwitchTrace {
  const table = bundle.tables.sched;
  if (!table || table.numRows === 0) {
    throw new Error(
      `bundle "${meta.traceId}" has no sched table: record it with --sources sched or import a trace-cmd/ftrace text`,
    );
  }
  return switchTraceFromTable(table, meta);
}

export function switchTraceFromTable(table: Table, meta: TraceMeta): SwitchTrace {
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

  const tsNs = new Float64Array(n);
  const cpu = new Int32Array(n);
  const prevPid = new Int32Array(n);
  const nextPid = new Int32Array(n);
  const prevClass = new Int32Array(n);
  const nextClass = new Int32Array(n);
  const prevState = new Int32Array(n);
  const woken = new Int8Array(n);
  const wakeLatencyNs = new Float64Array(n).fill(Number.NaN);
  // Latest wakeup of each pid since it last switched out; a wakeup that lands while the task still runs is stale.
  const pendingWake = new Map<number, number>();

  let k = 0;
  for (const row of order) {
    const c = event.codes[row]!;
    if (c === SWITCH) {
      const prev = pidAt(prevPidCol, row);
      const next = pidAt(nextPidCol, row);
      tsNs[k] = ts[row]!;
      cpu[k] = cpuCol[row]!;
      prevPid[k] = prev;
      nextPid[k] = next;
      prevClass[k] = classOf(commAt(prevComm, row), prev);
      nextClass[k] = classOf(commAt(nextComm, row), next);
      const s = prevStateCol.codes[row]!;
      prevState[k] = s >= 0 ? stateIndexOfCode[s]! : prevStateIndex(null);
      if (!wakeupsRecorded) woken[k] = -1;
      else {
        const at = pendingWake.get(next);
        if (at !== undefined && next !== 0) {
          woken[k] = 1;
          wakeLatencyNs[k] = ts[row]! - at;
          pendingWake.delete(next);
        }
        pendingWake.delete(prev);
      }
      k++;
    } else if (c >= 0 && (c === WAKEUP || c === WAKEUP_NEW)) {
      const target = pidAt(targetPidCol, row);
      if (target > 0) pendingWake.set(target, ts[row]!);
    }
  }
  return {
    ...meta,
    length: n,
    tsNs,
    cpu,
    prevPid,
    nextPid,
    classNames,
    prevClass,
    nextClass,
    prevState,
    woken,
    wakeLatencyNs,
  };
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
