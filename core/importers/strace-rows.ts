import type { Table } from 'apache-arrow';
import { tableFromColumns } from '../bundle/column-table.ts';

/** A row's kind, as the syscalls table's `kind` column spells it. */
export type StraceKind = 'syscall' | 'signal' | 'exit' | 'killed';
const KINDS: readonly StraceKind[] = ['syscall', 'signal', 'exit', 'killed'];
const KIND_CODE = new Map(KINDS.map((k, i) => [k, i]));
const SYSCALL = KIND_CODE.get('syscall')!;

/** Strings as codes into a list, in the order they first came. */
class Words {
  readonly list: string[] = [];
  private readonly codes = new Map<string, number>();
  code(word: string): number {
    let c = this.codes.get(word);
    if (c === undefined) {
      c = this.list.length;
      this.codes.set(word, c);
      this.list.push(word);
    }
    return c;
  }
}

/**
 * The syscalls table's rows while a capture is parsed, in typed columns that grow by doubling (no object
 * per row): a row's return value arrives after the row (resumed calls) and its thread group may only be
 * known at the end, so rows stay editable until table() builds the Arrow table in the order asked for.
 * NaN is null for numbers, -1 for errno codes.
 */
export class StraceRows {
  length = 0;
  private capacity: number;
  ts: Float64Array;
  /** Thread ids as read (any number: a damaged prefix can hold more digits than an i32). */
  tid: Float64Array;
  private kind: Int32Array;
  private name: Int32Array;
  duration: Float64Array;
  ret: Float64Array;
  private errno: Int32Array;
  /** The line each row was read from (its entry line, for a call split in two), for reporting damaged times. */
  line: Int32Array;
  private readonly args: (string | null)[] = [];
  private readonly names = new Words();
  private readonly errnos = new Words();
  private built = false;

  /** `capacity`: rows to make room for at first (they grow by doubling past it). */
  constructor(
    private readonly keepArgs: boolean,
    capacity = 1024,
  ) {
    this.capacity = capacity;
    this.ts = new Float64Array(capacity);
    this.tid = new Float64Array(capacity);
    this.kind = new Int32Array(capacity);
    this.name = new Int32Array(capacity);
    this.duration = new Float64Array(capacity);
    this.ret = new Float64Array(capacity);
    this.errno = new Int32Array(capacity);
    this.line = new Int32Array(capacity);
  }

  add(ts: number, tid: number, kind: StraceKind, name: string, args: string | null, line: number): number {
    const row = this.addCoded(ts, tid, KIND_CODE.get(kind)!, this.names.code(name), line);
    if (this.keepArgs) this.args.push(args);
    return row;
  }

  /**
   * A syscall row by the codes nameCode gave (the byte path keeps them per interned name, so a row costs no
   * string lookup); never with keepArgs, whose rows carry their arguments.
   */
  addSyscall(ts: number, tid: number, nameCode: number, line: number): number {
    return this.addCoded(ts, tid, SYSCALL, nameCode, line);
  }

  private addCoded(ts: number, tid: number, kind: number, name: number, line: number): number {
    if (this.length === this.capacity) this.grow();
    const row = this.length++;
    this.ts[row] = ts;
    this.line[row] = line;
    this.tid[row] = tid;
    this.kind[row] = kind;
    this.name[row] = name;
    this.duration[row] = Number.NaN;
    this.ret[row] = Number.NaN;
    this.errno[row] = -1;
    return row;
  }

  /** The code of a name in the name column, the same for the same name whichever way its rows came. */
  nameCode(name: string): number {
    return this.names.code(name);
  }

  /** The code of an errno name in the errno column (see nameCode). */
  errnoCode(errno: string): number {
    return this.errnos.code(errno);
  }

  setErrno(row: number, errno: string | null): void {
    this.errno[row] = errno === null ? -1 : this.errnos.code(errno);
  }

  /** An errno by errnoCode's code, or -1 for none. */
  setErrnoCode(row: number, code: number): void {
    this.errno[row] = code;
  }

  setArgs(row: number, args: string | null): void {
    this.args[row] = args;
  }

  /**
   * The table, rows in `order`, with each row's ts less `shift` and its thread and process as given per row.
   * When `order` holds every row (no row dropped), the rows are put in order where they lie and the table is
   * built in these columns' memory (tableFromColumns' inPlace): no fresh column is written, which in a browser
   * worker is most of what building the table costs. That uses up the rows and `order`: table() is called once.
   */
  table(order: Int32Array, shift: number, tid: Float64Array, pid: Float64Array): Table {
    if (this.built) throw new Error('StraceRows.table() was called twice: the first call built the table in the rows\' memory');
    this.built = true;
    const n = this.length;
    if (order.length !== n) {
      const ts = shift ? this.ts.subarray(0, n).map((t) => t - shift) : this.ts;
      return tableFromColumns('syscalls', order, {
        ts_ns: { values: ts },
        pid: { values: pid },
        tid: { values: tid },
        kind: { codes: this.kind, words: KINDS },
        name: { codes: this.name, words: this.names.list },
        duration_ns: { values: this.duration },
        ret: { values: this.ret },
        errno: { codes: this.errno, words: this.errnos.list },
        args: this.keepArgs ? { strings: this.args } : { nulls: true },
      });
    }
    this.permute(order, tid, pid);
    if (shift) for (let i = 0; i < n; i++) this.ts[i]! -= shift;
    return tableFromColumns('syscalls', n, {
      ts_ns: { values: this.ts, inPlace: true },
      pid: { values: pid, inPlace: true },
      tid: { values: tid, inPlace: true },
      kind: { codes: this.kind, words: KINDS, inPlace: true },
      name: { codes: this.name, words: this.names.list, inPlace: true },
      duration_ns: { values: this.duration, inPlace: true },
      ret: { values: this.ret, inPlace: true },
      errno: { codes: this.errno, words: this.errnos.list, inPlace: true },
      args: this.keepArgs ? { strings: this.args } : { nulls: true },
    });
  }

  /**
   * Puts row order[i] at i in every column (and in tid and pid), cycle by cycle, where the rows lie. `order`
   * must hold each row once; each place is marked done by setting order[j] = j.
   */
  private permute(order: Int32Array, tid: Float64Array, pid: Float64Array): void {
    const { ts, kind, name, duration, ret, errno, args } = this;
    const keepArgs = this.keepArgs;
    for (let s = 0; s < order.length; s++) {
      if (order[s] === s) continue;
      const ts0 = ts[s]!;
      const tid0 = tid[s]!;
      const pid0 = pid[s]!;
      const kind0 = kind[s]!;
      const name0 = name[s]!;
      const duration0 = duration[s]!;
      const ret0 = ret[s]!;
      const errno0 = errno[s]!;
      const args0 = keepArgs ? args[s]! : null;
      let j = s;
      for (;;) {
        const k = order[j]!;
        order[j] = j;
        if (k === s) {
          ts[j] = ts0;
          tid[j] = tid0;
          pid[j] = pid0;
          kind[j] = kind0;
          name[j] = name0;
          duration[j] = duration0;
          ret[j] = ret0;
          errno[j] = errno0;
          if (keepArgs) args[j] = args0;
          break;
        }
        ts[j] = ts[k]!;
        tid[j] = tid[k]!;
        pid[j] = pid[k]!;
        kind[j] = kind[k]!;
        name[j] = name[k]!;
        duration[j] = duration[k]!;
        ret[j] = ret[k]!;
        errno[j] = errno[k]!;
        if (keepArgs) args[j] = args[k]!;
        j = k;
      }
    }
  }

  private grow(): void {
    const n = (this.capacity *= 2);
    this.ts = moreFloats(this.ts, n);
    this.tid = moreFloats(this.tid, n);
    this.kind = moreInts(this.kind, n);
    this.name = moreInts(this.name, n);
    this.duration = moreFloats(this.duration, n);
    this.ret = moreFloats(this.ret, n);
    this.errno = moreInts(this.errno, n);
    this.line = moreInts(this.line, n);
  }

  /** The name of a row, for a report. */
  nameOf(row: number): string {
    return this.names.list[this.name[row]!]!;
  }

  /** The name nameCode gave `code`. */
  nameOfCode(code: number): string {
    return this.names.list[code]!;
  }
}

function moreFloats(a: Float64Array, n: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}

function moreInts(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
