import type { Table } from 'apache-arrow';
import { TableBuilder } from '../bundle/table-builder.ts';
import { ProblemLog, type ParseProblem } from './problems.ts';
import { parseBody, splitHead, type CallResult, type StraceTimestampStyle } from './strace-line.ts';
import { RelativeClock, fractionToNs, secondsTextToNs, type TimeOrigin } from './time-origin.ts';

export type { StraceTimestampStyle } from './strace-line.ts';

export interface StraceOptions {
  /** Keep the argument text in the `args` column (it can hold paths and data, so it is off by default). */
  keepArgs?: boolean;
  origin?: TimeOrigin;
  /** The thread id of lines without a PID prefix: the PID in a `-ff` file's name, or the traced PID without -f. */
  defaultPid?: number;
  /**
   * tid -> tid of the thread that created it with CLONE_THREAD. Pass one map to all the parsers of one
   * `-ff` capture: the clone that makes a thread is in its creator's file, the thread's calls in its own.
   * Thread groups are resolved in finish(), so finish the parsers after every file has been pushed.
   */
  threadParents?: Map<number, number>;
}

export interface StraceResult {
  table: Table;
  problems: ParseProblem[];
  problemCount: number;
  lines: number;
  /**
   * The first raw timestamp: epoch seconds for -ttt, seconds since local midnight for -t/-tt,
   * 0 for -r (whose times are sums of deltas from the first line).
   */
  firstTimestamp: { sec: number; nsec: number } | null;
  /** Without timestamps every row gets ts_ns 0; only the order of rows means anything then. */
  timestampStyle: StraceTimestampStyle;
  hasDurations: boolean;
  /** Calls that never resumed: the thread exited or vanished, or the trace ended, inside the call. */
  unfinished: number;
}

// Rows whose thread is not known yet: strace writing to a terminal leaves out the prefix while it traces one task.
const UNKNOWN_TID = -1;
const DAY = 86400;
const CLONES = new Set(['clone', 'clone2', 'clone3', 'fork', 'vfork']);

interface Pending {
  row: number;
  name: string;
  /** Entry half of the arguments; kept for clones (CLONE_THREAD) or when keepArgs is on. */
  args: string | null;
}

/**
 * Parses strace text (-f/-ff, any of -t/-tt/-ttt/-r, with or without -T) into the syscalls table.
 * A call split into `<unfinished ...>` and `<... resumed>` becomes one row at the entry time.
 */
export class StraceParser {
  private readonly keepArgs: boolean;
  private readonly defaultPid: number | undefined;
  private readonly clock: RelativeClock;
  private readonly problems = new ProblemLog();
  private readonly threadParents: Map<number, number>;
  private lineNo = 0;
  private style: StraceTimestampStyle = 'none';
  private hasDurations = false;
  private unfinished = 0;

  // Rows are held in columns until finish(): a row's return value arrives later than the row (resumed
  // calls), and its thread group may only be known after its first lines (the clone returns late).
  private readonly ts: number[] = [];
  private readonly tid: number[] = [];
  private readonly kind: string[] = [];
  private readonly name: string[] = [];
  private readonly duration: number[] = [];
  private readonly ret: number[] = [];
  private readonly errno: (string | null)[] = [];
  private readonly args: (string | null)[] = [];

  private readonly pending = new Map<number, Pending>();
  private lastNs = 0;
  private dayOffset = 0;
  private lastTod = -1;
  private relSec = 0;
  private relNsec = 0;
  /** The start of a line that strace's own "Process N attached" message broke in two. */
  private carry: string | null = null;
  private carriedMessage = '';
  // For unprefixed lines in terminal-style -f output (see tidOf).
  private readonly live = new Set<number>();
  private readonly children = new Set<number>();
  private rootTid: number | null = null;

  constructor(options: StraceOptions = {}) {
    this.keepArgs = options.keepArgs ?? false;
    this.defaultPid = options.defaultPid;
    this.clock = new RelativeClock(options.origin);
    this.threadParents = options.threadParents ?? new Map();
  }

  pushLine(line: string): void {
    const lineNo = ++this.lineNo;
    if (this.carry !== null) {
      line = this.carry + line;
      this.carry = null;
      // The attach message is counted after the broken line, whose task was the only one before the new child.
      this.handle(line, lineNo);
      this.noteChild(this.carriedMessage);
      return;
    }
    this.handle(line, lineNo);
  }

  private handle(line: string, lineNo: number): void {
    if (line.length === 0) return;
    const attached = line.indexOf('strace: Process ');
    if (attached > 0) {
      // strace wrote "strace: Process N attached\n" into the middle of a tracee's line; the line goes on next.
      this.carriedMessage = line.slice(attached);
      this.carry = line.slice(0, attached);
      return;
    }
    if (attached === 0 || line.startsWith('strace: ') || line.startsWith('[ Process PID=')) {
      this.noteChild(line);
      return;
    }

    const head = splitHead(line);
    const body = parseBody(head.body);
    if (body.type === 'bad') {
      this.problems.add(lineNo, line, body.reason);
      return;
    }
    if (body.type === 'ignored') return;
    const ts = head.sec === null ? this.lastNs : this.timeOf(head.sec, head.frac, head.clock!, lineNo, line);
    if (ts === null) return;
    this.lastNs = ts;
    const tid = this.tidOf(head.tid);

    switch (body.type) {
      case 'call':
        this.afterCall(tid, body.name, body.args, body.result, this.addRow(ts, tid, 'syscall', body.name, this.keepArgs ? body.args : null));
        return;
      case 'unfinished': {
        this.dropPending(tid);
        const row = this.addRow(ts, tid, 'syscall', body.name, null);
        this.pending.set(tid, { row, name: body.name, args: this.keepArgs || CLONES.has(body.name) ? body.args : null });
        return;
      }
      case 'abandoned':
        this.addRow(ts, tid, 'syscall', body.name, this.keepArgs ? body.args : null);
        this.unfinished++;
        return;
      case 'resumed': {
        if (body.vanished) this.unfinished++;
        const p = this.pending.get(tid);
        if (p && p.name === body.name) {
          this.pending.delete(tid);
          const args = p.args === null ? null : p.args + body.args;
          if (this.keepArgs) this.args[p.row] = args;
          this.afterCall(tid, body.name, args ?? '', body.result, p.row);
        } else {
          // The entry half was before the capture began (strace -p attached mid-call): the row starts here.
          this.afterCall(tid, body.name, body.args, body.result, this.addRow(ts, tid, 'syscall', body.name, this.keepArgs ? body.args : null));
        }
        return;
      }
      case 'signal':
        this.addRow(ts, tid, 'signal', body.name, null);
        return;
      case 'exit':
        this.ret[this.addRow(ts, tid, 'exit', 'exit', null)] = body.status;
        this.gone(tid);
        return;
      case 'killed':
        this.addRow(ts, tid, 'killed', body.signal, null);
        this.gone(tid);
        return;
    }
  }

  finish(): StraceResult {
    if (this.carry !== null) this.problems.add(this.lineNo, this.carry, 'the file ends inside a line that strace broke in two');
    this.unfinished += this.pending.size;
    this.pending.clear();
    const builder = new TableBuilder('syscalls');
    const groupOf = new Map<number, number>();
    const rootTid = this.rootTid ?? this.defaultPid ?? 0;
    for (let i = 0; i < this.ts.length; i++) {
      let tid = this.tid[i]!;
      if (tid === UNKNOWN_TID) tid = rootTid;
      let pid = groupOf.get(tid);
      if (pid === undefined) {
        pid = this.groupLeader(tid);
        groupOf.set(tid, pid);
      }
      const d = this.duration[i]!;
      const r = this.ret[i]!;
      builder.push({
        ts_ns: this.ts[i],
        pid,
        tid,
        kind: this.kind[i],
        name: this.name[i],
        duration_ns: Number.isNaN(d) ? null : d,
        ret: Number.isNaN(r) ? null : r,
        errno: this.errno[i],
        args: this.keepArgs ? this.args[i] : null,
      });
    }
    return {
      table: builder.finish(),
      problems: this.problems.list,
      problemCount: this.problems.count,
      lines: this.lineNo,
      firstTimestamp: this.clock.first,
      timestampStyle: this.style,
      hasDurations: this.hasDurations,
      unfinished: this.unfinished,
    };
  }

  private addRow(ts: number, tid: number, kind: string, name: string, args: string | null): number {
    const row = this.ts.length;
    this.ts.push(ts);
    this.tid.push(tid);
    this.kind.push(kind);
    this.name.push(name);
    this.duration.push(Number.NaN);
    this.ret.push(Number.NaN);
    this.errno.push(null);
    if (this.keepArgs) this.args.push(args);
    return row;
  }

  private afterCall(tid: number, name: string, args: string, result: CallResult, row: number): void {
    if (result.ret !== null) this.ret[row] = result.ret;
    this.errno[row] = result.errno;
    if (result.duration !== null) {
      this.duration[row] = secondsTextToNs(result.duration) ?? Number.NaN;
      this.hasDurations = true;
    }
    if (CLONES.has(name) && result.ret !== null && result.ret > 0) {
      const child = result.ret;
      this.children.add(child);
      this.live.add(child);
      if (args.includes('CLONE_THREAD')) this.threadParents.set(child, tid);
    }
  }

  private dropPending(tid: number): void {
    if (this.pending.delete(tid)) this.unfinished++;
  }

  private gone(tid: number): void {
    this.dropPending(tid);
    this.live.delete(tid);
  }

  private noteChild(message: string): void {
    const m = /^strace: Process (\d+) attached/.exec(message);
    if (m) {
      this.children.add(Number(m[1]));
      this.live.add(Number(m[1]));
    }
  }

  /**
   * strace -f writing to a terminal prefixes lines with [pid N] only while it traces more than one task,
   * so an unprefixed line is the one live task, or the first task before anything else appeared.
   */
  private tidOf(prefixed: number | null): number {
    if (prefixed !== null) {
      if (this.rootTid === null && !this.children.has(prefixed)) this.rootTid = prefixed;
      this.live.add(prefixed);
      return prefixed;
    }
    if (this.defaultPid !== undefined) return this.defaultPid;
    if (this.live.size === 1) return this.live.values().next().value!;
    return UNKNOWN_TID;
  }

  private groupLeader(tid: number): number {
    let t = tid;
    // A cycle can only come from recycled thread ids; the bound keeps it from hanging.
    for (let hops = 0; hops < 1000; hops++) {
      const parent = this.threadParents.get(t);
      if (parent === undefined || parent === t) break;
      t = parent;
    }
    return t;
  }

  private timeOf(sec: number, frac: string, clock: 'tod' | 'seconds', lineNo: number, line: string): number | null {
    const nsec = fractionToNs(frac);
    if (this.style === 'none') {
      // -ttt is the wall clock in epoch seconds; a small first value can only be -r's delta (0.000000).
      this.style = clock === 'tod' ? (frac ? 'tt' : 't') : sec < 1e8 ? 'r' : 'ttt';
    } else if ((clock === 'tod') !== (this.style === 't' || this.style === 'tt')) {
      this.problems.add(lineNo, line, `timestamp format changed mid-file (expected ${this.style} style)`);
      return null;
    }
    switch (this.style) {
      case 'ttt':
        return this.clock.toNs(sec, nsec);
      case 'r': {
        this.relNsec += nsec;
        this.relSec += sec + Math.floor(this.relNsec / 1e9);
        this.relNsec %= 1e9;
        return this.clock.toNs(this.relSec, this.relNsec);
      }
      default: {
        // Time of day goes back by most of a day only at midnight; small steps back are reordering between tasks.
        if (this.lastTod >= 0 && sec + this.dayOffset < this.lastTod - DAY / 2) this.dayOffset += DAY;
        this.lastTod = sec + this.dayOffset;
        return this.clock.toNs(sec + this.dayOffset, nsec);
      }
    }
  }
}
