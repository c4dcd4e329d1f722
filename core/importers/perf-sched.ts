import type { Table } from 'apache-arrow';
import { TableBuilder } from '../bundle/table-builder.ts';
import { SCHED_EVENTS, schedColumns } from './ftrace-events.ts';
import { ProblemLog, type ParseProblem } from './problems.ts';
import { RelativeClock, fractionToNs, type TimeOrigin } from './time-origin.ts';
import { OrderWatch, sortByTime } from './time-order.ts';
import { MAX_LINE } from './ftrace.ts';
import { clockFrom, lineParser, shareOf, skippedNote, type Importer } from './importer.ts';

export interface PerfSchedOptions {
  origin?: TimeOrigin;
}

export interface PerfSchedResult {
  table: Table;
  problems: ParseProblem[];
  problemCount: number;
  lines: number;
  /** Events outside the sched table (sched_stat_runtime, other subsystems), by name: counted, not problems. */
  skippedEvents: Record<string, number>;
  /** The first event's timestamp as read (seconds in perf's clock, usually since boot). */
  firstTimestamp: { sec: number; nsec: number } | null;
  /** Events earlier than the event before them (damaged lines); the table is sorted by time when there are any. */
  outOfOrder: number;
  /** The note saying so, or null. */
  orderNote: string | null;
}

/**
 * One line of `perf sched script` (that is, `perf script` over a `perf sched record` file):
 *
 *     "            perf  1599 [000]  6937.498198:       sched:sched_switch: prev_comm=perf prev_pid=1599 ..."
 *
 * comm (right-aligned to 16, may contain blanks), tid or "pid/tid" (with -F pid,tid), [cpu], seconds with 6
 * digits (9 with --ns), then "subsystem:event:" and the tracepoint's fields, which are the same key=value text
 * as tracefs prints, so ftrace-events.ts reads them. The lazy comm lets blanks and digits in a comm through:
 * the first "blanks number [cpu]" that is followed by a time and an event ends it. When perf no longer knows
 * the thread that recorded an event (it exited before perf read its ring buffer), it prints ":-1 -1" for
 * comm and tid; such events are kept with common_pid null.
 */
// "comm tid [cpu] secs: subsys:event: fields", read in two steps: the one-step pattern's leading "\s*(.*?)\s+"
// took time cubic in the length of a line of spaces (4,000 spaces: 22 s). The " [cpu] secs: event:" part
// first, then comm and tid before it.
const EVENT_TAIL = /\s\[(\d+)\]\s+(\d+)\.(\d+):\s+(?:([A-Za-z0-9_]+):)?([A-Za-z0-9_]+):(?:\s+(.*))?$/;
const EVENT_HEAD = /^(.*?)\s+(-?\d+)(?:\/(-?\d+))?$/;

/** Groups 1 comm, 2 pid (or tid), 3 tid, 4 cpu, 5-6 seconds, 7 subsystem, 8 event, 9 the event's fields; or null. */
function matchEvent(line: string): (string | undefined)[] | null {
  const tail = EVENT_TAIL.exec(line);
  if (!tail) return null;
  const head = EVENT_HEAD.exec(line.slice(0, tail.index).trim());
  if (!head) return null;
  return [line, head[1], head[2], head[3], tail[1], tail[2], tail[3], tail[4], tail[5], tail[6]];
}

/** Parses `perf sched script` text into the sched table. */
export class PerfSchedParser {
  private readonly builder = new TableBuilder('sched');
  private readonly clock: RelativeClock;
  private readonly problems = new ProblemLog();
  private readonly skipped: Record<string, number> = {};
  private lineNo = 0;
  private readonly order = new OrderWatch();
  private readonly explicitOrigin: boolean;

  constructor(options: PerfSchedOptions = {}) {
    this.clock = new RelativeClock(options.origin);
    this.explicitOrigin = options.origin !== undefined;
  }

  pushLine(line: string): void {
    const lineNo = ++this.lineNo;
    // perf prints one event per line, well under MAX_LINE: a longer line is damage.
    if (line.length > MAX_LINE) {
      this.problems.add(lineNo, line, `a line of ${line.length.toLocaleString('en-US')} characters, longer than any perf sched script line (${MAX_LINE.toLocaleString('en-US')})`);
      return;
    }
    const m = matchEvent(line);
    if (!m) {
      const t = line.trim();
      // perf script --header and perf's own comments start with '#'.
      if (t === '' || t.startsWith('#')) return;
      this.problems.add(lineNo, line, 'not a perf sched script line (expected "comm pid [cpu] seconds: sched:event: fields")');
      return;
    }
    const subsystem = m[7];
    const event = m[8]!;
    if ((subsystem !== undefined && subsystem !== 'sched') || !SCHED_EVENTS.has(event)) {
      const name = subsystem ? `${subsystem}:${event}` : event;
      this.skipped[name] = (this.skipped[name] ?? 0) + 1;
      return;
    }
    const columns = schedColumns(event, (m[9] ?? '').trim());
    if (typeof columns === 'string') {
      this.problems.add(lineNo, line, columns);
      return;
    }
    // With "pid/tid" the task is the tid; perf's default prints the tid alone.
    const tid = Number(m[3] ?? m[2]);
    const commonPid = tid < 0 ? null : tid;
    const tsNs = this.clock.toNs(Number(m[5]), fractionToNs(m[6]!));
    this.order.see(tsNs, lineNo);
    this.builder.push({
      ts_ns: tsNs,
      cpu: Number(m[4]),
      event,
      common_pid: commonPid,
      ...columns,
      ...(event === 'sched_process_fork' && columns.parent_pid == null ? { parent_pid: commonPid } : {}),
    });
  }

  finish(): PerfSchedResult {
    return {
      // Without a given origin, time 0 is the earliest event, not the first line (which may be the damaged one).
      table: this.order.count ? sortByTime(this.builder.finish(), 'sched', !this.explicitOrigin) : this.builder.finish(),
      problems: this.problems.list,
      problemCount: this.problems.count,
      lines: this.lineNo,
      skippedEvents: { ...this.skipped },
      firstTimestamp: this.clock.first,
      outOfOrder: this.order.count,
      orderNote: this.order.note(),
    };
  }
}

export const perfSchedImporter: Importer<'perf-sched'> = {
  format: 'perf-sched',
  title: 'perf sched script text',
  detector: {
    // "comm tid [cpu] secs: subsys:event:" (tid may be "pid/tid"); the "subsys:" prefix tells it from ftrace text.
    patterns: [/^\s*.*?\s\d+(?:\/\d+)?\s+\[\d+\]\s+\d+\.\d+:\s+[A-Za-z0-9_]+:[A-Za-z0-9_]+:(?:\s|$)/],
    // Lines longer than MAX_LINE are no perf script lines (and would be slow to match).
    confidence: (lines) => shareOf(lines.map((l) => (l.length > MAX_LINE ? '' : l)), perfSchedImporter.detector.patterns),
  },
  parser: (file) =>
    lineParser(new PerfSchedParser(), (r) => ({
      tableName: 'sched',
      source: 'sched',
      notes: [...(r.orderNote ? [r.orderNote] : []), ...skippedNote(r.skippedEvents)],
      clock: clockFrom(null, 'trace'),
      settings: { importedFrom: file, format: 'perf sched script', outOfOrder: r.outOfOrder },
    })),
};
