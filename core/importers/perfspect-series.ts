import type { Table } from 'apache-arrow';
import { TableBuilder } from '../bundle/table-builder.ts';
import { csvNumber, splitCsv } from './csv-fields.ts';
import { unitOf } from './perfspect.ts';
import { ProblemLog, type ParseProblem } from './problems.ts';
import { parseSecondsToParts } from './time-origin.ts';
import { clockFrom, lineParser, shareOf, type Importer, type Parsed } from './importer.ts';

/** Which PerfSpect wrote the file: 1.x's perf-postprocess.py or 3.x's Go metrics command. */
export type PerfSpectSeriesLayout = '1.x' | '3.x';
/** What a row's metrics describe. */
export type PerfSpectSeriesMode = 'system' | 'socket' | 'cpu' | 'cgroup';

export interface PerfSpectSeriesResult {
  table: Table;
  problems: ParseProblem[];
  problemCount: number;
  lines: number;
  /** null when no header was found. */
  layout: PerfSpectSeriesLayout | null;
  /** 1.x: from the column names' suffixes; 3.x: which of SKT, CPU, CID the rows fill, in order of first appearance. */
  modes: PerfSpectSeriesMode[];
  /** Metric names (without "metric_" and the instance suffix), each once, in header order. */
  metrics: string[];
  /** Scopes in order of first appearance. */
  scopes: string[];
  /** Distinct timestamps among the rows kept. */
  timestamps: number;
  /** Unix seconds of the first row (3.x); null for 1.x, whose time counts from perf's start. */
  firstUnixSec: number | null;
  /** Rows whose timestamp and scope equal an earlier row's (3.x writes whole seconds, so shorter intervals collide). */
  repeatedTimes: number;
  /** Cells written as infinity ("+Inf" by Go, "inf" by pandas), kept as null. */
  infiniteCells: number;
}

interface Column {
  event: string;
  unit: string | null;
  /** 1.x: the scope its name's suffix gives; 3.x: null, the row's SKT/CPU/CID give it. */
  scope: string | null;
}

interface Cell {
  column: Column;
  value: number | null;
  infinite: boolean;
}

const HEADER_3X = 'TS,SKT,CPU,CID,';
const WHOLE = /^\d+$/;
// 1.x appends ".S<socket>" or ".<cpu>" to every metric name in socket and CPU mode.
const SOCKET_SUFFIX = /^(.*)\.S(\d+)$/;
const CPU_SUFFIX = /^(.*)\.(\d+)$/;
const NO_HEADER = 'expected a PerfSpect time-series header first: "time,metric_…" (1.x metric_out*.csv) or "TS,SKT,CPU,CID,…" (3.x <target>_metrics.csv)';

/**
 * PerfSpect metric time series, in either of the two layouts PerfSpect writes (the header tells which):
 *
 * 1.x `metric_out.sys.csv` / `.socket.csv` / `.cpu.csv` (perf-postprocess.py generate_metrics_time_series, pandas
 * to_csv of the transposed frame): the perf stat -I time as printed, then one column per metric, with ".S<n>" or
 * ".<cpu>" after every metric name in socket and CPU mode; empty cells are NaN.
 *
 *     time,metric_CPU operating frequency (in GHz),metric_CPI,…
 *     5.004512345,3.0217,0.8932,…
 *
 * 3.x `<target>_metrics.csv` (internal/metrics printMetricsCSV): whole unix seconds, socket, CPU and cgroup (empty
 * where they do not apply), then the values as FormatFloat(v, 'g', 8, 64) with NaN written as nothing.
 *
 *     TS,SKT,CPU,CID,CPU operating frequency (in GHz),CPI,…
 *     1700000000,,,,2.4931502,0.89325847,…
 *
 * Mapping to the counters table:
 * - one row per metric cell, in file order;
 * - `event` = the metric name without "metric_" and without the 1.x instance suffix;
 * - `scope` = "system"; "S<n>" for a socket and "cpu<n>" for a CPU (perf stat's names for them); a 3.x cgroup
 *   row's CID as written (perf stat -G's scope is the cgroup as named), with " cpu<n>" or " S<n>" after it when
 *   the row also names one;
 * - `value` = the number; null for an empty cell, "nan" or infinity;
 * - `unit` = what the metric name says, when it says it (see unitOf in perfspect.ts), else null;
 * - `ts_ns` = time since the first row: 1.x from the time text, read exactly to the ns; 3.x from the whole seconds
 *   (the bundle clock is then wall-clock time with the first TS as origin);
 * - `interval_ns` = the time since the previous distinct timestamp. For the first timestamp: 1.x its own time
 *   (perf stat -I counts from 0 when perf starts); 3.x does not say, so the gap to the next distinct timestamp,
 *   or 0 when the file has only one;
 * - `running_fraction` = null (PerfSpect reports no multiplexing).
 *
 * Skipped and reported by line: rows before the header, a second header that differs from the first, a field
 * count other than the header's, a time that is not a number of seconds (1.x) or whole unix seconds (3.x), a
 * socket or CPU that is not a whole number, a value that is not a number, a time earlier than the previous row's.
 * An identical header again (3.x appends to an existing file) is passed over.
 */
export class PerfSpectSeriesParser {
  private readonly builder = new TableBuilder('counters');
  private readonly problems = new ProblemLog();
  private lineNo = 0;
  private layout: PerfSpectSeriesLayout | null = null;
  private headerText = '';
  private headerLine = 0;
  private columns: Column[] = [];
  private readonly modes = new Set<PerfSpectSeriesMode>();
  private readonly scopes = new Set<string>();
  // Times are ns since the first row's time (firstRaw: 1.x ns since perf started, 3.x unix seconds).
  private firstRaw: number | null = null;
  private current = 0;
  private currentInterval: number | null = null;
  private readonly scopesAtCurrent = new Set<string>();
  private timestamps = 0;
  private repeatedTimes = 0;
  private infiniteCells = 0;
  // 3.x rows of the first timestamp, waiting for the next one to give their interval.
  private pending: { ts: number; scope: string; cells: Cell[] }[] = [];

  pushLine(line: string): void {
    const lineNo = ++this.lineNo;
    if (line.trim() === '') return;
    if (this.layout === null) {
      this.header(lineNo, line);
      return;
    }
    if (line === this.headerText) return;
    if (this.looksLikeHeader(line)) {
      this.problems.add(lineNo, line, `a second header with other columns than line ${this.headerLine}'s`);
      return;
    }
    const reason = this.layout === '1.x' ? this.row1x(line) : this.row3x(line);
    if (reason) this.problems.add(lineNo, line, reason);
  }

  finish(): PerfSpectSeriesResult {
    this.flushPending(0);
    const metrics: string[] = [];
    for (const c of this.columns) if (!metrics.includes(c.event)) metrics.push(c.event);
    return {
      table: this.builder.finish(),
      problems: this.problems.list,
      problemCount: this.problems.count,
      lines: this.lineNo,
      layout: this.layout,
      modes: [...this.modes],
      metrics,
      scopes: [...this.scopes],
      timestamps: this.timestamps,
      firstUnixSec: this.layout === '3.x' ? this.firstRaw : null,
      repeatedTimes: this.repeatedTimes,
      infiniteCells: this.infiniteCells,
    };
  }

  private header(lineNo: number, line: string): void {
    if (line.startsWith(HEADER_3X)) {
      // Go writes the names joined by commas, unquoted.
      const names = line.split(',').slice(4);
      if (names.length === 1 && names[0] === '') {
        this.problems.add(lineNo, line, 'PerfSpect 3.x header without metric names');
        return;
      }
      this.layout = '3.x';
      this.columns = names.map((n) => ({ event: n, unit: unitOf(n), scope: null }));
    } else {
      const f = splitCsv(line);
      if (f[0] !== 'time' || f.length < 2) {
        this.problems.add(lineNo, line, NO_HEADER);
        return;
      }
      this.layout = '1.x';
      this.columns = columns1x(f.slice(1));
      for (const c of this.columns) {
        this.scopes.add(c.scope!);
        this.modes.add(c.scope === 'system' ? 'system' : c.scope!.startsWith('S') ? 'socket' : 'cpu');
      }
    }
    this.headerText = line;
    this.headerLine = lineNo;
  }

  private looksLikeHeader(line: string): boolean {
    return this.layout === '3.x' ? line.startsWith(HEADER_3X) : line.startsWith('time,');
  }

  private row1x(line: string): string | null {
    const f = splitCsv(line);
    if (f.length !== this.columns.length + 1) return `${f.length} fields where the header has ${this.columns.length + 1}`;
    const t = parseSecondsToParts(f[0]!);
    if (!t) return `time is not a number of seconds: "${f[0]}"`;
    const cells = this.cells(f.slice(1));
    if (typeof cells === 'string') return cells;
    const raw = t.sec * 1e9 + t.nsec;
    this.firstRaw ??= raw;
    const interval = this.advance(raw - this.firstRaw, raw);
    if (typeof interval === 'string') return interval;
    // One 1.x row holds every scope, so a repeated time repeats them all.
    this.noteScope('');
    for (const c of cells) this.push(raw - this.firstRaw, interval!, c.column.scope!, c);
    return null;
  }

  private row3x(line: string): string | null {
    const f = line.split(',');
    if (f.length !== this.columns.length + 4) return `${f.length} fields where the header has ${this.columns.length + 4}`;
    const [tsText, skt, cpu, cid] = f as [string, string, string, string];
    if (!WHOLE.test(tsText)) return `TS is not whole unix seconds: "${tsText}"`;
    if (skt !== '' && !WHOLE.test(skt)) return `SKT is not a socket number: "${skt}"`;
    if (cpu !== '' && !WHOLE.test(cpu)) return `CPU is not a CPU number: "${cpu}"`;
    const cells = this.cells(f.slice(4));
    if (typeof cells === 'string') return cells;
    const sec = Number(tsText);
    this.firstRaw ??= sec;
    const ts = (sec - this.firstRaw) * 1e9;
    const interval = this.advance(ts, null);
    if (typeof interval === 'string') return interval;
    const place = cpu !== '' ? `cpu${cpu}` : skt !== '' ? `S${skt}` : null;
    const scope = cid !== '' ? (place ? `${cid} ${place}` : cid) : (place ?? 'system');
    this.modes.add(cid !== '' ? 'cgroup' : cpu !== '' ? 'cpu' : skt !== '' ? 'socket' : 'system');
    this.scopes.add(scope);
    this.noteScope(scope);
    if (interval === null) this.pending.push({ ts, scope, cells });
    else for (const c of cells) this.push(ts, interval, scope, c);
    return null;
  }

  private cells(texts: string[]): Cell[] | string {
    const out: Cell[] = [];
    for (let i = 0; i < texts.length; i++) {
      const column = this.columns[i]!;
      const v = csvNumber(texts[i]!);
      if (v === undefined) return `value of "${column.event}" is not a number: "${texts[i]!.trim()}"`;
      out.push(v === 'infinite' ? { column, value: null, infinite: true } : { column, value: v, infinite: false });
    }
    return out;
  }

  /**
   * Moves to the row's timestamp and gives its interval; null while the first 3.x timestamp waits for the next.
   * firstOwnTime is the 1.x first row's time since perf started, which is its interval.
   */
  private advance(ts: number, firstOwnTime: number | null): number | null | string {
    if (this.timestamps === 0) {
      this.timestamps = 1;
      this.current = ts;
      this.currentInterval = firstOwnTime;
      return this.currentInterval;
    }
    if (ts < this.current) return `time goes back: ${ts / 1e9} s after the first row, the previous row was at ${this.current / 1e9} s`;
    if (ts > this.current) {
      const gap = ts - this.current;
      if (this.currentInterval === null) this.flushPending(gap);
      this.timestamps++;
      this.current = ts;
      this.currentInterval = gap;
      this.scopesAtCurrent.clear();
    }
    return this.currentInterval;
  }

  private noteScope(scope: string): void {
    if (this.scopesAtCurrent.has(scope)) this.repeatedTimes++;
    else this.scopesAtCurrent.add(scope);
  }

  private push(ts: number, interval: number, scope: string, c: Cell): void {
    if (c.infinite) this.infiniteCells++;
    this.builder.push({ ts_ns: ts, interval_ns: interval, event: c.column.event, value: c.value, unit: c.column.unit, scope, running_fraction: null });
  }

  private flushPending(interval: number): void {
    for (const r of this.pending) for (const c of r.cells) this.push(r.ts, interval, r.scope, c);
    this.pending = [];
  }
}

/** 1.x columns: the mode is socket or CPU only when every metric_ column has that suffix (PSI columns never do). */
function columns1x(names: string[]): Column[] {
  const metricNames = names.filter((n) => n.startsWith('metric_'));
  const all = (re: RegExp) => metricNames.length > 0 && metricNames.every((n) => re.test(n));
  const suffix = all(SOCKET_SUFFIX) ? SOCKET_SUFFIX : all(CPU_SUFFIX) ? CPU_SUFFIX : null;
  return names.map((name) => {
    const bare = name.startsWith('metric_') ? name.slice('metric_'.length) : name;
    const m = suffix && name.startsWith('metric_') ? suffix.exec(bare) : null;
    const event = m ? m[1]! : bare;
    const scope = !m ? 'system' : suffix === SOCKET_SUFFIX ? `S${m[2]}` : `cpu${m[2]}`;
    return { event, unit: unitOf(event), scope };
  });
}

const SERIES_MODE: Record<PerfSpectSeriesMode, string> = { system: 'system-wide', socket: 'per socket', cpu: 'per CPU', cgroup: 'per cgroup' };

function perfSpectSeriesMeta(file: string, r: PerfSpectSeriesResult): Omit<Parsed, 'table' | 'lines' | 'problems' | 'problemCount'> {
  const modes = r.modes.map((m) => SERIES_MODE[m]).join(' and ');
  const what =
    r.layout === '3.x'
      ? `PerfSpect 3.x metrics CSV (<target>_metrics.csv), ${modes}: one row per metric, scope and whole unix second.`
      : r.layout === '1.x'
        ? `PerfSpect 1.x metric time series (metric_out*.csv), ${modes}: one row per metric and perf stat interval.`
        : 'No PerfSpect time-series header ("time,metric_…" or "TS,SKT,CPU,CID,…") in the file: nothing imported.';
  const first =
    r.layout === '1.x'
      ? ["Times count from the first row; its interval is its own time, since perf stat -I counts from perf's start."]
      : r.layout === '3.x'
        ? [r.timestamps > 1 ? "The file does not say when collection started: the first timestamp's interval is the gap to the next one." : 'One timestamp only: its interval is unknown (0).']
        : [];
  return {
    tableName: 'counters',
    source: 'perf',
    notes: [
      what,
      ...first,
      ...(r.repeatedTimes ? [`${r.repeatedTimes} rows have the same time and scope as an earlier row${r.layout === '3.x' ? ' (3.x writes whole seconds, so intervals under a second collide)' : ''}; they share its ts_ns.`] : []),
      ...(r.infiniteCells ? [`${r.infiniteCells} values were infinite (a division by zero in a metric's formula) and are null.`] : []),
    ],
    clock: clockFrom(r.firstUnixSec !== null && { sec: r.firstUnixSec, nsec: 0 }),
    settings: {
      importedFrom: file,
      format: r.layout === '3.x' ? 'PerfSpect 3.x metrics CSV' : 'PerfSpect 1.x time-series CSV',
      mode: r.modes,
      mapping:
        'one counters row per metric cell: event = metric name without "metric_" and the 1.x ".S<n>"/".<cpu>" suffix, scope = system, S<n>, cpu<n> or the 3.x cgroup id, ts_ns from the first row, interval_ns = time since the previous timestamp (first: 1.x its own time, 3.x the gap to the next), unit from the metric name when it states one, else null',
      metrics: r.metrics.length,
      scopes: r.scopes.length,
      timestamps: r.timestamps,
    },
  };
}

// Headers, then rows of numbers and empty cells only: 1.x after perf's time ("5.004512345"), 3.x after unix
// seconds and the socket, CPU and cgroup fields. A word in any cell (an event name, a unit) rules a line out.
// Each number has one way to match, so a long line that fails at its end fails fast.
const SERIES_PATTERNS = [
  /^time,"?metric_/,
  /^\d+\.\d+(?:,(?:[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?|[-+]?(?:nan|inf))?)+$/i,
  /^TS,SKT,CPU,CID,[^,]/,
  /^\d{9,},\d*,\d*,[^,]*(?:,(?:[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?|[-+]?(?:nan|inf))?)+$/i,
];
const SERIES_HEADERS = [SERIES_PATTERNS[0]!, SERIES_PATTERNS[2]!];

export const perfSpectSeriesImporter: Importer<'perfspect-series'> = {
  format: 'perfspect-series',
  title: 'PerfSpect metric time series: 1.x metric_out*.csv (time,metric_…) or 3.x *_metrics.csv (TS,SKT,CPU,CID,…)',
  detector: {
    patterns: SERIES_PATTERNS,
    // Rows of plain numbers are any numeric CSV's (a cluster trace, a PSI log): only PerfSpect's header says it is one.
    confidence: (lines) => (lines.some((l) => SERIES_HEADERS.some((p) => p.test(l))) ? shareOf(lines, SERIES_PATTERNS) : 0),
  },
  parser: (file) => lineParser(new PerfSpectSeriesParser(), (r) => perfSpectSeriesMeta(file, r)),
};
