import type { Table } from 'apache-arrow';
import { TableBuilder } from '../bundle/table-builder.ts';
import { splitCsv } from './csv-fields.ts';
import { ProblemLog, type ParseProblem } from './problems.ts';
import { RelativeClock, parseSecondsToParts } from './time-origin.ts';
import { OrderWatch, sortByTime } from './time-order.ts';
import { clockFrom, lineParser, type Importer, type Parsed } from './importer.ts';

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
  /** What the reader should know when timestamps went back, else null. */
  orderNote: string | null;
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
  private readonly order = new OrderWatch();

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
    const tsNs = this.clock.toNs(ts.sec, ts.nsec);
    this.order.see(tsNs, lineNo);
    this.builder.push({
      ts_ns: tsNs,
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
      // Rows out of order (a damaged or moved line) are sorted, and the earliest is time 0.
      table: this.order.count ? sortByTime(this.builder.finish(), 'sched', true) : this.builder.finish(),
      orderNote: this.order.note(),
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

/** A KernelOracle CSV asked for a trace_id it does not hold. */
export class UnknownTraceError extends Error {
  constructor(
    readonly file: string,
    readonly trace: string,
    readonly traces: readonly string[],
  ) {
    super(`${file}: no trace_id "${trace}" in this file; it holds ${traces.length ? traces.map((t) => `"${t}"`).join(', ') : 'no rows'}.`);
    this.name = 'UnknownTraceError';
  }
}

function kernelOracleMeta(file: string, r: KernelOracleResult, asked: string | undefined): Omit<Parsed, 'table' | 'lines' | 'problems' | 'problemCount'> {
  if (asked !== undefined && r.imported === null) throw new UnknownTraceError(file, asked, r.traces.map((t) => t.id));
  const others = r.traces.filter((t) => t.id !== r.imported);
  const workload = r.traces.find((t) => t.id === r.imported)?.workload ?? null;
  return {
    tableName: 'sched',
    source: 'sched',
    notes: [
      'KernelOracle CSV: sched_switch rows only (no wakeups, migrations, forks or exits), without priorities or the outgoing pid.',
      ...(r.prevPidUnknown ? [`${r.prevPidUnknown} switches have no prev_pid: the first on each CPU, or where the previous switch on that CPU did not bring in prev_comm.`] : []),
      ...(others.length
        ? [`The file holds ${r.traces.length} traces; this bundle is "${r.imported}". Not imported: ${others.map((t) => `"${t.id}" (${t.rows} rows)`).join(', ')}. Import one with tlab import --trace ID, or all with --each-trace.`]
        : []),
      ...(r.missingColumns.length ? [`Columns not in the file: ${r.missingColumns.join(', ')}.`] : []),
      ...(r.orderNote ? [r.orderNote] : []),
    ],
    clock: clockFrom(null, 'trace'),
    settings: { importedFrom: file, format: 'KernelOracle CSV', trace: r.imported, workload, traces: r.traces },
  };
}

export const kernelOracleImporter: Importer<'kernel-oracle-csv'> = {
  format: 'kernel-oracle-csv',
  title: 'KernelOracle scheduling CSV (timestamp,time_diff,task_name,pid,cpu,…)',
  detector: {
    // The header, then rows: seconds, gap, comm (quoted when it holds a comma), pid, cpu, …
    patterns: [/^timestamp,(?:time_diff,)?task_name,pid,cpu(?:,|$)/, /^\d+\.\d+,(?:-?[\d.]+(?:e-?\d+)?,)?(?:"(?:[^"]|"")*"|[^,"]*),-?\d+,\d+(?:,|$)/],
  },
  parser: (file, options) => lineParser(new KernelOracleParser({ trace: options.trace }), (r) => kernelOracleMeta(file, r, options.trace)),
};
