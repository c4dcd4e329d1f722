import type { Table } from 'apache-arrow';
import { TableBuilder } from '../bundle/table-builder.ts';
import { ProblemLog, type ParseProblem } from './problems.ts';
import { RelativeClock, fractionToNs, type TimeOrigin } from './time-origin.ts';
import { clockFrom, lineParser, type Importer } from './importer.ts';

export interface PsiSnapshotOptions {
  origin?: TimeOrigin;
  /** Resource of readings that no "== FILE" header names (a bare `cat /proc/pressure/cpu`). Default "unknown". */
  resource?: string;
  /** Scope of such readings. Default "system". */
  scope?: 'system' | 'cgroup';
}

export interface PsiSnapshotResult {
  table: Table;
  problems: ParseProblem[];
  problemCount: number;
  lines: number;
  /** Time lines seen (one per snapshot in the documented layout). */
  snapshots: number;
  /**
   * "epoch": times are Unix seconds (`date +%s.%N`) or dates with a zone; "seconds": some other clock (e.g.
   * /proc/uptime); "local-date": dates without a zone (`date '+%F %T'`), so only differences mean anything; "none".
   */
  timeStyle: 'epoch' | 'seconds' | 'local-date' | 'none';
  firstTimestamp: { sec: number; nsec: number } | null;
  /** Pressure files named by headers, in order of first appearance. */
  files: string[];
  /** Readings that no header named: their resource is options.resource ?? "unknown". */
  unnamedReadings: number;
  /** cgroup directories read, in order of first appearance (their scope is "cgroup", or "cgroup:DIR" when several). */
  cgroups: string[];
  /** Readings whose time is earlier than the previous reading's (rows are sorted by time). */
  outOfOrder: number;
}

/*
 * Snapshot file layout (what this parser reads). The loop that writes it:
 *
 *     while sleep 1; do date +%s.%N; for f in /proc/pressure/* /sys/fs/cgroup/GROUP/*.pressure; do
 *       echo "== $f"; cat "$f"; done; done > psi.txt
 *
 * - A line holding only a number of seconds starts a snapshot taken at that time (`date +%s.%N`: Unix
 *   seconds, so the bundle keeps wall-clock time; any other clock is accepted as plain seconds).
 * - "== PATH" (or `tail -n +1`'s "==> PATH <==") names the pressure file whose lines follow. The resource is
 *   the file's base name without ".pressure" (cpu, memory, io, irq); the scope is "system" under
 *   /proc/pressure and "cgroup" otherwise. A cgroup's "cgroup.pressure" (PSI on/off switch, "0" or "1") is
 *   skipped, so a *.pressure glob can be used as is.
 * - "some avg10=.. avg60=.. avg300=.. total=US" and "full ..." are the kernel's lines.
 * - A header may carry its own time instead (a loop that prints one line per read, `echo "$(date +%s.%N) $f"` or
 *   `echo "$(date '+%F %T') $f"`): "TIME PATH", where TIME is Unix seconds or an ISO date and time (with or
 *   without a zone). Each reading then has the time of its header.
 * - Scope: "system" for /proc/pressure; for a cgroup's files "cgroup" when the file reads one cgroup, and
 *   "cgroup:DIR" (DIR the cgroup's directory as written) when it reads several, so they stay apart.
 * - Without time lines every row is at ts 0 and no fraction can be computed; without headers the readings
 *   get options.resource (default "unknown"), and only one file per snapshot can be told apart: a second
 *   unnamed reading in the same snapshot (`cat /proc/pressure/*`) is refused line by line.
 *
 * Rows: one per snapshot per file. some/full_total_us and *_avg10 are as read. interval_ns is the time since
 * the same file's previous snapshot, and some/full_fraction = (total - previous total) µs / interval, clamped
 * to [0, 1] as the collector does (the reads of one snapshot happen a little after its time line). A file's
 * first snapshot has interval_ns 0 and null fractions.
 */

const TIME_LINE = /^\s*(\d+)(?:\.(\d+))?\s*$/;
const HEADER = /^==>?\s+(.+?)(?:\s+<==)?\s*$/;
// "1796405157.898245133 /proc/pressure/cpu" or "2026-12-04 17:26:02 /proc/pressure/cpu" (ISO, zone optional).
const TIMED_HEADER = /^(?:(\d+)(?:\.(\d+))?|(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?\s*(Z|[+-]\d\d:?\d\d)?)\s+(\/\S*pressure\S*)$/;
const READING = /^(some|full)\s+avg10=(\d+(?:\.\d+)?)\s+avg60=\d+(?:\.\d+)?\s+avg300=\d+(?:\.\d+)?\s+total=(\d+)\s*$/;
const RESOURCE_FILE = /^(cpu|memory|io|irq)(?:\.pressure)?$/;

interface Reading {
  avg10: number;
  total: number;
}

interface Block {
  key: string;
  scope: string;
  resource: string;
  some: Reading | null;
  full: Reading | null;
}

interface PsiRow {
  ts_ns: number;
  interval_ns: number;
  /** A cgroup's directory, or null for /proc/pressure and unnamed readings. */
  cgroup: string | null;
  scope: string;
  resource: string;
  some_fraction: number | null;
  full_fraction: number | null;
  some_total_us: number | null;
  full_total_us: number | null;
  some_avg10: number | null;
  full_avg10: number | null;
}

interface Previous {
  tsNs: number;
  some: Reading | null;
  full: Reading | null;
}

/** Parses snapshots of /proc/pressure/* and cgroup *.pressure files (layout above) into the psi table. */
/** 2^52 ns (52 days): beyond it, times (shifted so the earliest is 0) would leave float64's exact integers. */
const MAX_SPAN_NS = 2 ** 52;

export class PsiSnapshotParser {
  private readonly rows: PsiRow[] = [];
  private readonly cgroups: string[] = [];
  private outOfOrder = 0;
  private localDates = false;
  private readonly problems = new ProblemLog();
  private readonly clock: RelativeClock;
  private readonly defaultResource: string;
  private readonly defaultScope: string;
  private readonly previous = new Map<string, Previous>();
  private readonly files: string[] = [];
  private lineNo = 0;
  private snapshots = 0;
  private tsNs = 0;
  private epoch: boolean | null = null;
  /** The file the next readings belong to: a header's, null for none, "skip" under cgroup.pressure. */
  private file: { path: string; resource: string | null } | null = null;
  private block: Block | null = null;
  /** Unnamed readings already taken in this snapshot (a second one cannot be told apart). */
  private unnamedInSnapshot = 0;
  private unnamed = 0;

  constructor(options: PsiSnapshotOptions = {}) {
    this.clock = new RelativeClock(options.origin);
    this.defaultResource = options.resource ?? 'unknown';
    this.defaultScope = options.scope ?? 'system';
  }

  pushLine(line: string): void {
    const lineNo = ++this.lineNo;
    const t = line.trim();
    if (t === '' || t.startsWith('#')) return;

    // cgroup.pressure holds "0" or "1", which would otherwise read as a time line.
    if (this.file && this.file.resource === null && /^[01]$/.test(t) && baseName(this.file.path) === 'cgroup.pressure') return;

    const time = TIME_LINE.exec(t);
    if (time) {
      this.flush();
      const sec = Number(time[1]);
      if (!Number.isSafeInteger(sec)) {
        this.problems.add(lineNo, line, 'a time of more digits than any clock gives; its readings are skipped');
        this.tsNs = Number.NaN;
        this.snapshots++;
        this.file = null;
        return;
      }
      this.epoch ??= sec >= 1e9;
      this.tsNs = this.reachable(this.clock.toNs(sec, fractionToNs(time[2] ?? '')), lineNo, line);
      this.snapshots++;
      this.file = null;
      this.unnamedInSnapshot = 0;
      return;
    }
    const timed = TIMED_HEADER.exec(t);
    if (timed) {
      this.flush();
      const at = this.timeOf(timed);
      if (at === null) {
        this.problems.add(lineNo, line, 'the date in this header is not a real date and time');
        this.file = { path: timed[11]!, resource: null };
        return;
      }
      this.tsNs = this.reachable(this.clock.toNs(at.sec, at.nsec), lineNo, line);
      this.snapshots++;
      this.unnamedInSnapshot = 0;
      this.openFile(timed[11]!);
      return;
    }
    const header = HEADER.exec(t);
    if (header) {
      this.flush();
      this.openFile(header[1]!);
      return;
    }
    const reading = READING.exec(t);
    if (!reading) {
      this.problems.add(lineNo, line, 'not a pressure snapshot line (expected a time, "== FILE", or "some|full avg10=.. avg60=.. avg300=.. total=..")');
      return;
    }
    if (this.file && this.file.resource === null) {
      this.problems.add(lineNo, line, `a pressure reading under "${this.file.path}", which is not a cpu/memory/io/irq pressure file`);
      return;
    }
    const kind = reading[1] as 'some' | 'full';
    const value: Reading = { avg10: Number(reading[2]), total: Number(reading[3]) };
    if (!Number.isFinite(value.avg10) || !Number.isFinite(value.total)) {
      this.problems.add(lineNo, line, 'a number too large for a double: the kernel never prints one');
      return;
    }
    if (this.block && this.block[kind] !== null) this.flush();
    if (!this.block) {
      if (this.file) {
        const path = this.file.path;
        this.block = { key: path, scope: path.startsWith('/proc/pressure/') ? 'system' : 'cgroup', resource: this.file.resource!, some: null, full: null };
      } else {
        if (this.unnamedInSnapshot > 0) {
          this.problems.add(lineNo, line, 'a second pressure reading in one snapshot with no "== FILE" header: cannot tell which resource it is (write "== $f" before each file)');
          return;
        }
        this.unnamedInSnapshot++;
        this.unnamed++;
        this.block = { key: '', scope: this.defaultScope, resource: this.defaultResource, some: null, full: null };
      }
    }
    this.block[kind] = value;
  }

  finish(): PsiSnapshotResult {
    this.flush();
    const several = this.cgroups.length > 1;
    const order = this.rows.map((_, i) => i);
    // Sorted even when each file's readings were in order: a damaged or moved time line can put a snapshot of
    // one file before another's. The earliest reading is time 0, so nothing lies before the clock's origin.
    order.sort((a, b) => this.rows[a]!.ts_ns - this.rows[b]!.ts_ns || a - b);
    const shift = order.length ? Math.min(0, this.rows[order[0]!]!.ts_ns) : 0;
    const builder = new TableBuilder('psi');
    for (const i of order) {
      const { cgroup, ...row } = this.rows[i]!;
      builder.push({ ...row, ts_ns: row.ts_ns - shift, scope: cgroup !== null && several ? `cgroup:${cgroup}` : row.scope });
    }
    const first = this.clock.first;
    const firstTimestamp = first && shift ? fromNs(BigInt(first.sec) * 1_000_000_000n + BigInt(first.nsec) + BigInt(shift)) : first;
    return {
      table: builder.finish(),
      problems: this.problems.list,
      problemCount: this.problems.count,
      lines: this.lineNo,
      snapshots: this.snapshots,
      timeStyle: this.epoch === null ? 'none' : this.localDates ? 'local-date' : this.epoch ? 'epoch' : 'seconds',
      firstTimestamp,
      files: [...this.files],
      unnamedReadings: this.unnamed,
      cgroups: [...this.cgroups],
      outOfOrder: this.outOfOrder,
    };
  }

  private openFile(path: string): void {
    const r = RESOURCE_FILE.exec(baseName(path));
    this.file = { path, resource: r ? r[1]! : null };
    if (r && !this.files.includes(path)) this.files.push(path);
    if (r && !path.startsWith('/proc/pressure/')) {
      const dir = path.slice(0, Math.max(0, path.lastIndexOf('/'))) || '/';
      if (!this.cgroups.includes(dir)) this.cgroups.push(dir);
    }
  }

  /** A timed header's time as (sec, nsec) on the clock its form implies; null for a date that does not exist. */
  private timeOf(m: RegExpExecArray): { sec: number; nsec: number } | null {
    if (m[1] !== undefined) {
      const sec = Number(m[1]);
      this.epoch ??= sec >= 1e9;
      return { sec, nsec: fractionToNs(m[2] ?? '') };
    }
    const [y, mo, d, h, mi, s] = [3, 4, 5, 6, 7, 8].map((i) => Number(m[i]));
    const ms = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
    const back = new Date(ms);
    if (back.getUTCMonth() !== mo! - 1 || back.getUTCDate() !== d! || h! > 23 || mi! > 59 || s! > 59) return null;
    const zone = m[10];
    let offsetSec = 0;
    if (zone && zone !== 'Z') {
      const z = /^([+-])(\d\d):?(\d\d)$/.exec(zone)!;
      offsetSec = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 3600 + Number(z[3]) * 60);
    }
    if (!zone) this.localDates = true;
    this.epoch ??= true;
    return { sec: ms / 1000 - offsetSec, nsec: fractionToNs(m[9] ?? '') };
  }

  /** Writes the row of the reading in progress, if any. */
  /** A time more than MAX_SPAN_NS from the first reading's is a damaged line: its readings are not kept (NaN). */
  private reachable(ns: number, lineNo: number, line: string): number {
    if (Math.abs(ns) <= MAX_SPAN_NS) return ns;
    this.problems.add(lineNo, line, `this time is ${(ns / 86400e9).toExponential(2)} days from the first reading's: no capture spans that; its readings are skipped`);
    return Number.NaN;
  }

  private flush(): void {
    const b = this.block;
    if (!b) return;
    this.block = null;
    if (Number.isNaN(this.tsNs)) return;
    const prev = this.previous.get(b.key);
    // A reading earlier than the same file's previous one (counted in outOfOrder) has no interval.
    const intervalNs = prev ? Math.max(0, this.tsNs - prev.tsNs) : 0;
    const fraction = (now: Reading | null, before: Reading | null | undefined): number | null =>
      now && before && intervalNs > 0 ? Math.min(1, Math.max(0, ((now.total - before.total) * 1000) / intervalNs)) : null;
    const last = this.rows.at(-1);
    if (last && this.tsNs < last.ts_ns) this.outOfOrder++;
    this.rows.push({
      ts_ns: this.tsNs,
      interval_ns: intervalNs,
      cgroup: b.scope === 'cgroup' && b.key !== '' ? b.key.slice(0, Math.max(0, b.key.lastIndexOf('/'))) || '/' : null,
      scope: b.scope,
      resource: b.resource,
      some_fraction: fraction(b.some, prev?.some),
      full_fraction: fraction(b.full, prev?.full),
      some_total_us: b.some?.total ?? null,
      full_total_us: b.full?.total ?? null,
      some_avg10: b.some?.avg10 ?? null,
      full_avg10: b.full?.avg10 ?? null,
    });
    this.previous.set(b.key, { tsNs: this.tsNs, some: b.some, full: b.full });
  }
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export const psiImporter: Importer<'psi'> = {
  format: 'psi',
  title: 'snapshots of /proc/pressure/* or cgroup *.pressure files',
  detector: {
    // Time lines, "== FILE" headers (tail's "==> FILE <=="), the kernel's own lines, and cgroup.pressure's 0/1.
    // A loop printing one header per read puts the time before the path ("1796405157.898 /proc/pressure/cpu").
    patterns: [
      /^(?:some|full) avg10=\d+\.\d+ avg60=\d+\.\d+ avg300=\d+\.\d+ total=\d+$/,
      /^==>? \S*pressure\S*(?: <==)?$/,
      /^\d+\.\d+$/,
      /^[01]$/,
      /^(?:\d+(?:\.\d+)?|\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?\s*(?:Z|[+-]\d\d:?\d\d)?)\s+\/\S*pressure\S*$/,
    ],
  },
  parser: (file) =>
    lineParser(new PsiSnapshotParser(), (r) => ({
      tableName: 'psi',
      source: 'psi',
      notes: [
        ...(r.timeStyle === 'none' ? ['No time lines between snapshots: rows are at time 0 and no stall fractions could be computed.'] : []),
        ...(r.unnamedReadings ? [`${r.unnamedReadings} readings had no "== FILE" header: their resource is "unknown".`] : []),
        ...(r.timeStyle === 'local-date' ? ['The dates have no time zone: times count from the first reading, and the clock is not tied to UTC.'] : []),
        ...(r.cgroups.length > 1 ? [`Readings of ${r.cgroups.length} cgroups: their scope is "cgroup:" and the directory (${r.cgroups.map((c) => `"cgroup:${c}"`).join(', ')}).`] : []),
        ...(r.outOfOrder ? [`${r.outOfOrder} readings were earlier than the reading before them; rows are sorted by time.`] : []),
      ],
      clock: clockFrom(r.timeStyle === 'epoch' && r.firstTimestamp),
      settings: { importedFrom: file, format: 'pressure snapshots', snapshots: r.snapshots, timeStyle: r.timeStyle, files: r.files, cgroups: r.cgroups, outOfOrder: r.outOfOrder },
    })),
};

function fromNs(ns: bigint): { sec: number; nsec: number } {
  return { sec: Number(ns / 1_000_000_000n), nsec: Number(ns % 1_000_000_000n) };
}
