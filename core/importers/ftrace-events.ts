import type { Row } from '../bundle/table-builder.ts';
import { numericPrevState } from './sched-state.ts';

/** The events the sched table holds; anything else is counted and skipped. */
export const SCHED_EVENTS = new Set([
  'sched_switch',
  'sched_wakeup',
  'sched_wakeup_new',
  'sched_waking',
  'sched_migrate_task',
  'sched_process_fork',
  'sched_process_exit',
  'sched_process_exec',
]);

// The compact forms trace-cmd prints when it has its own handler for the event (comm may contain ':').
const COMPACT_SWITCH = /^(.*):(-?\d+) \[(-?\d+)\] (\S+) ==> (.*):(-?\d+) \[(-?\d+)\]$/;
const COMPACT_WAKEUP = /^(.*):(-?\d+) \[(-?\d+)\](?: success=\d+)? CPU:(\d+)$/;
// A field starts at a blank followed by name=; a comm with " x=" inside is the only thing this misreads.
const FIELD_START = /\s+(?=[a-z_]+=)/;

/** key=value fields in order; values may contain blanks (command names do). */
function fields(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.replace(' ==> ', ' ').split(FIELD_START)) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq), part.slice(eq + 1).trimEnd());
  }
  return out;
}

/** Field values by name: text as printed, or numbers and strings as decoded from binary records (core/ftrace-binary). */
export type SchedFields = ReadonlyMap<string, string | number | null>;

function int(v: string | number | null | undefined): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (v == null || !/^-?\d+$/.test(v)) return null;
  return Number(v);
}

function str(v: string | number | null | undefined): string | null {
  return v == null ? null : String(v);
}

function state(v: string | number | null | undefined): string | null {
  if (typeof v === 'number') return numericPrevState(v);
  if (v == null || v === '') return null;
  return /^\d+$/.test(v) ? numericPrevState(Number(v)) : v;
}

/** exec's comm is the file's base name cut to TASK_COMM_LEN - 1 bytes, as the kernel sets it. */
function execComm(filename: string): string {
  const base = filename.slice(filename.lastIndexOf('/') + 1);
  return base.length > 15 ? base.slice(0, 15) : base;
}

/**
 * The event-specific columns of one sched event, or a reason when the fields do not have the expected shape.
 * `text` is everything after "event: ".
 */
export function schedColumns(event: string, text: string): Row | string {
  if (event === 'sched_switch') {
    const c = COMPACT_SWITCH.exec(text);
    if (c) {
      return {
        prev_comm: c[1],
        prev_pid: Number(c[2]),
        prev_prio: Number(c[3]),
        prev_state: state(c[4]),
        next_comm: c[5],
        next_pid: Number(c[6]),
        next_prio: Number(c[7]),
      };
    }
    return schedColumnsFromFields(event, fields(text));
  }
  if (event === 'sched_wakeup' || event === 'sched_waking' || event === 'sched_wakeup_new') {
    const c = COMPACT_WAKEUP.exec(text);
    if (c) return { target_comm: c[1], target_pid: Number(c[2]), target_prio: Number(c[3]), target_cpu: Number(c[4]) };
  }
  return schedColumnsFromFields(event, fields(text));
}

/**
 * The event-specific columns from an event's fields by name (the tracepoint's own field names, as tracefs
 * prints them and as the format files name them), or a reason when a needed field is missing.
 */
export function schedColumnsFromFields(event: string, f: SchedFields): Row | string {
  if (event === 'sched_switch') {
    const prevPid = int(f.get('prev_pid'));
    const nextPid = int(f.get('next_pid'));
    if (prevPid === null || nextPid === null) return 'sched_switch without prev_pid/next_pid';
    return {
      prev_comm: str(f.get('prev_comm')),
      prev_pid: prevPid,
      prev_prio: int(f.get('prev_prio')),
      prev_state: state(f.get('prev_state')),
      next_comm: str(f.get('next_comm')),
      next_pid: nextPid,
      next_prio: int(f.get('next_prio')),
    };
  }
  if (event === 'sched_wakeup' || event === 'sched_waking' || event === 'sched_wakeup_new') {
    const pid = int(f.get('pid'));
    if (pid === null) return `${event} without pid`;
    return { target_comm: str(f.get('comm')), target_pid: pid, target_prio: int(f.get('prio')), target_cpu: int(f.get('target_cpu')) };
  }
  switch (event) {
    case 'sched_migrate_task': {
      const pid = int(f.get('pid'));
      if (pid === null) return 'sched_migrate_task without pid';
      return {
        target_comm: str(f.get('comm')),
        target_pid: pid,
        target_prio: int(f.get('prio')),
        orig_cpu: int(f.get('orig_cpu')),
        target_cpu: int(f.get('dest_cpu')),
      };
    }
    case 'sched_process_fork': {
      const child = int(f.get('child_pid'));
      if (child === null) return 'sched_process_fork without child_pid';
      return { target_comm: str(f.get('child_comm')), target_pid: child, parent_pid: int(f.get('pid')) };
    }
    case 'sched_process_exit': {
      const pid = int(f.get('pid'));
      if (pid === null) return 'sched_process_exit without pid';
      return { target_comm: str(f.get('comm')), target_pid: pid, target_prio: int(f.get('prio')) };
    }
    case 'sched_process_exec': {
      const pid = int(f.get('pid'));
      const filename = str(f.get('filename'));
      if (pid === null || filename === null) return 'sched_process_exec without filename/pid';
      return { target_comm: execComm(filename), target_pid: pid };
    }
  }
  return `not a sched event: ${event}`;
}
