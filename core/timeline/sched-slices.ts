import type { Table } from 'apache-arrow';
import { dictColumn, numberColumn } from '../bundle/columns.ts';
import { timeOrder, toSeconds } from '../overview/time-axis.ts';
import type { SliceTrack } from './lod.ts';

/** A task as the timeline colours it: a pid with the command name it had when switched in. */
export interface TimelineTask {
  readonly pid: number;
  readonly comm: string;
}

/** One CPU's task runs: slice k ran task key[k] from a switch-in to the next switch on that CPU. */
export interface CpuTrack extends SliceTrack {
  readonly cpu: number;
  /** The state the task was left in by the switch that ended the slice (index into `states`), -1 when unknown. */
  readonly endState: Int32Array;
  /** Seconds from the task's wake-up to this switch-in; NaN when no wake-up preceded it (e.g. it was preempted). */
  readonly wakeLatency: Float64Array;
  /** Row of the sched table whose switch started the slice. */
  readonly row: Int32Array;
}

export interface SchedTimeline {
  readonly tracks: readonly CpuTrack[];
  readonly tasks: readonly TimelineTask[];
  readonly states: readonly string[];
  /** True when the table has sched_wakeup events, so wake-up latencies can be known at all. */
  readonly hasWakeups: boolean;
  /** Switches counted, idle ones included. */
  readonly switches: number;
  /** Earliest and latest event (s since the workload start). */
  readonly minS: number;
  readonly maxS: number;
}

/**
 * The per-CPU slices of a sched table. A slice runs from a sched_switch on a CPU to the next sched_switch on
 * the same CPU and belongs to the task that first switch brought in; runs of the idle task (pid 0) are not
 * slices, and neither is the time before a CPU's first switch or after its last (nothing says who ran then).
 * Wake-up latency: the first sched_wakeup / sched_wakeup_new of the task since it last stopped running, to its
 * switch-in; a task that was preempted (still runnable) has none.
 */
export function schedTimeline(sched: Table, startNs: number): SchedTimeline {
  const steps = schedTimelineSteps(sched, startNs);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Rows walked between two yields of schedTimelineSteps: a few ms of work on the demo's 664k rows. */
export const SCHED_CHUNK_ROWS = 32_768;

/**
 * schedTimeline in steps: yields the share of rows walked (0..1) every `chunkRows` rows, so a worker can answer
 * other requests (a zoom, a table page) between steps instead of being blocked for the whole build.
 */
export function* schedTimelineSteps(sched: Table, startNs: number, chunkRows = SCHED_CHUNK_ROWS): Generator<number, SchedTimeline, void> {
  const t = toSeconds(numberColumn(sched, 'ts_ns'), startNs);
  const cpu = numberColumn(sched, 'cpu');
  const event = dictColumn(sched, 'event');
  const prevPid = numberColumn(sched, 'prev_pid');
  const prevState = dictColumn(sched, 'prev_state');
  const nextPid = numberColumn(sched, 'next_pid');
  const nextComm = dictColumn(sched, 'next_comm');
  const targetPid = numberColumn(sched, 'target_pid');
  const switchCode = event.values.indexOf('sched_switch');
  const wakeCodes = new Set(['sched_wakeup', 'sched_wakeup_new'].map((e) => event.values.indexOf(e)).filter((c) => c >= 0));
  const isWake = event.values.map((_, c) => wakeCodes.has(c));

  const tasks: TimelineTask[] = [];
  const taskIndex = new Map<number, number>();
  // Keyed by number (pid and comm code), not by a string built per switch: that was most of the walk's time.
  const taskOf = (pid: number, commCode: number) => {
    const id = pid * 1048576 + (commCode + 1);
    let k = taskIndex.get(id);
    if (k === undefined) {
      k = tasks.length;
      taskIndex.set(id, k);
      tasks.push({ pid, comm: commCode >= 0 ? nextComm.values[commCode]! : '' });
    }
    return k;
  };

  interface Building {
    cpu: number;
    start: number[];
    end: number[];
    key: number[];
    endState: number[];
    wake: number[];
    row: number[];
    // The run in progress: its start, task, wake-up latency and row; task -1 = idle or not started.
    openStart: number;
    openTask: number;
    openWake: number;
    openRow: number;
  }
  const byCpu = new Map<number, Building>();
  const pendingWake = new Map<number, number>();
  let switches = 0;
  let minS = Number.POSITIVE_INFINITY;
  let maxS = Number.NEGATIVE_INFINITY;
  const order = timeOrder(t);
  yield 0;
  for (let n = 0; n < t.length; n++) {
    if (n > 0 && n % chunkRows === 0) yield n / t.length;
    const i = order ? order[n]! : n;
    const ti = t[i]!;
    if (ti < minS) minS = ti;
    if (ti > maxS) maxS = ti;
    const ev = event.codes[i]!;
    if (ev >= 0 && isWake[ev]) {
      const p = targetPid[i]!;
      if (!Number.isNaN(p) && !pendingWake.has(p)) pendingWake.set(p, ti);
      continue;
    }
    if (ev !== switchCode) continue;
    switches++;
    const c = cpu[i]!;
    let b = byCpu.get(c);
    if (!b) {
      b = { cpu: c, start: [], end: [], key: [], endState: [], wake: [], row: [], openStart: 0, openTask: -1, openWake: Number.NaN, openRow: -1 };
      byCpu.set(c, b);
    }
    if (b.openTask >= 0) {
      b.start.push(b.openStart);
      b.end.push(ti);
      b.key.push(b.openTask);
      b.endState.push(prevState.codes[i]!);
      b.wake.push(b.openWake);
      b.row.push(b.openRow);
    }
    // A task that stops running needs a new wake-up before its next run counts one.
    const prev = prevPid[i]!;
    if (!Number.isNaN(prev) && prev !== 0) pendingWake.delete(prev);
    const next = nextPid[i]!;
    if (Number.isNaN(next) || next === 0) {
      b.openTask = -1;
      continue;
    }
    const woke = pendingWake.get(next);
    pendingWake.delete(next);
    b.openStart = ti;
    b.openTask = taskOf(next, nextComm.codes[i]!);
    b.openWake = woke === undefined ? Number.NaN : ti - woke;
    b.openRow = i;
  }
  const tracks = [...byCpu.values()]
    .sort((a, b) => a.cpu - b.cpu)
    .map(
      (b): CpuTrack => ({
        cpu: b.cpu,
        start: Float64Array.from(b.start),
        end: Float64Array.from(b.end),
        key: Int32Array.from(b.key),
        endState: Int32Array.from(b.endState),
        wakeLatency: Float64Array.from(b.wake),
        row: Int32Array.from(b.row),
      }),
    );
  return {
    tracks,
    tasks,
    states: prevState.values,
    hasWakeups: wakeCodes.size > 0,
    switches,
    minS: Number.isFinite(minS) ? minS : 0,
    maxS: Number.isFinite(maxS) ? maxS : 0,
  };
}
