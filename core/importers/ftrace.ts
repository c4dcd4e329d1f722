import type { Table } from 'apache-arrow';
import { TableBuilder } from '../bundle/table-builder.ts';
import { SCHED_EVENTS, schedColumns } from './ftrace-events.ts';
import { ProblemLog, type ParseProblem } from './problems.ts';
import { RelativeClock, fractionToNs, type TimeOrigin } from './time-origin.ts';
import { OrderWatch, sortByTime } from './time-order.ts';
import { clockFrom, lineParser, shareOf, skippedNote, type Importer, type Parsed } from './importer.ts';
import { chainBreakNote, switchChainBreaks } from './switch-chain.ts';

export interface FtraceOptions {
  origin?: TimeOrigin;
}

export interface FtraceResult {
  table: Table;
  problems: ParseProblem[];
  problemCount: number;
  lines: number;
  lostEvents: number;
  /** Events outside the sched table, by name: counted, not problems. */
  skippedEvents: Record<string, number>;
  /** The first event's timestamp as read (seconds in the trace clock, usually since boot). */
  firstTimestamp: { sec: number; nsec: number } | null;
  /** Events earlier than the event before them (damaged lines); the table is sorted by time when there are any. */
  outOfOrder: number;
  /** The note saying so, or null. */
  orderNote: string | null;
  format: 'tracefs' | 'trace-cmd';
}

/**
 * task-pid (the LAST dash splits: comm may contain dashes and blanks), optional TGID "(  123)" or "(-------)",
 * [cpu], optional irq-flags column ("d..2." / "d..2"), timestamp, event name, fields.
 */
/** Longer than tracefs ever prints one event (a 4 KiB trace_seq plus the task, CPU and time fields). */
export const MAX_LINE = 8192;
const EVENT_LINE = /^\s*(.*)-(\d+)\s+(?:\(\s*(?:\d+|-+)\)\s+)?\[(\d+)\]\s+(?:[.a-zA-Z0-9]{4,6}\s+)?(\d+)\.(\d+):\s+([A-Za-z0-9_]+):\s*(.*)$/;
// Command names are at most 15 characters, so a longer "task" holding a "[cpu]" column is two glued events.
const CUT_OFF_EVENT = /\[\d+\]\s/;
/** trace-cmd report -l (latency format): the CPU number runs into the flags, "0d..2.", and there are no brackets. */
const LATENCY_LINE = /^\s*(.*)-(\d+)\s+(\d+)[.dDXxNnpPhHsSbBzZ][.a-zA-Z0-9]{3,5}\s+(\d+)\.(\d+):\s+([A-Za-z0-9_]+):\s*(.*)$/;
// tracefs' trace_pipe writes "CPU:N [LOST M EVENTS]"; trace-cmd 3.x report writes "CPU:N [M EVENTS DROPPED]",
// after the instance's name when the trace.dat holds one ("inst: CPU:1 [9331 EVENTS DROPPED]").
const LOST = /^(?:\S+: )?CPU:(\d+) \[(?:LOST (\d+) EVENTS|(\d+) EVENTS DROPPED)\]$/;

/** Parses ftrace text (tracefs trace/trace_pipe, trace-cmd report) into the sched table. */
export class FtraceParser {
  private readonly builder = new TableBuilder('sched');
  private readonly clock: RelativeClock;
  private readonly problems = new ProblemLog();
  private readonly skipped: Record<string, number> = {};
  private lineNo = 0;
  private readonly order = new OrderWatch();
  private readonly explicitOrigin: boolean;
  private lost = 0;
  private format: 'tracefs' | 'trace-cmd' = 'tracefs';
  private sawEvent = false;

  constructor(options: FtraceOptions = {}) {
    this.clock = new RelativeClock(options.origin);
    this.explicitOrigin = options.origin !== undefined;
  }

  pushLine(line: string): void {
    const lineNo = ++this.lineNo;
    // The kernel prints an event into one page (trace_seq): a longer line is damage, and the line patterns
    // would take time quadratic in its length to say so.
    if (line.length > MAX_LINE) {
      this.problems.add(lineNo, line, `a line of ${line.length.toLocaleString('en-US')} characters, longer than any ftrace event line (${MAX_LINE.toLocaleString('en-US')})`);
      return;
    }
    const m = EVENT_LINE.exec(line) ?? LATENCY_LINE.exec(line);
    if (!m) {
      this.other(line, lineNo);
      return;
    }
    this.sawEvent = true;
    const task = m[1]!;
    if (task.length > 16 && CUT_OFF_EVENT.test(task)) {
      // A reader that took trace_pipe in fixed-size pieces loses the end of a line; the event after it is whole.
      this.problems.add(lineNo, line, 'an event cut off mid-line runs into the next one (kept the second, dropped the cut one)');
    }
    const event = m[6]!;
    if (!SCHED_EVENTS.has(event)) {
      this.skipped[event] = (this.skipped[event] ?? 0) + 1;
      return;
    }
    const columns = schedColumns(event, m[7]!.trim());
    if (typeof columns === 'string') {
      this.problems.add(lineNo, line, columns);
      return;
    }
    const commonPid = Number(m[2]);
    const tsNs = this.clock.toNs(Number(m[4]), fractionToNs(m[5]!));
    this.order.see(tsNs, lineNo);
    this.builder.push({
      ts_ns: tsNs,
      cpu: Number(m[3]),
      event,
      common_pid: commonPid,
      ...columns,
      // fork's parent is the running task when the kernel's fields do not name it.
      ...(event === 'sched_process_fork' && columns.parent_pid == null ? { parent_pid: commonPid } : {}),
    });
  }

  finish(): FtraceResult {
    return {
      // Without a given origin, time 0 is the earliest event, not the first line (which may be the damaged one).
      table: this.order.count ? sortByTime(this.builder.finish(), 'sched', !this.explicitOrigin) : this.builder.finish(),
      problems: this.problems.list,
      problemCount: this.problems.count,
      lines: this.lineNo,
      lostEvents: this.lost,
      skippedEvents: { ...this.skipped },
      firstTimestamp: this.clock.first,
      outOfOrder: this.order.count,
      orderNote: this.order.note(),
      format: this.format,
    };
  }

  /** Everything that is not an event line: headers, loss marks, or garbage. */
  private other(line: string, lineNo: number): void {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) return;
    const lost = LOST.exec(t);
    if (lost) {
      this.lost += Number(lost[2] ?? lost[3]);
      return;
    }
    // trace-cmd report starts with "cpus=N" (and, from older versions, "version = N"); per-CPU notes follow.
    if (!this.sawEvent && (/^cpus=\d+$/.test(t) || /^version = \d+$/.test(t))) {
      this.format = 'trace-cmd';
      return;
    }
    if (/^CPU:?\d+ \[LOST EVENTS\]$/.test(t) || /^(?:\S+: )?CPU:\d+ \[EVENTS DROPPED\]$/.test(t) || /^CPU \d+ is empty$/.test(t) || /^cpus=\d+$/.test(t)) return;
    this.problems.add(lineNo, line, 'not an ftrace event line (expected "comm-pid [cpu] seconds: event: fields")');
  }
}

/** ftrace text read from a trace file or from inside a systrace page: the same table, notes and settings. */
export function ftraceMeta(file: string, r: FtraceResult, extra: { notes?: string[]; settings?: Record<string, unknown> } = {}): Omit<Parsed, 'table' | 'lines' | 'problems' | 'problemCount'> {
  const breaks = switchChainBreaks(r.table);
  const breakNote = chainBreakNote(breaks);
  return {
    tableName: 'sched',
    source: 'sched',
    notes: [
      ...(r.lostEvents ? [`The trace reports ${r.lostEvents} lost events (ring buffer overruns).`] : []),
      ...(r.orderNote ? [r.orderNote] : []),
      ...(breakNote ? [breakNote] : []),
      ...skippedNote(r.skippedEvents),
      ...(extra.notes ?? []),
    ],
    clock: clockFrom(null, 'trace'),
    settings: { importedFrom: file, format: r.format, lostEvents: r.lostEvents, switchChainBreaks: breaks.total, outOfOrder: r.outOfOrder, ...extra.settings },
  };
}

export const ftraceImporter: Importer<'ftrace'> = {
  format: 'ftrace',
  title: 'ftrace text (tracefs trace/trace_pipe, trace-cmd report)',
  detector: {
    patterns: [
      /^\s*.+-\d+\s+(?:\(\s*(?:\d+|-+)\)\s+)?\[\d+\]\s+(?:[.a-zA-Z0-9]{4,6}\s+)?\d+\.\d+:\s+[A-Za-z0-9_]+:/,
      /^\s*.+-\d+\s+\d+[.dDXxNnpPhHsSbBzZ][.a-zA-Z0-9]{3,5}\s+\d+\.\d+:\s+[A-Za-z0-9_]+:/,
      /^CPU:\d+ \[LOST \d+ EVENTS\]$/,
      /^cpus=\d+$/,
      /^version = \d+$/,
    ],
    // Lines longer than MAX_LINE are no ftrace lines (and would be slow to match).
    confidence: (lines) => shareOf(lines.map((l) => (l.length > MAX_LINE ? '' : l)), ftraceImporter.detector.patterns),
  },
  parser: (file) => lineParser(new FtraceParser(), (r) => ftraceMeta(file, r)),
};
