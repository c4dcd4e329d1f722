import type { Table } from 'apache-arrow';
import { TableBuilder } from '../bundle/table-builder.ts';
import { splitCsv } from './csv-fields.ts';
import { ProblemLog, type ParseProblem } from './problems.ts';
import { RelativeClock, parseSecondsToParts } from './time-origin.ts';

export interface KernelOracleOptions {
  /** Which trace_id to import when the file holds several; default the first one in the file. */
  trace?: string;
}

export interface KernelOracleTrace {
  id: string;
  workload: string | null;
  rows: number;
}

export interface KernelOracleResult {
  table: Table;
  problems: ParseProblem[];
  problemCount: number;
  lines: number;
  /** Every trace in the file, in file order, with its row count; `imported` names the one in the table. */
  traces: KernelOracleTrace[];
  imported: string | null;
  /** Switches whose outgoing pid could not be known (first switch on a CPU, or a gap in the chain). */
  prevPidUnknown: number;
  /** Missing columns that the format can have (time_diff, prev_state, prev_comm, workload_type, trace_id). */
  missingColumns: string[];
}

const REQUIRED = ['timestamp', 'task_name', 'pid', 'cpu'] as const;
const OPTIONAL = ['time_diff', 'prev_state', 'prev_comm', 'workload_type', 'trace_id'] as const;
const NO_TRACE_ID = '(no trace_id)';

/**
 * KernelOracle's scheduling CSV (`collect_traces.py build`):
 *
 *     timestamp,time_diff,task_name,pid,cpu,prev_state,prev_comm,workload_type,trace_id
 *     4765.536872,0.000107000,swapper/1,0,001,S,ftcap.sh,hackbench_threads,hackbench_threads_run1
 *
 * One row per sched_switch, kept from the ftrace line: the incoming task's comm and pid, the CPU, and the
 * outgoing task's state and comm. The outgoing pid is not in the file; it is the incoming pid of the previous
 * switch on the same CPU when that one's comm is this one's prev_comm, else null. `time_diff` (the gap to
 * the previous row of the trace) is not kept: it follows from the timestamps.
 *
 * A file may hold several traces (`all.csv` concatenates them, each on its own clock), so one bundle takes
 * one trace: options.trace, or the first; the others are listed in the result so the caller can say so.
 */
export class KernelOracleParser {
  private readonly builder = new TableBuilder('sched');
  private readonly clock = new RelativeClock();
  private readonly problems = new ProblemLog();
  private readonly traces = new Map<string, KernelOracleTrace>();
  private readonly lastOnCpu = new Map<number, { pid: number; comm: string }>();
  private columns: Map<string, number> | null = null;
  private imported: string | null;
  private prevPidUnknown = 0;
  private lineNo = 0;

  constructor(options: KernelOracleOptions = {}) {
    this.imported = options.trace ?? null;
  }

  pushLine(line: string): void {
    const lineNo = ++this.lineNo;
    if (line.trim() === '') return;
    const f = splitCsv(line);
    if (this.columns === null) {
      const names = f.map((s) => s.trim());
      const missing = REQUIRED.filter((c) => !names.includes(c));
      if (missing.length) {
        this.problems.add(lineNo, line, `expected KernelOracle's header (timestamp,time_diff,task_name,pid,cpu,prev_state,prev_comm,workload_type,trace_id); missing ${missing.join(', ')}`);
        return;
      }
      this.columns = new Map(names.map((n, i) => [n, i]));
      return;
    }
    if (f.length !== this.columns.size) {
      this.problems.add(lineNo, line, `${f.length} fields where the header has ${this.columns.size}`);
      return;
    }
    const cell = (name: string): string | null => {
      const i = this.columns!.get(name);
      return i === undefined ? null : f[i]!;
    };
    const ts = parseSecondsToParts(cell('timestamp')!);
    const pid = Number(cell('pid'));
    const cpu = Number(cell('cpu'));
    if (!ts) return this.problems.add(lineNo, line, `timestamp is not seconds: "${cell('timestamp')}"`);
    if (!Number.isInteger(pid) || !Number.isInteger(cpu) || cell('pid')!.trim() === '' || cell('cpu')!.trim() === '') {
      return this.problems.add(lineNo, line, `pid and cpu must be whole numbers (got pid "${cell('pid')}", cpu "${cell('cpu')}")`);
    }
    const id = cell('trace_id') ?? NO_TRACE_ID;
    let trace = this.traces.get(id);
    if (!trace) {
      trace = { id, workload: cell('workload_type'), rows: 0 };
      this.traces.set(id, trace);
    }
    trace.rows++;
    this.imported ??= id;
    if (id !== this.imported) return;

    const nextComm = cell('task_name')!;
    const prevComm = cell('prev_comm');
    const last = this.lastOnCpu.get(cpu);
    const prevPid = last && prevComm !== null && last.comm === prevComm ? last.pid : null;
    if (prevPid === null) this.prevPidUnknown++;
    this.lastOnCpu.set(cpu, { pid, comm: nextComm });
    const state = cell('prev_state');
    this.builder.push({
      ts_ns: this.clock.toNs(ts.sec, ts.nsec),
      cpu,
      event: 'sched_switch',
      common_pid: prevPid,
      prev_comm: prevComm,
      prev_pid: prevPid,
      prev_state: state === null || state === '' ? null : state,
      next_comm: nextComm,
      next_pid: pid,
    });
  }

  finish(): KernelOracleResult {
    const present = this.columns ?? new Map();
    return {
      table: this.builder.finish(),
      problems: this.problems.list,
      problemCount: this.problems.count,
      lines: this.lineNo,
      traces: [...this.traces.values()],
      imported: this.imported !== null && this.traces.has(this.imported) ? this.imported : null,
      prevPidUnknown: this.prevPidUnknown,
      missingColumns: OPTIONAL.filter((c) => !present.has(c)),
    };
  }
}
