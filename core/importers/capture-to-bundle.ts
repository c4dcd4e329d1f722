import type { Table } from 'apache-arrow';
import { Manifest, type ManifestInput, type SourceName } from '../bundle/manifest.ts';
import type { Bundle } from '../bundle/reader.ts';
import { sizeOf, type ByteSource } from '../bundle/source.ts';
import { numberColumn } from '../bundle/columns.ts';
import type { TableName } from '../bundle/tables.ts';
import { FORMAT_VERSION, MANIFEST_SCHEMA_ID } from '../bundle/version.ts';
import { detectTextFormat, type TextFormat } from './detect.ts';
import { FtraceParser, type FtraceResult } from './ftrace.ts';
import { KernelOracleParser, type KernelOracleResult } from './kernel-oracle.ts';
import { LineSplitter } from './lines.ts';
import { PerfSchedParser } from './perf-sched.ts';
import { PerfStatParser } from './perf-stat.ts';
import { PerfSpectSummaryParser } from './perfspect.ts';
import { PerfSpectSeriesParser, type PerfSpectSeriesMode, type PerfSpectSeriesResult } from './perfspect-series.ts';
import type { ParseProblem } from './problems.ts';
import { PsiSnapshotParser } from './psi.ts';
import { StraceParser, type StraceResult } from './strace.ts';
import { SystraceParser } from './systrace.ts';
import { chainBreakNote, switchChainBreaks } from './switch-chain.ts';
import { ImportError, MIN_KEPT_SHARE, noRowsError, tooManyBadLinesError } from './errors.ts';
import { openTextInput, SAMPLE_BYTES } from './text-input.ts';

/** Text formats recognised by content, plus sources that are queried rather than read (Prometheus). */
export type CaptureFormat = TextFormat | 'prometheus';

export interface CaptureReport {
  readonly file: string;
  readonly format: CaptureFormat;
  readonly lines: number;
  readonly rows: number;
  readonly problemCount: number;
  readonly problems: readonly ParseProblem[];
  readonly notes: readonly string[];
}

export interface ImportOptions {
  readonly format?: TextFormat;
  readonly producer?: { name: string; version: string };
  readonly onProgress?: (bytesRead: number, totalBytes: number | null) => void;
  readonly signal?: AbortSignal;
  readonly chunkBytes?: number;
  /** KernelOracle CSV: which trace_id to import when the file holds several (default: the first). */
  readonly trace?: string;
}

/** A KernelOracle CSV asked for a trace_id it does not hold. */
export class UnknownTraceError extends Error {
  constructor(
    readonly file: string,
    readonly trace: string,
    readonly traces: readonly string[],
  ) {
    super(`${file}: no trace_id "${trace}" in this file; it holds ${traces.length ? traces.map((t) => `"${t}"`).join(', ') : 'no rows'}.`);
    this.name = 'UnknownTraceError';
  }
}

export class UnknownFormatError extends ImportError {
  constructor(
    file: string,
    readonly scores: Record<TextFormat, number>,
    /** The first lines of the file that are not blank or comments, to show what it does look like. */
    readonly firstLines: readonly string[] = [],
  ) {
    const shown = firstLines.slice(0, 2).map((l) => JSON.stringify(l.length > 100 ? l.slice(0, 100) + '…' : l));
    super(
      'unknown-format',
      file,
      `${file}: not a format Telemetry Lab can import.${shown.length ? ` It starts with ${shown.join(', then ')}.` : ''} Tried ${Object.entries(scores)
        .map(([f, v]) => `${f} (${Math.round(v * 100)}% of the first lines matched)`)
        .join(', ')}; a format needs 50%. A bundle (.tlab) is a zip.`,
    );
    this.name = 'UnknownFormatError';
  }
}

export interface Parsed {
  table: Table;
  tableName: TableName;
  source: SourceName;
  lines: number;
  problems: ParseProblem[];
  problemCount: number;
  notes: string[];
  clock: Manifest['clock'];
  settings: Record<string, unknown>;
}

type LineParser = { pushLine(line: string): void; finish(): Parsed };

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
      ...(r.midnightRollovers ? [`The times of day pass midnight ${r.midnightRollovers === 1 ? 'once' : `${r.midnightRollovers} times`}: a day was added at each.`] : []),
    ],
    clock: clockFrom(epoch),
    settings: { importedFrom: file, format: 'strace', timestamps: r.timestampStyle, durations: r.hasDurations },
  };
}

interface CommonResult {
  table: Table;
  lines: number;
  problems: ParseProblem[];
  problemCount: number;
}

/** Wraps a format's parser: the common result fields pass through, `meta` says what they mean for the bundle. */
function lineParser<R extends CommonResult>(p: { pushLine(line: string): void; finish(): R }, meta: (r: R) => Omit<Parsed, keyof CommonResult>): LineParser {
  return {
    pushLine: (l) => p.pushLine(l),
    finish: () => {
      const r = p.finish();
      return { table: r.table, lines: r.lines, problems: r.problems, problemCount: r.problemCount, ...meta(r) };
    },
  };
}

/** A clock whose origin is known as wall-clock time when the capture had epoch timestamps. */
function clockFrom(epoch: { sec: number; nsec: number } | null | false, otherwise: Manifest['clock']['domain'] = 'unknown'): Manifest['clock'] {
  return epoch
    ? { domain: 'realtime', unit: 'ns', originUnixNs: (BigInt(epoch.sec) * 1_000_000_000n + BigInt(epoch.nsec)).toString() }
    : { domain: otherwise, unit: 'ns', originUnixNs: null };
}

const skippedNote = (skipped: Record<string, number>) => {
  const e = Object.entries(skipped);
  return e.length ? [`Other events skipped: ${e.map(([n, c]) => `${n} ×${c}`).join(', ')}.`] : [];
};

/** ftrace text read from a trace file or from inside a systrace page: the same table, notes and settings. */
function ftraceMeta(file: string, r: FtraceResult, extra: { notes?: string[]; settings?: Record<string, unknown> } = {}): Omit<Parsed, keyof CommonResult> {
  const breaks = switchChainBreaks(r.table);
  const breakNote = chainBreakNote(breaks);
  return {
    tableName: 'sched',
    source: 'sched',
    notes: [
      ...(r.lostEvents ? [`The trace reports ${r.lostEvents} lost events (ring buffer overruns).`] : []),
      ...(r.orderNote ? [r.orderNote] : []),
      ...(breakNote ? [breakNote] : []),
      ...skippedNote(r.skippedEvents),
      ...(extra.notes ?? []),
    ],
    clock: clockFrom(null, 'trace'),
    settings: { importedFrom: file, format: r.format, lostEvents: r.lostEvents, switchChainBreaks: breaks.total, outOfOrder: r.outOfOrder, ...extra.settings },
  };
}

function kernelOracleMeta(file: string, r: KernelOracleResult, asked: string | undefined): Omit<Parsed, keyof CommonResult> {
  if (asked !== undefined && r.imported === null) throw new UnknownTraceError(file, asked, r.traces.map((t) => t.id));
  const others = r.traces.filter((t) => t.id !== r.imported);
  const workload = r.traces.find((t) => t.id === r.imported)?.workload ?? null;
  return {
    tableName: 'sched',
    source: 'sched',
    notes: [
      'KernelOracle CSV: sched_switch rows only (no wakeups, migrations, forks or exits), without priorities or the outgoing pid.',
      ...(r.prevPidUnknown ? [`${r.prevPidUnknown} switches have no prev_pid: the first on each CPU, or where the previous switch on that CPU did not bring in prev_comm.`] : []),
      ...(others.length
        ? [`The file holds ${r.traces.length} traces; this bundle is "${r.imported}". Not imported: ${others.map((t) => `"${t.id}" (${t.rows} rows)`).join(', ')}. Import one with tlab import --trace ID, or all with --each-trace.`]
        : []),
      ...(r.missingColumns.length ? [`Columns not in the file: ${r.missingColumns.join(', ')}.`] : []),
    ],
    clock: clockFrom(null, 'trace'),
    settings: { importedFrom: file, format: 'KernelOracle CSV', trace: r.imported, workload, traces: r.traces },
  };
}

const SERIES_MODE: Record<PerfSpectSeriesMode, string> = { system: 'system-wide', socket: 'per socket', cpu: 'per CPU', cgroup: 'per cgroup' };

function perfSpectSeriesMeta(file: string, r: PerfSpectSeriesResult): Omit<Parsed, keyof CommonResult> {
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

function parserFor(format: TextFormat, file: string, options: ImportOptions = {}): LineParser {
  switch (format) {
    case 'strace': {
      const p = new StraceParser();
      return { pushLine: (l) => p.pushLine(l), finish: () => straceParsed(p.finish(), file) };
    }
    case 'ftrace':
      return lineParser(new FtraceParser(), (r) => ftraceMeta(file, r));
    case 'systrace':
      return lineParser(new SystraceParser(), (r) =>
        ftraceMeta(file, r, {
          notes: r.otherBlocks ? [`${r.otherBlocks} trace-data blocks that are not ftrace text (a JSON trace) were skipped.`] : [],
          settings: { format: 'systrace HTML', wrapping: r.wrapping },
        }),
      );
    case 'kernel-oracle-csv':
      return lineParser(new KernelOracleParser({ trace: options.trace }), (r) => kernelOracleMeta(file, r, options.trace));
    case 'perf-stat':
      return lineParser(new PerfStatParser(), (r) => ({
        tableName: 'counters',
        source: 'perf',
        notes: r.notSupported.length ? [`Not supported on the recording machine: ${r.notSupported.join(', ')}.`] : [],
        clock: clockFrom(null),
        settings: { importedFrom: file, format: 'perf stat -x', events: r.events },
      }));
    case 'perf-sched':
      return lineParser(new PerfSchedParser(), (r) => ({
        tableName: 'sched',
        source: 'sched',
        notes: [...(r.orderNote ? [r.orderNote] : []), ...skippedNote(r.skippedEvents)],
        clock: clockFrom(null, 'trace'),
        settings: { importedFrom: file, format: 'perf sched script', outOfOrder: r.outOfOrder },
      }));
    case 'perfspect-summary':
      return lineParser(new PerfSpectSummaryParser(), (r) => ({
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
      }));
    case 'perfspect-series':
      return lineParser(new PerfSpectSeriesParser(), (r) => perfSpectSeriesMeta(file, r));
    case 'psi':
      return lineParser(new PsiSnapshotParser(), (r) => ({
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
      }));
  }
}

function lastTimeNs(table: Table, durationColumn?: string): number {
  const ts = numberColumn(table, 'ts_ns');
  const dur = durationColumn ? numberColumn(table, durationColumn) : null;
  let end = 0;
  for (let i = 0; i < ts.length; i++) {
    const e = ts[i]! + (dur && !Number.isNaN(dur[i]!) ? dur[i]! : 0);
    if (e > end) end = e;
  }
  return end;
}

function problemNote(p: Parsed): string[] {
  if (!p.problemCount) return [];
  const first = p.problems.slice(0, 3).map((x) => `line ${x.line}: ${x.reason}`);
  return [`${p.problemCount} of ${p.lines} lines could not be parsed and were skipped (${first.join('; ')}${p.problemCount > 3 ? '; …' : ''}).`];
}

/**
 * Turns one capture another tool wrote (strace log, ftrace text, perf stat CSV, perf sched script, PerfSpect
 * summary or metric time-series CSV, pressure snapshots) into a bundle in memory, with the format recognised by content. The same
 * code serves `tlab import` and files dropped into the app.
 */
export async function importCapture(file: string, source: ByteSource, options: ImportOptions = {}): Promise<{ bundle: Bundle; report: CaptureReport }> {
  const total = sizeOf(source);
  const input = await openTextInput(file, source, options.chunkBytes);
  const splitter = new LineSplitter();
  let parser: LineParser | null = null;
  let format: TextFormat | null = options.format ?? null;
  let head = '';
  const pending: string[] = [];
  const start = (text: string) => {
    const detection = detectTextFormat(text);
    format ??= detection.format;
    if (!format && !firstDataLines(pending).length) {
      const comments = pending.filter((l) => l.startsWith('#'));
      throw new ImportError(
        'no-rows',
        file,
        `${file} holds only ${comments.length} comment line${comments.length === 1 ? '' : 's'} (starting ${JSON.stringify(comments[0] ?? '')}) and no events or readings: there is nothing to import. Was the capture empty (for tracefs: were any events enabled)?`,
      );
    }
    if (!format) throw new UnknownFormatError(file, detection.scores, firstDataLines(pending));
    parser = parserFor(format, file, options);
    for (const l of pending) parser.pushLine(l);
    pending.length = 0;
    return parser;
  };
  for await (const chunk of input.chunks) {
    if (options.signal?.aborted) throw new DOMException('import cancelled', 'AbortError');
    const lines = splitter.push(chunk);
    if (!parser) {
      // Detection needs a few KiB; lines read meanwhile wait for the parser.
      pending.push(...lines);
      head += lines.join('\n') + '\n';
      if (!format && head.length < SAMPLE_BYTES) continue;
      start(head + '\n');
    } else {
      for (const l of lines) (parser as LineParser).pushLine(l);
    }
    options.onProgress?.(input.fileBytesRead(), total);
  }
  const rest = splitter.end();
  if (!parser) {
    pending.push(...rest);
    if (!pending.some((l) => l.trim() !== '')) {
      throw new ImportError('empty', file, `${file} holds no text but blank lines${input.compression ? ' (after gzip decompression)' : ''}: there is nothing to import.`);
    }
    start(pending.join('\n') + '\n\n');
  } else {
    for (const l of rest) (parser as LineParser).pushLine(l);
  }
  const parsed = (parser as unknown as LineParser).finish();
  if (input.compression) parsed.notes.unshift('The file was gzip-compressed; it was decompressed as it was read.');
  return bundleFromParsed(file, format!, parsed, options.producer);
}

function firstDataLines(lines: readonly string[]): string[] {
  return lines.filter((l) => l.trim() !== '' && !l.startsWith('#')).slice(0, 2);
}

/** A parsed capture as an in-memory bundle (manifest with unknown host, one source, one table) plus its report. */
export function bundleFromParsed(
  file: string,
  format: CaptureFormat,
  parsed: Parsed,
  producer?: { name: string; version: string },
): { bundle: Bundle; report: CaptureReport } {
  // Never wrong and quiet: no rows, or rows from under half the lines, is an error, not a bundle.
  if (parsed.table.numRows === 0) throw noRowsError(file, format, parsed.lines, parsed.problems, parsed.problemCount);
  if (parsed.problemCount > 0 && parsed.lines - parsed.problemCount < parsed.lines * MIN_KEPT_SHARE) {
    throw tooManyBadLinesError(file, format, parsed.lines, parsed.problems, parsed.problemCount);
  }
  const notes = [...problemNote(parsed), ...parsed.notes];
  const input: ManifestInput = {
    $schema: MANIFEST_SCHEMA_ID,
    formatVersion: FORMAT_VERSION,
    producer: producer ?? { name: 'tlab import', version: FORMAT_VERSION },
    createdAt: new Date().toISOString(),
    host: { hostname: null, kernel: null, arch: null, cpuCount: null, memoryBytes: null },
    clock: parsed.clock,
    workload: {
      label: file,
      description: `Imported from ${file} (${format})`,
      command: null,
      startNs: 0,
      endNs: Math.round(lastTimeNs(parsed.table, parsed.tableName === 'syscalls' ? 'duration_ns' : undefined)),
      exit: null,
      group: { kind: 'none', path: null, note: 'imported: the file does not say which processes formed the workload' },
    },
    sources: {
      [parsed.source]: {
        status: 'ok',
        settings: parsed.settings,
        tables: [parsed.tableName],
        ...(notes.length ? { notes } : {}),
      },
    },
    tables: { [parsed.tableName]: { path: `tables/${parsed.tableName}.arrow`, rows: parsed.table.numRows } },
    raw: [],
  };
  const manifest = Manifest.parse(input);
  return {
    bundle: { manifest, tables: { [parsed.tableName]: parsed.table }, raw: new Map(), entries: [], warnings: notes },
    report: {
      file,
      format,
      lines: parsed.lines,
      rows: parsed.table.numRows,
      problemCount: parsed.problemCount,
      problems: parsed.problems,
      notes,
    },
  };
}
