import type { Table } from 'apache-arrow';
import { TableBuilder } from '../bundle/table-builder.ts';
import { csvNumber, splitCsv } from './csv-fields.ts';
import { ProblemLog, type ParseProblem } from './problems.ts';
import { clockFrom, lineParser, type Importer } from './importer.ts';

export interface PerfSpectSummaryOptions {
  /** interval_ns of every row; the summary does not say how long the run was. Default 0. */
  intervalNs?: number;
}

export interface PerfSpectSummaryResult {
  table: Table;
  problems: ParseProblem[];
  problemCount: number;
  lines: number;
  /** Metric names (without "metric_") in file order. */
  metrics: string[];
  /** The statistic columns of the header, in order (normally avg, p95, min, max). */
  statistics: string[];
}

/**
 * PerfSpect 1.x summary CSV, as perf-postprocess writes it next to the time series (and as its similarity
 * analyzer keeps reference runs):
 *
 *     metrics,avg,p95,min,max
 *     metric_CPU operating frequency (in GHz),3.0217,3.0677,2.9261,3.7179
 *
 * Mapping to the counters table (there is no time axis in the file):
 * - one row per metric and statistic column;
 * - `event` = the metric name without its "metric_" prefix, as written (blanks and brackets kept);
 * - `scope` = the statistic's column name ("avg", "p95", "min", "max");
 * - `value` = the number (null for an empty cell or "nan");
 * - `ts_ns` = 0 and `interval_ns` = options.intervalNs ?? 0 (the length of the run is not in the file);
 * - `unit` = what the metric name says, when it says it (see unitOf), else null;
 * - `running_fraction` = null (PerfSpect does not report multiplexing in the summary).
 */
export class PerfSpectSummaryParser {
  private readonly builder = new TableBuilder('counters');
  private readonly problems = new ProblemLog();
  private readonly metrics: string[] = [];
  private readonly intervalNs: number;
  private statistics: string[] | null = null;
  private lineNo = 0;

  constructor(options: PerfSpectSummaryOptions = {}) {
    this.intervalNs = options.intervalNs ?? 0;
  }

  pushLine(line: string): void {
    const lineNo = ++this.lineNo;
    if (line.trim() === '') return;
    const f = splitCsv(line);
    if (this.statistics === null) {
      if (f[0]!.trim() !== 'metrics' || f.length < 2) {
        this.problems.add(lineNo, line, 'expected the PerfSpect summary header "metrics,avg,p95,min,max" first');
        return;
      }
      this.statistics = f.slice(1).map((s) => s.trim());
      return;
    }
    const name = f[0]!.trim();
    if (!name.startsWith('metric_')) {
      this.problems.add(lineNo, line, 'not a PerfSpect summary row (expected "metric_<name>,<avg>,<p95>,<min>,<max>")');
      return;
    }
    if (f.length !== this.statistics.length + 1) {
      this.problems.add(lineNo, line, `${f.length} fields where the header has ${this.statistics.length + 1}`);
      return;
    }
    const values: (number | null)[] = [];
    for (const cell of f.slice(1)) {
      const v = csvNumber(cell);
      // An infinite average or percentile means the run's samples were broken: reported, not read.
      if (v === undefined || v === 'infinite') {
        this.problems.add(lineNo, line, `value is not a number: "${cell.trim()}"`);
        return;
      }
      values.push(v);
    }
    const event = name.slice('metric_'.length);
    const unit = unitOf(event);
    this.metrics.push(event);
    this.statistics.forEach((scope, i) => {
      this.builder.push({ ts_ns: 0, interval_ns: this.intervalNs, event, value: values[i], unit, scope, running_fraction: null });
    });
  }

  finish(): PerfSpectSummaryResult {
    return {
      table: this.builder.finish(),
      problems: this.problems.list,
      problemCount: this.problems.count,
      lines: this.lineNo,
      metrics: [...this.metrics],
      statistics: [...(this.statistics ?? [])],
    };
  }
}

/** Units PerfSpect writes in brackets, "(in GHz)" or "(MB/sec)"; the text is kept as written. */
const BRACKET_UNIT = /\((?:in )?(GHz|MHz|MB\/sec|GB\/sec|MB\/s|GB\/s|watts|ns|clks|%)\)/;

/**
 * The unit a PerfSpect metric name states: a bracketed one ("(in GHz)", "(MB/sec)", "(watts)", "(in ns)",
 * "(%)"), else a "%" anywhere in the name ("CPU utilization %", "NUMA %_Reads ...") or a trailing "GHz"
 * ("uncore frequency GHz"). Ratios and per-instruction rates (CPI, MPI, "per instr") have none: null.
 */
export function unitOf(metric: string): string | null {
  const b = BRACKET_UNIT.exec(metric);
  if (b) return b[1]!;
  if (metric.includes('%')) return '%';
  if (/\bGHz$/.test(metric)) return 'GHz';
  return null;
}

export const perfSpectSummaryImporter: Importer<'perfspect-summary'> = {
  format: 'perfspect-summary',
  title: 'PerfSpect 1.x summary CSV (metrics,avg,p95,min,max)',
  detector: { patterns: [/^metrics,avg,p95,min,max\s*$/, /^"?metric_[^,]*"?(?:,[^,]*){4}$/] },
  parser: (file) =>
    lineParser(new PerfSpectSummaryParser(), (r) => ({
      tableName: 'counters',
      source: 'perf',
      notes: ['PerfSpect summary: statistics over the whole run, not a time series (every row is at time 0).'],
      clock: clockFrom(null),
      settings: {
        importedFrom: file,
        format: 'PerfSpect 1.x summary CSV',
        mapping:
          'one counters row per metric and statistic: event = metric name without "metric_", scope = statistic column (avg, p95, min, max), ts_ns 0, interval_ns 0, unit from the metric name when it states one ("(in GHz)", "(MB/sec)", "(watts)", "%"), else null',
        statistics: r.statistics,
        metrics: r.metrics.length,
      },
    })),
};
