import type { Table } from 'apache-arrow';
import { TableBuilder } from '../bundle/table-builder.ts';
import { ProblemLog, type ParseProblem } from './problems.ts';
import { IMPOSSIBLE_TIME, parseBody, splitHead, type CallResult, type StraceTimestampStyle } from './strace-line.ts';
import { RelativeClock, fractionToNs, secondsTextToNs, type TimeOrigin } from './time-origin.ts';
import { clockFrom, type Importer, type Parsed } from './importer.ts';

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
  /**
   * execve by a thread that is not its process's leader: the entry is in the thread's lines (`<pid changed to
   * LEADER ...>`), the result in the leader's (after `+++ superseded by execve in pid THREAD +++`). Pass one
   * object to all the parsers of one `-ff` capture, like threadParents; the halves are joined in finish().
   */
  execHandoffs?: ExecHandoffs;
}

/** The two halves of execve calls made by non-leader threads, keyed by the calling thread's id. */
export class ExecHandoffs {
  readonly results = new Map<number, CallResult>();
}

function shiftedBy(t: { sec: number; nsec: number }, ns: number): { sec: number; nsec: number } {
  const total = BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec) + BigInt(ns);
  return { sec: Number(total / 1_000_000_000n), nsec: Number(total % 1_000_000_000n) };
}

export interface StraceResult {
  /** Rows whose time was earlier than the row before them (they are sorted). */
  outOfOrder?: number;
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
  /** Lines skipped for a time of day no clock shows (counted among the problems too). */
  impossibleTimes: number;
  /** -t/-tt times that went back from late evening to early morning: a day was added. */
  midnightRollovers: number;
}

// Rows whose thread is not known yet: strace writing to a terminal leaves out the prefix while it traces one task.
const UNKNOWN_TID = -1;
const DAY = 86400;
/** A midnight rollover goes from the last ROLLOVER_WINDOW seconds of a day to the first ones of the next. */
const ROLLOVER_WINDOW = 3 * 3600;
const clockText = (s: number) => [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map((x) => String(x).padStart(2, '0')).join(':');
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
  private readonly execHandoffs: ExecHandoffs;
  /** Rows of execve calls whose result comes under another pid: row -> the calling thread. */
  private readonly handedOff = new Map<number, number>();
  /** Leader tid -> the thread whose execve replaced it (from "+++ superseded by execve in pid N +++"). */
  private readonly supersededBy = new Map<number, number>();
  private impossibleTimes = 0;
  private rollovers = 0;
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
    this.execHandoffs = options.execHandoffs ?? new ExecHandoffs();
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
    if (body.type === 'superseded') {
      this.supersededBy.set(this.tidOf(head.tid), body.byTid);
      return;
    }
    if (head.sec === IMPOSSIBLE_TIME) {
      this.impossibleTimes++;
      this.problems.add(lineNo, line, 'impossible time of day (hours over 23, minutes or seconds over 59): the line is damaged');
      return;
    }
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
      case 'pidChanged': {
        this.dropPending(tid);
        const row = this.addRow(ts, tid, 'syscall', body.name, this.keepArgs ? body.args : null);
        this.handedOff.set(row, tid);
        return;
      }
      case 'abandoned':
        this.addRow(ts, tid, 'syscall', body.name, this.keepArgs ? body.args : null);
        this.unfinished++;
        return;
      case 'resumed': {
        if (body.vanished) this.unfinished++;
        const p = this.pending.get(tid);
        const execBy = body.name === 'execve' && !(p && p.name === body.name) ? this.supersededBy.get(tid) : undefined;
        if (execBy !== undefined) {
          // The result of another thread's execve: that thread's row gets it (here, or in its own file's parser).
          this.supersededBy.delete(tid);
          const waiting = this.pending.get(execBy);
          if (waiting && waiting.name === 'execve') {
            this.pending.delete(execBy);
            this.afterCall(execBy, 'execve', waiting.args ?? '', body.result, waiting.row);
          } else {
            this.execHandoffs.results.set(execBy, body.result);
          }
          return;
        }
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
    for (const [row, caller] of this.handedOff) {
      const result = this.execHandoffs.results.get(caller);
      if (result) {
        this.execHandoffs.results.delete(caller);
        this.afterCall(caller, 'execve', '', result, row);
      } else {
        this.unfinished++;
      }
    }
    this.handedOff.clear();
    if (this.carry !== null) this.problems.add(this.lineNo, this.carry, 'the file ends inside a line that strace broke in two');
    this.unfinished += this.pending.size;
    this.pending.clear();
    const builder = new TableBuilder('syscalls');
    const groupOf = new Map<number, number>();
    const rootTid = this.rootTid ?? this.defaultPid ?? 0;
    // strace writes lines in time order; a line moved or damaged breaks that. Rows are then sorted (stable), and
    // the earliest is time 0, so that no row lies before the clock's origin.
    let outOfOrder = 0;
    for (let i = 1; i < this.ts.length; i++) if (this.ts[i]! < this.ts[i - 1]!) outOfOrder++;
    const order = Array.from({ length: this.ts.length }, (_, i) => i);
    if (outOfOrder) order.sort((a, b) => this.ts[a]! - this.ts[b]! || a - b);
    const shift = order.length ? Math.min(0, this.ts[order[0]!]!) : 0;
    for (const i of order) {
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
        ts_ns: this.ts[i]! - shift,
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
      firstTimestamp: this.clock.first && shift ? shiftedBy(this.clock.first, shift) : this.clock.first,
      timestampStyle: this.style,
      outOfOrder,
      hasDurations: this.hasDurations,
      unfinished: this.unfinished,
      impossibleTimes: this.impossibleTimes,
      midnightRollovers: this.rollovers,
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
        // Time of day goes back by most of a day only at midnight, from the evening to the morning; small steps back
        // are reordering between tasks. Anything else going back far is a damaged line, not a new day: a new day
        // would shift every later row by 24 h.
        if (this.lastTod >= 0 && sec + this.dayOffset < this.lastTod - DAY / 2) {
          const lastOfDay = this.lastTod - this.dayOffset;
          if (lastOfDay < DAY - ROLLOVER_WINDOW || sec > ROLLOVER_WINDOW) {
            this.problems.add(lineNo, line, `time of day goes back from ${clockText(lastOfDay)} to ${clockText(sec)}, which is not a midnight rollover: the line is damaged`);
            return null;
          }
          this.dayOffset += DAY;
          this.rollovers++;
        }
        this.lastTod = sec + this.dayOffset;
        return this.clock.toNs(sec + this.dayOffset, nsec);
      }
    }
  }
}

/** What a finished StraceParser means for the bundle: the syscalls table, its clock, and notes for the reader. */
export function straceParsed(r: StraceResult, file: string): Parsed {
  const epoch = r.timestampStyle === 'ttt' && r.firstTimestamp;
  return {
    table: r.table,
    tableName: 'syscalls',
    source: 'strace',
    lines: r.lines,
    problems: r.problems,
    problemCount: r.problemCount,
    notes: [
      ...(r.timestampStyle === 'none' ? ['No timestamps in the log: rows are in order but all at time 0.'] : []),
      ...(r.hasDurations ? [] : ['No call durations (strace ran without -T).']),
      ...(r.unfinished ? [`${r.unfinished} calls never returned before their thread ended or the log stopped.`] : []),
      ...(r.impossibleTimes ? [`${r.impossibleTimes} lines had a time of day no clock shows and were skipped.`] : []),
      ...(r.outOfOrder ? [`${r.outOfOrder} lines had a time earlier than the line before them (a damaged or moved line); rows are sorted by time.`] : []),
      ...(r.midnightRollovers ? [`The times of day pass midnight ${r.midnightRollovers === 1 ? 'once' : `${r.midnightRollovers} times`}: a day was added at each.`] : []),
    ],
    clock: clockFrom(epoch),
    settings: { importedFrom: file, format: 'strace', timestamps: r.timestampStyle, durations: r.hasDurations },
  };
}

export const straceImporter: Importer<'strace'> = {
  format: 'strace',
  title: 'strace log (-f/-ff, -t/-tt/-ttt/-r, -T)',
  detector: {
    // optional pid, optional timestamp, then name(…) = result | <unfinished …> | resumed | signal | exit
    patterns: [
      /^\s*(?:\[pid\s+\d+\]\s+|\d+\s+)?(?:\d+(?::\d\d){2}(?:\.\d+)?\s+|\d+\.\d+\s+)?(?:[a-z_0-9]+\(.*(?:\)\s+=\s|<unfinished \.\.\.>)|<\.\.\. [a-z_0-9]+ resumed>|--- SIG|\+\+\+ (?:exited|killed))/,
    ],
  },
  parser: (file) => {
    const p = new StraceParser();
    return { pushLine: (l) => p.pushLine(l), finish: () => straceParsed(p.finish(), file) };
  },
};
