import type { Table } from 'apache-arrow';
import { TableBuilder } from '../bundle/table-builder.ts';
import { ProblemLog, type ParseProblem } from './problems.ts';
import { parseSecondsToParts, type TimeOrigin } from './time-origin.ts';
import { clockFrom, lineParser, type Importer } from './importer.ts';

export interface PerfStatOptions {
  /**
   * Subtracted from the time column when that column is on the recording's clock. perf stat -I prints
   * seconds since perf started, so usually leave this out and give offsetNs instead.
   */
  origin?: TimeOrigin;
  /** For -I output: perf's first column is seconds since perf started; offsetNs is added to it. */
  offsetNs?: number;
  /** Scope of rows without a per-CPU or cgroup field; default "group". */
  scope?: string;
  /**
   * interval_ns of totals-mode rows (no -I), which have no time column: those rows get ts_ns = 0 and
   * interval_ns = intervalNs ?? 0, so a caller that knows how long perf ran should pass it.
   */
  intervalNs?: number;
}

export interface PerfStatResult {
  table: Table;
  problems: ParseProblem[];
  problemCount: number;
  lines: number;
  /** Event names in order of first appearance, the unsupported ones left out. */
  events: string[];
  notSupported: string[];
}

const NOT_COUNTED = '<not counted>';
const NOT_SUPPORTED = '<not supported>';
// perf -I prints "%6lu.%09lu": the time column always has nine decimals, counts never do.
const INTERVAL_TIME = /^\s*\d+\.\d{9}$/;
const CPU_PREFIX = /^CPU(\d+)$/;
// --per-socket/-die/-core/-node: an aggregate id, then the number of CPUs aggregated.
const AGGREGATE_PREFIX = /^(?:S\d+(?:-D\d+)?(?:-[CL]\d+)?|N\d+)$/;
const NUMBER = /^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/;

/** Parses perf stat -x output (any one-character separator, interval or totals mode) into the counters table. */
export class PerfStatParser {
  private readonly builder = new TableBuilder('counters');
  private readonly problems = new ProblemLog();
  private readonly events = new Set<string>();
  private readonly notSupported = new Set<string>();
  private readonly offsetNs: number;
  private readonly originNs: number;
  private readonly scope: string;
  private readonly totalsIntervalNs: number;
  private lineNo = 0;
  private sep: string | null = null;
  private interval: boolean | null = null;
  // Interval length per time stamp: each -I block of rows shares one time, the previous block's ends it.
  private blockTime = -1;
  private blockStart = 0;

  constructor(options: PerfStatOptions = {}) {
    this.offsetNs = options.offsetNs ?? 0;
    this.originNs = options.origin ? options.origin.sec * 1e9 + options.origin.nsec : 0;
    this.scope = options.scope ?? 'group';
    this.totalsIntervalNs = options.intervalNs ?? 0;
  }

  pushLine(line: string): void {
    const lineNo = ++this.lineNo;
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    this.sep ??= detectSeparator(line);
    if (this.sep === null) {
      this.problems.add(lineNo, line, 'no field separator found (expected perf stat -x output such as "1234,,context-switches,...")');
      return;
    }
    const f = line.split(this.sep);
    this.interval ??= f.length >= 6 && INTERVAL_TIME.test(f[0]!);
    const reason = this.row(f);
    if (reason) this.problems.add(lineNo, line, reason);
  }

  finish(): PerfStatResult {
    return {
      table: this.builder.finish(),
      problems: this.problems.list,
      problemCount: this.problems.count,
      lines: this.lineNo,
      events: [...this.events],
      notSupported: [...this.notSupported],
    };
  }

  /** Adds the row for one record; returns why it could not, if so. */
  private row(f: string[]): string | null {
    let i = 0;
    let ts = 0;
    let intervalNs = this.totalsIntervalNs;
    let tNs: number | null = null;
    if (this.interval) {
      const t = parseSecondsToParts(f[i++]!);
      if (!t) return `time column is not a number of seconds: "${f[0]}"`;
      tNs = t.sec * 1e9 + t.nsec;
      ts = tNs + this.offsetNs - this.originNs;
    }
    let scope = this.scope;
    const agg = f[i]?.trim() ?? '';
    const cpu = CPU_PREFIX.exec(agg);
    if (cpu) {
      scope = `cpu${cpu[1]}`;
      i++;
    } else if (AGGREGATE_PREFIX.test(agg)) {
      scope = agg;
      i += 2;
    }
    if (f.length < i + 3) return `too few fields (${f.length}) for value, unit and event`;
    const valueText = f[i]!.trim();
    const unit = f[i + 1]!.trim();
    const event = f[i + 2]!.trim();
    i += 3;
    if (event === '') return 'empty event name';
    if (event.length > 1024) return `an event name of ${event.length} characters`;
    // -G adds the cgroup right after the event; the run time that otherwise follows is a plain integer.
    const next = f[i]?.trim();
    if (next !== undefined && next !== '' && !/^\d+$/.test(next)) {
      scope = next;
      i++;
    }
    if (valueText === NOT_SUPPORTED) {
      this.notSupported.add(event);
      return null;
    }
    let value: number | null = null;
    if (valueText !== NOT_COUNTED) {
      if (!NUMBER.test(valueText)) return `value is not a number: "${valueText}"`;
      value = Number(valueText);
    }
    const pct = f[i + 1]?.trim();
    let running: number | null = null;
    if (pct !== undefined && pct !== '') {
      if (!NUMBER.test(pct)) return `running percentage is not a number: "${pct}"`;
      running = Number(pct) / 100;
    }
    if (tNs !== null) {
      // perf writes -I blocks in time order; a time before the last block's is a damaged line, and would make a
      // negative interval.
      if (tNs < this.blockTime) return `time ${f[0]!.trim()} s is before the previous interval's ${(this.blockTime / 1e9).toFixed(9)} s (perf stat -I writes intervals in time order)`;
      if (tNs !== this.blockTime) {
        this.blockStart = this.blockTime < 0 ? 0 : this.blockTime;
        this.blockTime = tNs;
      }
      intervalNs = tNs - this.blockStart;
    }
    this.events.add(event);
    this.builder.push({ ts_ns: ts, interval_ns: intervalNs, event, value, unit: unit || null, scope, running_fraction: running });
    return null;
  }
}

/** The separator is the first character after the leading field (a number, <not ...> or CPUn). */
function detectSeparator(line: string): string | null {
  const m = /^\s*(?:<not (?:counted|supported)>|[A-Za-z0-9.+-]+)(.)/.exec(line);
  if (!m) return null;
  const c = m[1]!;
  return /[\s0-9A-Za-z.]/.test(c) ? null : c;
}

export const perfStatImporter: Importer<'perf-stat'> = {
  format: 'perf-stat',
  title: 'perf stat -x CSV (interval or totals)',
  detector: {
    patterns: [/^\s*(?:\d+\.\d{9}[,;:|\t])?(?:CPU\d+[,;:|\t])?(?:[\d.]+|<not (?:counted|supported)>)[,;:|\t][^,;:|\t]*[,;:|\t][A-Za-z][\w\-:/.]*(?:[,;:|\t]|$)/],
  },
  parser: (file) =>
    lineParser(new PerfStatParser(), (r) => ({
      tableName: 'counters',
      source: 'perf',
      notes: r.notSupported.length ? [`Not supported on the recording machine: ${r.notSupported.join(', ')}.`] : [],
      clock: clockFrom(null),
      settings: { importedFrom: file, format: 'perf stat -x', events: r.events },
    })),
};
