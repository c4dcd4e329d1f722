import type { Table } from 'apache-arrow';
import { TableBuilder } from '../bundle/table-builder.ts';
import { csvNumber, csvSeparator, splitCsv } from './csv-fields.ts';
import { ImportError } from './errors.ts';
import type { CsvMapping, Importer, LineParser, Parsed } from './importer.ts';
import { ProblemLog } from './problems.ts';
import { RelativeClock, fractionToNs } from './time-origin.ts';

/** What a time column counts. ISO dates need no unit. */
export type CsvTimeUnit = 's' | 'ms' | 'us' | 'ns';
export const CSV_TIME_UNITS: readonly CsvTimeUnit[] = ['s', 'ms', 'us', 'ns'];
const UNIT_DIGITS: Record<CsvTimeUnit, number> = { s: 0, ms: 3, us: 6, ns: 9 };

/** Rows read before the layout (time column, unit, series) is decided. */
const LAYOUT_ROWS = 64;

const TIME_NAME = /^(?:time|timestamp|ts|t|date|datetime|epoch|time_?stamp|unix_?time|start_?time|sample_?time)(?:[_ (\[].*)?$|time$|timestamp/i;
const ISO = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d{1,9})\d*)?)?)?\s*(Z|UTC|[+-]\d\d:?\d\d)?$/i;
const PLAIN = /^(\d+)(?:\.(\d*))?$/;
/**
 * Column names of pressure stall information: an optional prefix (a cgroup, a host), the resource, some or full,
 * then what it is: the kernel's avg10 (%), its cumulative total (µs), or a stall fraction (0..1).
 */
const PSI_NAME = /^(?:(.+?)[_.:/-])?(cpu|memory|mem|io|irq)[_.-](some|full)(?:[_.-](avg10|avg60|avg300|total|total_us|fraction|frac|share))?$/i;

type PsiStat = 'avg10' | 'total' | 'fraction';
interface PsiColumn {
  column: number;
  scope: string;
  resource: string;
  kind: 'some' | 'full';
  stat: PsiStat;
}

export interface CsvLayout {
  time:
    | { column: string; kind: 'number'; unit: CsvTimeUnit; unitFrom: 'given' | 'name' | 'magnitude' }
    | { column: string; kind: 'iso' }
    /** No time column: rows `seconds` apart (CsvMapping.rowIntervalS). */
    | { column: null; kind: 'row-interval'; seconds: number };
  counters: string[];
  psi: string[];
  skipped: { column: string; why: string }[];
}

export interface CsvSeriesResult {
  counters: Table | null;
  psi: Table | null;
  lines: number;
  problems: ProblemLog;
  layout: CsvLayout | null;
  rows: number;
  firstTimestamp: { sec: number; nsec: number } | null;
  epoch: boolean;
  localDates: boolean;
  outOfOrder: number;
  textCells: number;
  infiniteCells: number;
}

/**
 * A generic time-series CSV (a cluster trace, a latency or PSI log, a sar/sadf or Prometheus export): a header
 * of column names, then one row per time. The time column, its unit and the value columns come from the
 * mapping, or are recognised in the first LAYOUT_ROWS rows: a column named like a time (or else the first
 * column) whose cells are ISO dates or non-decreasing numbers; every other column whose cells are numbers.
 * Columns named like pressure (cpu_some_avg10, io_full_total, memory_some_fraction) go to the psi table, the
 * others to counters (event = the column's name, scope "csv"). A layout that cannot be decided is refused with
 * an ImportError saying what was found and how to name the columns.
 */
export class CsvSeriesParser {
  private header: string[] | null = null;
  private headerLine = 0;
  private separator: ',' | ';' | '\t' = ',';
  /** A comment line that may be the header (sadf -d writes "# hostname;interval;timestamp;…"). */
  private commentHeader: { lineNo: number; text: string } | null = null;
  private readonly pending: { lineNo: number; cells: string[] }[] = [];
  private layout: CsvLayout | null = null;
  private timeColumn = -1;
  private counterColumns: number[] = [];
  private psiColumns: PsiColumn[] = [];
  private readonly clock = new RelativeClock();
  private readonly times: number[] = [];
  private readonly values: (number | null)[][] = [];
  private readonly problems = new ProblemLog();
  private lineNo = 0;
  /** Data rows met so far, damaged ones included: with a row interval, a row's place in the file is its time. */
  private dataRows = 0;
  private intervalNs = 0;
  private outOfOrder = 0;
  private lastTime = Number.NEGATIVE_INFINITY;
  private localDates = false;
  private textCells = 0;
  private infiniteCells = 0;

  constructor(
    private readonly file: string,
    private readonly mapping: CsvMapping = {},
  ) {}

  pushLine(line: string): void {
    this.lineNo++;
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      if (!this.header) this.commentHeader = { lineNo: this.lineNo, text: line.replace(/^#\s*/, '') };
      return;
    }
    if (!this.header) {
      const comment = this.commentHeader;
      // A header in a comment counts when the first row has as many fields (and the row itself is no header).
      if (comment && headerOf(comment.text, line)) {
        this.setHeader(comment.lineNo, comment.text);
      } else {
        this.setHeader(this.lineNo, line);
        return;
      }
    }
    const cells = splitCsv(line, this.separator).map((c) => c.trim());
    if (!this.layout) {
      this.pending.push({ lineNo: this.lineNo, cells });
      if (this.pending.length >= LAYOUT_ROWS) this.decide();
      return;
    }
    this.row(this.lineNo, line, cells);
  }

  finish(): CsvSeriesResult {
    if (this.header && !this.layout && this.pending.length) this.decide();
    const n = this.times.length;
    const order = Array.from({ length: n }, (_, i) => i);
    if (this.outOfOrder) order.sort((a, b) => this.times[a]! - this.times[b]! || a - b);
    // A damaged or unsorted first row must not put the rest before the origin: the earliest time is 0.
    const shift = n ? -this.times[order[0]!]! : 0;
    const sorted = order.map((i) => this.times[i]! + shift);
    const intervals = sorted.map((t, k) => (k === 0 ? 0 : t - sorted[k - 1]!));
    const first = this.clock.first;
    let firstTimestamp: { sec: number; nsec: number } | null = null;
    if (first) {
      const ns = BigInt(first.sec) * 1_000_000_000n + BigInt(first.nsec) - BigInt(shift);
      firstTimestamp = { sec: Number(ns / 1_000_000_000n), nsec: Number(ns % 1_000_000_000n) };
    }
    let counters: Table | null = null;
    if (this.counterColumns.length && n) {
      const b = new TableBuilder('counters');
      order.forEach((i, k) => {
        const row = this.values[i]!;
        this.counterColumns.forEach((c, j) => {
          b.push({ ts_ns: sorted[k]!, interval_ns: intervals[k]!, event: this.header![c]!, value: row[j]!, unit: unitOfColumn(this.header![c]!), scope: 'csv', running_fraction: null });
        });
      });
      counters = b.finish();
    }
    const psi = this.psiColumns.length && n ? this.psiTable(order, sorted, intervals) : null;
    return {
      counters,
      psi,
      lines: this.lineNo,
      problems: this.problems,
      layout: this.layout,
      rows: n,
      firstTimestamp,
      epoch: this.epoch,
      localDates: this.localDates,
      outOfOrder: this.outOfOrder,
      textCells: this.textCells,
      infiniteCells: this.infiniteCells,
    };
  }

  private epoch = false;

  /** One psi row per time, scope and resource; a fraction not in the file follows from the totals' deltas. */
  private psiTable(order: number[], sorted: number[], intervals: number[]): Table {
    const groups = new Map<string, PsiColumn[]>();
    for (const p of this.psiColumns) {
      const key = `${p.scope}\u0000${p.resource}`;
      groups.set(key, [...(groups.get(key) ?? []), p]);
    }
    const b = new TableBuilder('psi');
    const offset = this.counterColumns.length;
    const last = new Map<string, { some: number | null; full: number | null }>();
    order.forEach((i, k) => {
      const row = this.values[i]!;
      for (const [key, cols] of groups) {
        const get = (kind: 'some' | 'full', stat: PsiStat) => {
          const c = cols.find((p) => p.kind === kind && p.stat === stat);
          return c ? row[offset + this.psiColumns.indexOf(c)]! : null;
        };
        const prev = last.get(key);
        const fraction = (kind: 'some' | 'full') => {
          const given = get(kind, 'fraction');
          if (given !== null) return given;
          const total = get(kind, 'total');
          const before = prev?.[kind] ?? null;
          // total is in µs; a counter that went back (a reset) gives no fraction rather than a negative one.
          return total !== null && before !== null && intervals[k]! > 0 && total >= before ? ((total - before) * 1000) / intervals[k]! : null;
        };
        b.push({
          ts_ns: sorted[k]!,
          interval_ns: intervals[k]!,
          scope: cols[0]!.scope,
          resource: cols[0]!.resource,
          some_fraction: fraction('some'),
          full_fraction: fraction('full'),
          some_total_us: get('some', 'total'),
          full_total_us: get('full', 'total'),
          some_avg10: get('some', 'avg10'),
          full_avg10: get('full', 'avg10'),
        });
        last.set(key, { some: get('some', 'total'), full: get('full', 'total') });
      }
    });
    return b.finish();
  }

  private setHeader(lineNo: number, text: string): void {
    this.separator = csvSeparator(text);
    this.header = splitCsv(text, this.separator).map((c) => c.trim());
    this.headerLine = lineNo;
    this.checkMapping();
  }

  private refuse(message: string): never {
    throw new ImportError('csv-layout', this.file, `${this.file}: ${message}`);
  }

  private columnList(): string {
    return this.header!.map((h) => JSON.stringify(h)).join(', ');
  }

  /** Named columns that the header does not have are refused at once, before any row is read. */
  private checkMapping(): void {
    const names = [...(this.mapping.time !== undefined ? [this.mapping.time] : []), ...(this.mapping.series ?? [])];
    for (const n of names) {
      if (!this.header!.includes(n)) this.refuse(`no column "${n}" in the header (line ${this.headerLine}); it has ${this.columnList()}.`);
    }
    if (this.mapping.time !== undefined && this.mapping.series?.includes(this.mapping.time)) this.refuse(`"${this.mapping.time}" is the time column; it cannot also be a series.`);
    const interval = this.mapping.rowIntervalS;
    if (interval !== undefined) {
      if (this.mapping.time !== undefined || this.mapping.unit !== undefined) this.refuse(`a row interval (--interval) is for a file with no time column; it cannot go with --time or --unit.`);
      // Whole nanoseconds, so every row's time is an exact integer; at least 1 ns.
      if (!Number.isFinite(interval) || !(Math.round(interval * 1e9) >= 1)) this.refuse(`the row interval must be a number of seconds of at least 1 ns, not ${JSON.stringify(interval)}.`);
    }
  }

  /** The layout, from the mapping where given and from the first rows otherwise. */
  private decide(): void {
    const header = this.header!;
    const rows = this.pending.filter((r) => r.cells.length === header.length);
    const cellsOf = (c: number) => rows.map((r) => r.cells[c]!).filter((x) => x !== '');
    const isIso = (c: number) => {
      const cells = cellsOf(c);
      return cells.length > 0 && cells.filter((x) => ISO.test(x)).length >= cells.length * 0.9;
    };
    const numbers = (c: number) => cellsOf(c).map((x) => csvNumber(x));
    const numeric = (c: number) => {
      const v = numbers(c);
      return v.length > 0 && v.every((x) => x !== undefined) && v.some((x) => typeof x === 'number');
    };
    // Rising numbers (a damaged cell or two aside): at least `share` of the cells numbers, and of the steps up.
    const monotone = (c: number, share: number) => {
      const all = numbers(c);
      const v = all.filter((x): x is number => typeof x === 'number');
      if (v.length < 2 || v.length < all.length * share) return false;
      let up = 0;
      for (let i = 1; i < v.length; i++) if (v[i]! >= v[i - 1]!) up++;
      return up >= (v.length - 1) * share && v[v.length - 1]! > v[0]!;
    };

    let time: number;
    if (this.mapping.rowIntervalS !== undefined) {
      time = -1;
    } else if (this.mapping.time !== undefined) {
      time = header.indexOf(this.mapping.time);
      if (!isIso(time) && !numeric(time)) this.refuse(`the time column "${this.mapping.time}" holds neither numbers nor ISO dates (it starts ${JSON.stringify(cellsOf(time)[0] ?? '')}).`);
    } else {
      const named = header.map((h, i) => i).filter((i) => TIME_NAME.test(header[i]!));
      const found = [...named.filter((i) => isIso(i) || monotone(i, 0.9)), ...(isIso(0) || monotone(0, 1) ? [0] : [])];
      if (!found.length) {
        this.refuse(
          `no time column: ${[...named.filter((i) => i !== 0).map((i) => `"${header[i]}" (named like one)`), `the first column "${header[0]}"`].join(', ')} hold${named.some((i) => i !== 0) ? '' : 's'} neither ISO dates nor rising numbers in the first ${rows.length} rows. Name it with --time COLUMN --unit s|ms|us|ns (the header has ${this.columnList()}); if the rows are evenly spaced with no time column (as in the Alibaba 2018 and Google 2019 cluster usage datasets), give their spacing with --interval SECONDS.`,
        );
      }
      time = found[0]!;
    }
    const timeName = time >= 0 ? header[time]! : null;
    let timeLayout: CsvLayout['time'];
    if (timeName === null) {
      this.intervalNs = Math.round(this.mapping.rowIntervalS! * 1e9);
      timeLayout = { column: null, kind: 'row-interval', seconds: this.intervalNs / 1e9 };
    } else if (isIso(time)) timeLayout = { column: timeName, kind: 'iso' };
    else if (this.mapping.unit) timeLayout = { column: timeName, kind: 'number', unit: this.mapping.unit, unitFrom: 'given' };
    else {
      const fromName = /(?:^|[_ (\[.-])(ns|us|µs|ms|s|sec|secs|seconds|millis|micros|nanos)\)?\]?$/i.exec(timeName)?.[1]?.toLowerCase();
      const named: CsvTimeUnit | undefined = fromName === undefined ? undefined : fromName.startsWith('n') ? 'ns' : fromName === 'ms' || fromName === 'millis' ? 'ms' : fromName === 'us' || fromName === 'µs' || fromName === 'micros' ? 'us' : 's';
      if (named) timeLayout = { column: timeName, kind: 'number', unit: named, unitFrom: 'name' };
      else {
        // Unix time in s, ms, µs or ns has 10, 13, 16 or 19 digits (2001..2286); anything smaller is seconds from a start.
        const v = numbers(time).filter((x): x is number => typeof x === 'number');
        const mid = v.length ? v[Math.floor(v.length / 2)]! : 0;
        const unit: CsvTimeUnit = mid >= 1e18 ? 'ns' : mid >= 1e15 ? 'us' : mid >= 1e12 ? 'ms' : 's';
        timeLayout = { column: timeName, kind: 'number', unit, unitFrom: 'magnitude' };
      }
    }
    if (timeLayout.kind === 'number') {
      const v = numbers(time).filter((x): x is number => typeof x === 'number');
      const seconds = v.length ? v[0]! / 10 ** UNIT_DIGITS[timeLayout.unit] : 0;
      this.epoch = seconds >= 9.5e8 && seconds <= 5e9;
    } else {
      this.epoch = timeLayout.kind === 'iso';
    }

    const skipped: CsvLayout['skipped'] = [];
    let series: number[];
    if (this.mapping.series?.length) {
      series = this.mapping.series.map((s) => header.indexOf(s));
      for (const c of series) if (!numeric(c) && cellsOf(c).length) this.refuse(`the series column "${header[c]}" holds no numbers (it starts ${JSON.stringify(cellsOf(c)[0] ?? '')}).`);
    } else {
      series = [];
      header.forEach((h, c) => {
        if (c === time) return;
        if (h === '') skipped.push({ column: `column ${c + 1}`, why: 'no name' });
        else if (header.indexOf(h) !== c) skipped.push({ column: h, why: 'a second column of that name' });
        else if (numeric(c)) series.push(c);
        else skipped.push({ column: h, why: cellsOf(c).length ? `text (${JSON.stringify(cellsOf(c)[0]!.slice(0, 40))})` : 'empty' });
      });
    }
    if (!series.length) {
      this.refuse(
        `no numeric column${timeName === null ? '' : ` besides the time column "${timeName}"`} in the first ${rows.length} rows${skipped.length ? ` (${skipped.map((s) => `"${s.column}": ${s.why}`).join(', ')})` : ''}. A time-series CSV needs at least one; name them with --series COLUMN.`,
      );
    }
    const psi: PsiColumn[] = [];
    const counters: number[] = [];
    for (const c of series) {
      const m = PSI_NAME.exec(header[c]!);
      const stat = m ? psiStat(m[4]) : null;
      if (m && stat) {
        const resource = m[2]!.toLowerCase() === 'mem' ? 'memory' : m[2]!.toLowerCase();
        psi.push({ column: c, scope: m[1] ? `csv:${m[1]}` : 'csv', resource, kind: m[3]!.toLowerCase() as 'some' | 'full', stat });
      } else counters.push(c);
    }
    this.timeColumn = time;
    this.counterColumns = counters;
    this.psiColumns = psi;
    this.layout = { time: timeLayout, counters: counters.map((c) => header[c]!), psi: psi.map((p) => header[p.column]!), skipped };
    for (const r of this.pending) this.row(r.lineNo, r.cells.join(this.separator), r.cells);
    this.pending.length = 0;
  }

  private row(lineNo: number, line: string, cells: string[]): void {
    const header = this.header!;
    const place = this.dataRows++;
    if (cells.length !== header.length) {
      this.problems.add(lineNo, line, `${cells.length} fields where the header (line ${this.headerLine}) has ${header.length}`);
      return;
    }
    if (this.timeColumn < 0) {
      const ns = place * this.intervalNs;
      if (ns > 2 ** 52) {
        this.problems.add(lineNo, line, `row ${place + 1} at ${this.intervalNs / 1e9} s a row is past 2^52 ns from the first`);
        return;
      }
      this.keep(ns, cells);
      return;
    }
    const t = this.time(cells[this.timeColumn]!);
    if (t === null) {
      const l = this.layout!.time;
      this.problems.add(lineNo, line, `the time "${cells[this.timeColumn]!.slice(0, 40)}" is not ${l.kind === 'iso' ? 'an ISO date' : l.kind === 'number' ? `a number of ${l.unit}` : 'a time'}`);
      return;
    }
    const ns = this.clock.toNs(t.sec, t.nsec);
    // 2^52 ns: shifted so that the earliest row is 0, every time stays an exact integer in a double.
    if (!Number.isFinite(ns) || Math.abs(ns) > 2 ** 52) {
      this.problems.add(lineNo, line, `the time "${cells[this.timeColumn]!.slice(0, 40)}" is too far from the first row's`);
      return;
    }
    if (ns < this.lastTime) this.outOfOrder++;
    this.lastTime = ns;
    this.keep(ns, cells);
  }

  private keep(ns: number, cells: string[]): void {
    const row: (number | null)[] = [];
    for (const c of [...this.counterColumns, ...this.psiColumns.map((p) => p.column)]) {
      const v = csvNumber(cells[c]!);
      if (v === undefined) this.textCells++;
      if (v === 'infinite') this.infiniteCells++;
      row.push(typeof v === 'number' && Number.isFinite(v) ? v : null);
    }
    this.times.push(ns);
    this.values.push(row);
  }

  /** A time cell as (sec, nsec) since the Unix epoch (or since whatever the numbers count from). */
  private time(cell: string): { sec: number; nsec: number } | null {
    const l = this.layout!.time;
    if (l.kind === 'row-interval') return null;
    if (l.kind === 'iso') {
      const m = ISO.exec(cell);
      if (!m) return null;
      const [y, mo, d, h = '0', mi = '0', s = '0'] = [m[1]!, m[2]!, m[3]!, m[4], m[5], m[6]].map((x) => x ?? '0') as string[];
      const parts = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)];
      if (parts[1]! < 1 || parts[1]! > 12 || parts[2]! < 1 || parts[2]! > 31 || parts[3]! > 23 || parts[4]! > 59 || parts[5]! > 60) return null;
      const ms = Date.UTC(parts[0]!, parts[1]! - 1, parts[2]!, parts[3]!, parts[4]!, parts[5]!);
      // Date.UTC rolls 31 April over to 1 May: a date no calendar has is a bad cell.
      if (new Date(ms).getUTCDate() !== parts[2]) return null;
      let offset = 0;
      const zone = m[8];
      if (!zone) this.localDates = true;
      else if (!/^(?:Z|UTC)$/i.test(zone)) {
        const z = /^([+-])(\d\d):?(\d\d)$/.exec(zone)!;
        offset = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 3600 + Number(z[3]) * 60);
      }
      return { sec: ms / 1000 - offset, nsec: fractionToNs(m[7] ?? '') };
    }
    const digits = UNIT_DIGITS[l.unit];
    const m = PLAIN.exec(cell);
    if (m) {
      // Exact: the decimal point moves by the unit's digits, so 1796406115275415677 ns loses nothing.
      const all = m[1]! + (m[2] ?? '');
      const point = m[1]!.length - digits;
      const sec = point > 0 ? Number(all.slice(0, point)) : 0;
      const frac = point > 0 ? all.slice(point) : '0'.repeat(-point) + all;
      return Number.isSafeInteger(sec) ? { sec, nsec: fractionToNs(frac) } : null;
    }
    const v = csvNumber(cell);
    if (typeof v !== 'number' || !Number.isFinite(v)) return null;
    const seconds = v / 10 ** digits;
    const sec = Math.floor(seconds);
    return Number.isSafeInteger(sec) ? { sec, nsec: Math.min(999_999_999, Math.round((seconds - sec) * 1e9)) } : null;
  }
}

function psiStat(s: string | undefined): PsiStat | null {
  const x = (s ?? 'fraction').toLowerCase();
  if (x === 'avg10') return 'avg10';
  if (x === 'total' || x === 'total_us') return 'total';
  if (x === 'fraction' || x === 'frac' || x === 'share') return 'fraction';
  // avg60 and avg300 have no psi column: they stay counters.
  return null;
}

/** What a finished CSV parse means for the bundle: counters and/or psi, the clock, notes and the layout used. */
function csvParsed(file: string, r: CsvSeriesResult): Parsed {
  const l = r.layout;
  const tables: { tableName: 'counters' | 'psi'; table: Table; source: 'csv' | 'psi' }[] = [];
  if (r.counters) tables.push({ tableName: 'counters', table: r.counters, source: 'csv' });
  if (r.psi) tables.push({ tableName: 'psi', table: r.psi, source: 'psi' });
  const main = tables[0] ?? { tableName: 'counters' as const, table: new TableBuilder('counters').finish(), source: 'csv' as const };
  const time = l?.time;
  const epoch = r.epoch && !r.localDates && r.firstTimestamp;
  const notes = [
    ...(time
      ? [
          time.kind === 'row-interval'
            ? `No time column: rows ${time.seconds} s apart (as given), counted from an unknown start.`
            : time.kind === 'iso'
            ? `Time from column "${time.column}" (ISO dates).`
            : `Time from column "${time.column}" in ${time.unit === 'us' ? 'µs' : time.unit}${time.unitFrom === 'magnitude' ? ' (the unit was guessed from the numbers\' size; give --unit if it is another)' : time.unitFrom === 'name' ? ' (as its name says)' : ''}${r.epoch ? ', Unix time' : ', counted from an unknown start'}.`,
        ]
      : []),
    ...(l && l.counters.length ? [`${l.counters.length} series to counters (event = column name, scope "csv"): ${l.counters.slice(0, 12).join(', ')}${l.counters.length > 12 ? ', …' : ''}.`] : []),
    ...(l && l.psi.length ? [`${l.psi.length} pressure columns to the psi table: ${l.psi.join(', ')}.`] : []),
    ...(l && l.skipped.length ? [`Columns not imported: ${l.skipped.map((s) => `"${s.column}" (${s.why})`).join(', ')}.`] : []),
    'The first row\'s interval is unknown (0); each later row\'s is the time since the row before.',
    ...(r.localDates ? ['The dates have no time zone: times count from the first row, and the clock is not tied to UTC.'] : []),
    ...(r.outOfOrder ? [`${r.outOfOrder} rows were earlier than the row before them; rows are sorted by time.`] : []),
    ...(r.textCells ? [`${r.textCells} cells of value columns were not numbers and are null.`] : []),
    ...(r.infiniteCells ? [`${r.infiniteCells} values were infinite and are null.`] : []),
  ];
  return {
    table: main.table,
    tableName: main.tableName,
    source: main.source,
    more: tables.slice(1),
    lines: r.lines,
    problems: r.problems.list,
    problemCount: r.problems.count,
    notes,
    clock: epoch
      ? { domain: 'realtime', unit: 'ns', originUnixNs: (BigInt(epoch.sec) * 1_000_000_000n + BigInt(epoch.nsec)).toString() }
      : { domain: 'unknown', unit: 'ns', originUnixNs: null },
    settings: {
      importedFrom: file,
      format: 'time-series CSV',
      time: time ?? null,
      counters: l?.counters ?? [],
      psi: l?.psi ?? [],
      skipped: l?.skipped ?? [],
      rows: r.rows,
      outOfOrder: r.outOfOrder,
    },
  };
}

/** A column named as a percentage (sadf's %user, cpu_pct, mem_percent): its unit, so it is charted as one. */
export function unitOfColumn(name: string): string | null {
  return /^%|%$|(?:^|[_ .-])(?:pct|percent|percentage)$/i.test(name.trim()) ? '%' : null;
}

/** A number, an empty cell, NaN/inf or an ISO date: what a time-series CSV's data cells hold. */
const numberLike = (cell: string) => csvNumber(cell) !== undefined || ISO.test(cell.trim());

/** A data row of `width` fields, at least half of them (and two) numbers or dates. */
function dataRow(line: string, separator: string, width: number): boolean {
  const cells = splitCsv(line, separator);
  if (cells.length !== width) return false;
  let n = 0;
  for (const c of cells) if (numberLike(c)) n++;
  return n >= 2 && n * 2 >= width;
}

/** A comment line holding the header of the data line after it (sadf -d: "# hostname;interval;timestamp;…"). */
function headerOf(comment: string, firstRow: string): boolean {
  const text = comment.replace(/^#\s*/, '');
  const sep = csvSeparator(text);
  const width = splitCsv(text, sep).length;
  const cells = splitCsv(firstRow, sep);
  return width > 1 && cells.length === width && cells.some(numberLike) && !splitCsv(text, sep).some((c) => c.trim() !== '' && numberLike(c));
}

/** A header of names (not a data row) then rows of numbers with as many fields; the share of such rows. */
function csvConfidence(lines: readonly string[], head: string): number {
  let header = lines[0];
  let rows = lines.slice(1);
  if (!header) return 0;
  const before = head.slice(0, Math.max(0, head.indexOf(header))).split(/\r?\n/).filter((l) => l.startsWith('#'));
  const comment = before[before.length - 1];
  if (comment && headerOf(comment, header)) {
    header = comment.replace(/^#\s*/, '');
    rows = lines.slice();
  }
  const sep = csvSeparator(header);
  const width = splitCsv(header, sep).length;
  if (width < 2 || dataRow(header, sep, width) || !rows.length) return 0;
  return rows.filter((l) => dataRow(l, sep, width)).length / rows.length;
}

export const csvSeriesImporter: Importer<'csv'> = {
  format: 'csv',
  title: 'time-series CSV: a header, a time column (numbers or ISO dates) and numeric columns (cluster traces, PSI or latency logs, sadf -d, Prometheus exports); --time/--unit/--series name them',
  detector: {
    // A header line of names (or a "# " comment holding it), then data rows with as many fields.
    patterns: [/^[^,;\t]+(?:[,;\t][^,;\t]*)+$/],
    // A header of names, then rows of numbers with as many fields: CSVs of specific tools are tried first.
    confidence: csvConfidence,
    fallback: true,
  },
  parser: (file, options): LineParser => {
    const p = new CsvSeriesParser(file, options.csv);
    return { pushLine: (l) => p.pushLine(l), finish: () => csvParsed(file, p.finish()) };
  },
};
