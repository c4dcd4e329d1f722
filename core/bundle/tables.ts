/**
 * The tables of a bundle, column by column. This list is the single source of truth: the writer builds
 * Arrow schemas from it, the reader validates against it and docs/bundle-format.md is generated from it.
 *
 * Timestamps are int64 nanoseconds since the bundle's clock origin (manifest.clock), so they stay exact
 * and small; `interval_ns` is the length of the interval that ends at `ts_ns`.
 */

/**
 * `i16` is written as Int16 since format 1.2 (Int32 before, which readers still take, as they take Int32 where a
 * value does not fit); `dict` codes are Int8 or Int16 when the dictionary is that small (core/bundle/compact.ts).
 */
export type ColumnKind = 'i64' | 'i32' | 'i16' | 'f64' | 'dict' | 'utf8';

/** Integer kinds built in memory as Int32 (an `i16` column is narrowed when written, compact.ts). */
export function builtAsInt32(kind: ColumnKind): boolean {
  return kind === 'i32' || kind === 'i16';
}

export interface ColumnSpec {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly nullable: boolean;
  readonly unit?: string;
  readonly doc: string;
}

export interface TableSpec {
  readonly doc: string;
  readonly columns: readonly ColumnSpec[];
}

const ts: ColumnSpec = { name: 'ts_ns', kind: 'i64', nullable: false, unit: 'ns', doc: 'End of the interval (or the event time), ns since the clock origin' };
const interval: ColumnSpec = { name: 'interval_ns', kind: 'i64', nullable: false, unit: 'ns', doc: 'Length of the interval that ends at ts_ns' };

export const TABLE_SPECS = {
  samples: {
    doc: 'Resource usage, one row per interval per scope: the whole process group, each of its processes, and the system. Counters (cpu, bytes, faults, switches) are deltas over the interval; rss, vm and threads are values at ts_ns.',
    columns: [
      ts,
      interval,
      { name: 'scope', kind: 'dict', nullable: false, doc: '"group" (the recorded cgroup or process group), "process" (one process) or "system" (the whole machine)' },
      { name: 'pid', kind: 'i32', nullable: true, doc: 'Process id for scope "process"; null otherwise' },
      { name: 'ppid', kind: 'i32', nullable: true, doc: 'Parent process id for scope "process"' },
      { name: 'comm', kind: 'dict', nullable: true, doc: 'Command name (/proc/PID/comm) for scope "process"' },
      { name: 'cpu_user_s', kind: 'f64', nullable: true, unit: 's', doc: 'CPU time in user mode during the interval' },
      { name: 'cpu_system_s', kind: 'f64', nullable: true, unit: 's', doc: 'CPU time in kernel mode during the interval' },
      { name: 'rss_bytes', kind: 'f64', nullable: true, unit: 'B', doc: 'Resident set size at ts_ns (for the group: memory.current when a cgroup is used, else the sum over processes)' },
      { name: 'vm_bytes', kind: 'f64', nullable: true, unit: 'B', doc: 'Virtual memory size at ts_ns' },
      { name: 'read_bytes', kind: 'f64', nullable: true, unit: 'B', doc: 'Bytes read from storage during the interval (/proc/PID/io read_bytes)' },
      { name: 'write_bytes', kind: 'f64', nullable: true, unit: 'B', doc: 'Bytes written to storage during the interval (/proc/PID/io write_bytes)' },
      { name: 'minor_faults', kind: 'f64', nullable: true, unit: 'count', doc: 'Minor page faults during the interval' },
      { name: 'major_faults', kind: 'f64', nullable: true, unit: 'count', doc: 'Major page faults during the interval' },
      { name: 'voluntary_ctxsw', kind: 'f64', nullable: true, unit: 'count', doc: 'Voluntary context switches during the interval' },
      { name: 'involuntary_ctxsw', kind: 'f64', nullable: true, unit: 'count', doc: 'Involuntary context switches during the interval' },
      { name: 'threads', kind: 'f64', nullable: true, unit: 'count', doc: 'Threads at ts_ns (for the group: summed over its processes)' },
    ],
  },
  psi: {
    doc: 'Pressure stall information, one row per interval per scope and resource.',
    columns: [
      ts,
      interval,
      { name: 'scope', kind: 'dict', nullable: false, doc: '"system" (/proc/pressure) or "cgroup" (the recorded cgroup\'s *.pressure files); imported logs that read several cgroups write "cgroup:" and the cgroup\'s directory, one scope per cgroup' },
      { name: 'resource', kind: 'dict', nullable: false, doc: '"cpu", "memory", "io" or "irq"' },
      { name: 'some_fraction', kind: 'f64', nullable: true, unit: 'fraction', doc: 'Share of the interval in which at least one task stalled on the resource (delta of some total / interval)' },
      { name: 'full_fraction', kind: 'f64', nullable: true, unit: 'fraction', doc: 'Share of the interval in which all non-idle tasks stalled at once; null where the kernel does not report "full"' },
      { name: 'some_total_us', kind: 'f64', nullable: true, unit: 'us', doc: 'The kernel\'s cumulative "some" stall total at ts_ns' },
      { name: 'full_total_us', kind: 'f64', nullable: true, unit: 'us', doc: 'The kernel\'s cumulative "full" stall total at ts_ns' },
      { name: 'some_avg10', kind: 'f64', nullable: true, unit: '%', doc: 'The kernel\'s 10 s running average of "some", as read' },
      { name: 'full_avg10', kind: 'f64', nullable: true, unit: '%', doc: 'The kernel\'s 10 s running average of "full", as read' },
    ],
  },
  counters: {
    doc: 'Event counters (perf stat intervals and the like), one row per interval per event and scope.',
    columns: [
      ts,
      interval,
      { name: 'event', kind: 'dict', nullable: false, doc: 'Event name as the tool reported it, e.g. "task-clock", "context-switches"' },
      { name: 'value', kind: 'f64', nullable: true, doc: 'Count (or value) during the interval; null when the tool reported "<not counted>"' },
      { name: 'unit', kind: 'dict', nullable: true, doc: 'Unit as reported (e.g. "msec"), null for plain counts' },
      { name: 'scope', kind: 'dict', nullable: false, doc: 'What was counted: "group", "system", "cpuN", "pid:N" or a cgroup path' },
      { name: 'running_fraction', kind: 'f64', nullable: true, unit: 'fraction', doc: 'Share of the interval the counter was scheduled on the PMU (multiplexing); 1 = always' },
    ],
  },
  syscalls: {
    doc: 'System calls, one row per call (plus signals and exits, told apart by kind), in time order of entry.',
    columns: [
      { name: 'ts_ns', kind: 'i64', nullable: false, unit: 'ns', doc: 'Entry time, ns since the clock origin' },
      { name: 'pid', kind: 'i32', nullable: false, doc: 'Process (thread group) id' },
      { name: 'tid', kind: 'i32', nullable: false, doc: 'Thread id' },
      { name: 'kind', kind: 'dict', nullable: false, doc: '"syscall", "signal" (delivered to the thread), "exit" (the thread exited) or "killed" (killed by a signal)' },
      { name: 'name', kind: 'dict', nullable: false, doc: 'Syscall name (e.g. "openat"); the signal name for kind "signal" and "killed"; "exit" for kind "exit"' },
      { name: 'duration_ns', kind: 'i64', nullable: true, unit: 'ns', doc: 'Time spent in the call (strace -T); null when not recorded or the call never returned' },
      { name: 'ret', kind: 'i64', nullable: true, doc: 'Return value (for kind "exit": the exit status); null when unknown ("?")' },
      { name: 'errno', kind: 'dict', nullable: true, doc: 'Error name when the call failed (e.g. "ENOENT"), else null' },
      { name: 'args', kind: 'utf8', nullable: true, doc: 'Argument text, only when recording was asked to keep it (it can leak paths and data)' },
    ],
  },
  sched: {
    doc: 'Scheduler trace events (ftrace), one row per event. Columns that do not apply to an event type are null.',
    columns: [
      { name: 'ts_ns', kind: 'i64', nullable: false, unit: 'ns', doc: 'Event time, ns since the clock origin' },
      { name: 'cpu', kind: 'i16', nullable: false, doc: 'CPU the event was recorded on' },
      { name: 'event', kind: 'dict', nullable: false, doc: 'sched_switch, sched_wakeup, sched_wakeup_new, sched_waking, sched_migrate_task, sched_process_fork, sched_process_exit, sched_process_exec' },
      { name: 'common_pid', kind: 'i32', nullable: true, doc: 'Task that was running when the event was recorded' },
      { name: 'prev_pid', kind: 'i32', nullable: true, doc: 'sched_switch: task switched out' },
      { name: 'prev_comm', kind: 'dict', nullable: true, doc: 'sched_switch: its command name' },
      { name: 'prev_prio', kind: 'i16', nullable: true, doc: 'sched_switch: its priority' },
      { name: 'prev_state', kind: 'dict', nullable: true, doc: 'sched_switch: its state as letters (R, S, D, T, t, X, Z, P, I; "+" = preempted)' },
      { name: 'next_pid', kind: 'i32', nullable: true, doc: 'sched_switch: task switched in (0 = idle)' },
      { name: 'next_comm', kind: 'dict', nullable: true, doc: 'sched_switch: its command name' },
      { name: 'next_prio', kind: 'i16', nullable: true, doc: 'sched_switch: its priority' },
      { name: 'target_pid', kind: 'i32', nullable: true, doc: 'wakeup/migrate/exit/exec: the task concerned; fork: the child' },
      { name: 'target_comm', kind: 'dict', nullable: true, doc: 'Its command name (fork: the child\'s)' },
      { name: 'target_prio', kind: 'i16', nullable: true, doc: 'Its priority' },
      { name: 'target_cpu', kind: 'i16', nullable: true, doc: 'wakeup: CPU the task is woken on; migrate: destination CPU' },
      { name: 'orig_cpu', kind: 'i16', nullable: true, doc: 'migrate: source CPU' },
      { name: 'parent_pid', kind: 'i32', nullable: true, doc: 'fork: the parent' },
    ],
  },
  latency: {
    doc: 'Request latency of a service driven by `tlab bench`, one row per interval per configuration (see manifest.bench). A closed-loop client times every request; each row aggregates the requests that completed in the interval (the last interval of a configuration also holds the few requests still in flight at its end). Percentiles are exact (nearest rank) over the interval\'s own samples.',
    columns: [
      ts,
      interval,
      { name: 'service', kind: 'dict', nullable: false, doc: 'The service measured, e.g. "redis", "nginx"' },
      { name: 'config', kind: 'dict', nullable: false, doc: 'Id of the configuration (service, request mix, interference kind and level) in manifest.bench.configurations' },
      { name: 'requests', kind: 'f64', nullable: false, unit: 'count', doc: 'Requests that completed successfully in the interval' },
      { name: 'errors', kind: 'f64', nullable: false, unit: 'count', doc: 'Requests that failed in the interval (an error reply, a non-200 status, a timeout or a closed connection)' },
      { name: 'throughput_rps', kind: 'f64', nullable: false, unit: '1/s', doc: 'requests / the interval\'s length in seconds' },
      { name: 'mean_us', kind: 'f64', nullable: true, unit: 'us', doc: 'Mean latency of the successful requests (send to complete reply); null when requests = 0' },
      { name: 'p50_us', kind: 'f64', nullable: true, unit: 'us', doc: 'Median latency (nearest rank); null when requests = 0' },
      { name: 'p99_us', kind: 'f64', nullable: true, unit: 'us', doc: '99th percentile latency (nearest rank); null when requests = 0' },
      { name: 'max_us', kind: 'f64', nullable: true, unit: 'us', doc: 'Largest latency; null when requests = 0' },
    ],
  },
} as const satisfies Record<string, TableSpec>;

export type TableName = keyof typeof TABLE_SPECS;
export const TABLE_NAMES = Object.keys(TABLE_SPECS) as TableName[];

/** Where a table kept whole lies in the zip: one Arrow IPC file. */
export function tablePath(name: TableName): string {
  return `tables/${name}.arrow`;
}

/** Where one column of a table stored column by column lies (format 2): an Arrow IPC file of that column alone. */
export function tableColumnPath(name: TableName, column: string): string {
  return `tables/${name}/${column}.arrow`;
}

/** The columns each table's spec lists, by name. */
export function specColumnNames(name: TableName): string[] {
  return TABLE_SPECS[name].columns.map((c) => c.name);
}

export function isTableName(s: string): s is TableName {
  return Object.prototype.hasOwnProperty.call(TABLE_SPECS, s);
}
