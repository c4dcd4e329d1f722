import type { Table } from 'apache-arrow';
import { ProblemLog, type ParseProblem } from './problems.ts';
import { IMPOSSIBLE_TIME, parseBody, splitHead, type CallResult, type StraceTimestampStyle } from './strace-line.ts';
import { RelativeClock, fractionToNs, secondsTextToNs, type TimeOrigin } from './time-origin.ts';
import { clockFrom, type Importer, type Parsed } from './importer.ts';
import { decodeLine } from './byte-lines.ts';
import { NameInterner, SLOTS } from './byte-names.ts';
import { CallScan, Clock, LineKind, scanLine } from './strace-scan.ts';
import { StraceRows, type StraceKind } from './strace-rows.ts';
import { PendingCalls } from './strace-pending.ts';
import { timeOrder } from './sort-order.ts';

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
  /**
   * The size of the text when known: the rows' columns are made about that many rows long at once instead of
   * growing by doubling, whose copies touch fresh memory twice over (in Chromium every new page of a typed
   * array faults: a third of a 20 MiB parse went there). Untouched room costs nothing but address space.
   */
  expectedBytes?: number;
}

/** Fewer bytes than strace's shortest usual line with a time (`1700000000.000000 close(3) = 0 <0.000003>`), so the guess is rarely short. */
const BYTES_PER_ROW_GUESS = 64;
/** A guess is capped (2^22 rows, 200 MiB of columns): a larger file grows as before. */
const MAX_GUESSED_ROWS = 1 << 22;

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
/** Which way the byte path sends a call's lines, by its name. */
const enum NameWay {
  Bytes = 0,
  /** Clones: their arguments say whether they made a thread. */
  Strings = 1,
  /** execve: its resumed half may be another thread's result. */
  StringsIfResumed = 2,
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

  private readonly rows: StraceRows;
  private readonly pending = new PendingCalls();
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
  /** The time of day (with days added) of the line before the last one that had a time; -1 before there was one. */
  private prevTod = -1;
  private relSec = 0;
  private relNsec = 0;
  /** The start of a line that strace's own "Process N attached" message broke in two. */
  private carry: string | null = null;
  private carriedMessage = '';
  // For unprefixed lines in terminal-style -f output (see tidOf).
  private readonly live = new Set<number>();
  private readonly children = new Set<number>();
  private rootTid: number | null = null;
  /** The prefixed thread of the last line that had one, while it is in `live`. */
  private lastTid = Number.NaN;
  // The byte path's reused scan result and name tables (see pushLineBytes).
  private readonly scan = new CallScan();
  private readonly names = new NameInterner();
  private readonly errnos = new NameInterner();
  /** Per interned name slot: its code in the name column (-1 until first seen), and which way its lines go. */
  private readonly nameCodes = new Int32Array(SLOTS).fill(-1);
  private readonly nameWays = new Uint8Array(SLOTS);
  /** The way of the last name the interner could not hold (damaged files only). */
  private overflowWay = NameWay.Bytes;
  private readonly errnoCodes = new Int32Array(SLOTS).fill(-1);

  constructor(options: StraceOptions = {}) {
    this.keepArgs = options.keepArgs ?? false;
    const guess = options.expectedBytes ? Math.min(MAX_GUESSED_ROWS, Math.ceil(options.expectedBytes / BYTES_PER_ROW_GUESS)) : 0;
    this.rows = new StraceRows(this.keepArgs, Math.max(1024, guess));
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

  /**
   * One line as bytes: buf[start, end), without its line end. Calls and their unfinished and resumed halves
   * (nearly every line) are read from the bytes (strace-scan.ts) into the same rows pushLine would make;
   * every other line is decoded and goes through pushLine.
   */
  pushLineBytes(buf: Uint8Array, start: number, end: number): void {
    const s = this.scan;
    const kind = this.carry !== null || this.keepArgs ? LineKind.Other : scanLine(buf, start, end, s);
    if (kind === LineKind.Other) {
      this.pushLine(decodeLine(buf, start, end));
      return;
    }
    // What a name means here (its column code, whether the string way must read it) is kept per interned slot.
    const slot = this.names.slotOf(buf, s.nameStart, s.nameEnd);
    let code = slot < 0 ? -1 : this.nameCodes[slot]!;
    if (code < 0) {
      const name = slot < 0 ? decodeLine(buf, s.nameStart, s.nameEnd) : this.names.nameAt(slot);
      code = this.rows.nameCode(name);
      // A clone's arguments say whether it made a thread (CLONE_THREAD), and an execve's result may belong to
      // another thread (see handle): the string way reads those.
      const how = CLONES.has(name) ? NameWay.Strings : name === 'execve' ? NameWay.StringsIfResumed : NameWay.Bytes;
      if (slot >= 0) {
        this.nameCodes[slot] = code;
        this.nameWays[slot] = how;
      } else {
        this.overflowWay = how;
      }
    }
    const way = slot < 0 ? this.overflowWay : this.nameWays[slot]!;
    if (way === NameWay.Strings || (way === NameWay.StringsIfResumed && kind === LineKind.Resumed)) {
      this.pushLine(decodeLine(buf, start, end));
      return;
    }
    const lineNo = ++this.lineNo;
    const ts = s.clock === Clock.None ? this.lastNs : this.timeOf(s.sec, s.nsec, s.hasFraction, s.clock === Clock.TimeOfDay ? 'tod' : 'seconds', lineNo, buf, start, end);
    if (ts === null) return;
    this.lastNs = ts;
    const tid = this.tidOf(s.tid < 0 ? null : s.tid);
    const rows = this.rows;
    if (kind === LineKind.Unfinished) {
      this.dropPending(tid);
      this.pending.set(tid, rows.addSyscall(ts, tid, code, lineNo), rows.nameOfCode(code), null);
      return;
    }
    let row: number;
    const p = kind === LineKind.Resumed ? this.pending.get(tid) : undefined;
    if (p && p.name === rows.nameOfCode(code)) {
      this.pending.delete(tid);
      row = p.row;
    } else {
      // A call, or a resumed half whose entry was before the capture began: the row starts here.
      row = rows.addSyscall(ts, tid, code, lineNo);
    }
    if (!Number.isNaN(s.ret)) rows.ret[row] = s.ret;
    if (s.errnoStart >= 0) {
      const e = this.errnos.slotOf(buf, s.errnoStart, s.errnoEnd);
      let ec = e < 0 ? -1 : this.errnoCodes[e]!;
      if (ec < 0) {
        ec = rows.errnoCode(e < 0 ? decodeLine(buf, s.errnoStart, s.errnoEnd) : this.errnos.nameAt(e));
        if (e >= 0) this.errnoCodes[e] = ec;
      }
      rows.setErrnoCode(row, ec);
    } else {
      rows.setErrnoCode(row, -1);
    }
    if (!Number.isNaN(s.durationNs)) {
      rows.duration[row] = s.durationNs;
      this.hasDurations = true;
    }
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
    const ts = head.sec === null ? this.lastNs : this.timeOf(head.sec, fractionToNs(head.frac), head.frac !== '', head.clock!, lineNo, line);
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
        this.pending.set(tid, row, body.name, this.keepArgs || CLONES.has(body.name) ? body.args : null);
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
          if (this.keepArgs) this.rows.setArgs(p.row, args);
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
        this.rows.ret[this.addRow(ts, tid, 'exit', 'exit', null)] = body.status;
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
    const rows = this.rows;
    const n = rows.length;
    const groupOf = new Map<number, number>();
    const rootTid = this.rootTid ?? this.defaultPid ?? 0;
    // strace writes lines in time order; a line moved or damaged breaks that. Rows are then sorted (stable), and
    // the earliest is time 0, so that no row lies before the clock's origin.
    const ts = rows.ts;
    // A line whose time jumps far from both its neighbours is damaged (a digit changed): taken as is, one such
    // line would stretch the capture by the jump. It is dropped and reported; -r times are sums, not judged so.
    const spikes = this.style === 'r' ? new Set<number>() : timeSpikes(ts, n);
    for (const row of spikes) {
      const off = (d: number) => `${d > 0 ? '+' : ''}${(d / 1e9).toFixed(3)} s`;
      const near = row === 0 ? ts[1]! : ts[row - 1]!;
      this.problems.add(rows.line[row]!, rows.nameOf(row), `its time is ${off(ts[row]! - near)} from the line${row === 0 ? ' after' : 's around'} it, a jump no trace makes: the time is damaged and the line was skipped`);
    }
    if (spikes.size) this.problems.list.sort((a, b) => a.line - b.line);
    let outOfOrder = 0;
    let prev = -1;
    for (let i = 0; i < n; i++) {
      if (spikes.has(i)) continue;
      if (prev >= 0 && ts[i]! < ts[prev]!) outOfOrder++;
      prev = i;
    }
    const sorted = timeOrder(ts, n);
    const order = spikes.size ? sorted.filter((row) => !spikes.has(row)) : sorted;
    const shift = order.length ? Math.min(0, ts[order[0]!]!) : 0;
    // The tid column is the rows' own, its unknown threads filled in where they lie (finish runs once): a copy
    // would be fresh memory, which a browser pays for page by page.
    const tids = rows.tid;
    const pids = new Float64Array(n);
    // Runs of rows share a thread: the last one's group is reused before the map is asked.
    let lastTid = Number.NaN;
    let lastPid = 0;
    for (let i = 0; i < n; i++) {
      let tid = tids[i]!;
      if (tid === UNKNOWN_TID) tid = tids[i] = rootTid;
      if (tid !== lastTid) {
        let pid = groupOf.get(tid);
        if (pid === undefined) {
          pid = this.groupLeader(tid);
          groupOf.set(tid, pid);
        }
        lastTid = tid;
        lastPid = pid;
      }
      pids[i] = lastPid;
    }
    return {
      table: rows.table(order, shift, tids, pids),
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

  private addRow(ts: number, tid: number, kind: StraceKind, name: string, args: string | null): number {
    return this.rows.add(ts, tid, kind, name, args, this.lineNo);
  }

  private afterCall(tid: number, name: string, args: string, result: CallResult, row: number): void {
    if (result.ret !== null) this.rows.ret[row] = result.ret;
    this.rows.setErrno(row, result.errno);
    if (result.duration !== null) {
      this.rows.duration[row] = secondsTextToNs(result.duration) ?? Number.NaN;
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
    if (tid === this.lastTid) this.lastTid = Number.NaN;
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
      // The thread of the line before is known live (only a line of its own can end it, and that clears lastTid).
      if (prefixed === this.lastTid) return prefixed;
      if (this.rootTid === null && !this.children.has(prefixed)) this.rootTid = prefixed;
      this.live.add(prefixed);
      this.lastTid = prefixed;
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

  /** The line is text, or bytes line[start, end) that are decoded only for a problem report. */
  private timeOf(sec: number, nsec: number, hasFraction: boolean, clock: 'tod' | 'seconds', lineNo: number, line: string | Uint8Array, start = 0, end = 0): number | null {
    if (this.style === 'none') {
      // -ttt is the wall clock in epoch seconds; a small first value can only be -r's delta (0.000000).
      this.style = clock === 'tod' ? (hasFraction ? 'tt' : 't') : sec < 1e8 ? 'r' : 'ttt';
    } else if ((clock === 'tod') !== (this.style === 't' || this.style === 'tt')) {
      this.problems.add(lineNo, lineText(line, start, end), `timestamp format changed mid-file (expected ${this.style} style)`);
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
        // A line that goes on from the one before the last, when the last jumped ahead, says the last was the damaged
        // one (finish() drops it as a spike): this line is kept, not every line after the jump.
        const lastJumped = this.lastTod >= 0 && this.lastTod - this.prevTod > JUMP_NS / 1e9 && sec + this.dayOffset >= this.prevTod - JUMP_NS / 1e9;
        if (this.lastTod >= 0 && sec + this.dayOffset < this.lastTod - DAY / 2 && !lastJumped) {
          const lastOfDay = this.lastTod - this.dayOffset;
          if (lastOfDay < DAY - ROLLOVER_WINDOW || sec > ROLLOVER_WINDOW) {
            this.problems.add(lineNo, lineText(line, start, end), `time of day goes back from ${clockText(lastOfDay)} to ${clockText(sec)}, which is not a midnight rollover: the line is damaged`);
            return null;
          }
          this.dayOffset += DAY;
          this.rollovers++;
        }
        this.prevTod = this.lastTod;
        this.lastTod = sec + this.dayOffset;
        return this.clock.toNs(sec + this.dayOffset, nsec);
      }
    }
  }
}

/** A jump in time, either way, that no strace output makes between one line and the next (threads interleave by microseconds). */
const JUMP_NS = 1e9;

/**
 * Rows whose time is over JUMP_NS away from both rows beside them in file order, on the same side, while
 * those two are within JUMP_NS of each other: one damaged time, not a gap (after a real gap the times stay
 * late). The first row is judged by the two after it; the last row is not judged (a jump there is also
 * what a long sleep before the last call looks like).
 */
function timeSpikes(ts: Float64Array, n: number): Set<number> {
  const out = new Set<number>();
  const far = (a: number, b: number) => Math.abs(ts[a]! - ts[b]!) > JUMP_NS;
  if (n >= 3 && far(0, 1) && !far(1, 2)) out.add(0);
  for (let i = 1; i + 1 < n; i++) {
    const up = ts[i]! - ts[i - 1]! > JUMP_NS && ts[i]! - ts[i + 1]! > JUMP_NS;
    const down = ts[i - 1]! - ts[i]! > JUMP_NS && ts[i + 1]! - ts[i]! > JUMP_NS;
    if ((up || down) && !far(i - 1, i + 1)) out.add(i);
  }
  return out;
}

const lineText = (line: string | Uint8Array, start: number, end: number) => (typeof line === 'string' ? line : decodeLine(line, start, end));

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
  parser: (file, options) => {
    const p = new StraceParser(options.textBytes ? { expectedBytes: options.textBytes } : {});
    return { pushLine: (l) => p.pushLine(l), pushLineBytes: (b, s, e) => p.pushLineBytes(b, s, e), finish: () => straceParsed(p.finish(), file) };
  },
};
