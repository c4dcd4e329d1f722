import type { Table } from 'apache-arrow';
import type { Manifest, SourceName } from '../bundle/manifest.ts';
import type { TableName } from '../bundle/tables.ts';
import type { ParseProblem } from './problems.ts';

/**
 * What one importer module exports (registry.ts lists them): how its files are recognised, how they are
 * parsed, and what the result means for a bundle (table, source, clock, notes, settings). Adding a format
 * means adding one module with an `Importer`, its fixture and its test, and one line in registry.ts.
 */
export interface Importer<F extends string = string> {
  /** The name the CLI's --format, the reports and the bundle's description use. */
  readonly format: F;
  /** One line for `tlab import --help` and the app: which tool writes it, in which modes. */
  readonly title: string;
  readonly detector: Detector;
  /** A fresh parser for one file; it is fed lines (without their line end) and finished once. */
  readonly parser: (file: string, options: ParserOptions) => LineParser;
}

/**
 * How a format is recognised by content. The registry samples the first SAMPLE_BYTES of a file, keeps its
 * first 60 lines that are not blank or comments, and asks each detector for its confidence (0..1); the most
 * confident format at MIN_CONFIDENCE or above wins, earlier formats in the registry winning ties.
 */
export interface Detector {
  /** Line shapes of this format that other formats do not have. */
  readonly patterns: readonly RegExp[];
  /** Confidence that the sample is this format; default: the share of the sampled lines that match a pattern. */
  readonly confidence?: (lines: readonly string[], head: string) => number;
  /** Tried only when no other format reaches MIN_CONFIDENCE: a generic layout that specific formats also have. */
  readonly fallback?: boolean;
}

/** A format needs at least this confidence to be chosen. */
export const MIN_CONFIDENCE = 0.5;

/** A time-series CSV's layout, given by the user when auto-detection cannot tell (tlab import --time/--unit/--series). */
export interface CsvMapping {
  /** The time column's name. */
  readonly time?: string;
  /** What the time column counts: seconds, milliseconds, microseconds or nanoseconds (ISO dates need none). */
  readonly unit?: 's' | 'ms' | 'us' | 'ns';
  /** The value columns to import; default every numeric column but the time. */
  readonly series?: readonly string[];
  /**
   * A file with no time column whose rows are evenly spaced (as public cluster datasets are published: Alibaba
   * 2018 machine usage, Google 2019 instance usage): the seconds between rows. Row k is at k times this.
   */
  readonly rowIntervalS?: number;
}

/** Options a format's parser may take (each reads only its own). */
export interface ParserOptions {
  /** KernelOracle CSV: which trace_id to import when the file holds several (default: the first). */
  readonly trace?: string;
  /** Time-series CSV: the columns to read, when not auto-detected. */
  readonly csv?: CsvMapping;
  /** The file's size in bytes when known (before any decompression): parsers that keep rows in growing columns size them by it. */
  readonly textBytes?: number;
}

/** A finished parse, with what it means for the bundle. */
export interface Parsed {
  table: Table;
  tableName: TableName;
  /** A source the manifest lists; "csv" is a source only an import brings (the manifest accepts other names). */
  source: SourceName | 'csv';
  /** More tables from the same file, each with its source (a CSV's pressure columns beside its counters). */
  more?: { tableName: TableName; table: Table; source: SourceName | 'csv' }[];
  lines: number;
  problems: ParseProblem[];
  problemCount: number;
  notes: string[];
  clock: Manifest['clock'];
  settings: Record<string, unknown>;
}

export interface LineParser {
  pushLine(line: string): void;
  /** The same line as bytes, buf[start, end) (UTF-8, valid only during the call): parsers that can read bytes skip the string. */
  pushLineBytes?(buf: Uint8Array, start: number, end: number): void;
  finish(): Parsed;
}

interface CommonResult {
  table: Table;
  lines: number;
  problems: ParseProblem[];
  problemCount: number;
}

/** Wraps a format's parser: the common result fields pass through, `meta` says what they mean for the bundle. */
export function lineParser<R extends CommonResult>(p: { pushLine(line: string): void; finish(): R }, meta: (r: R) => Omit<Parsed, keyof CommonResult>): LineParser {
  return {
    pushLine: (l) => p.pushLine(l),
    finish: () => {
      const r = p.finish();
      return { table: r.table, lines: r.lines, problems: r.problems, problemCount: r.problemCount, ...meta(r) };
    },
  };
}

/** A clock whose origin is known as wall-clock time when the capture had epoch timestamps. */
export function clockFrom(epoch: { sec: number; nsec: number } | null | false, otherwise: Manifest['clock']['domain'] = 'unknown'): Manifest['clock'] {
  return epoch
    ? { domain: 'realtime', unit: 'ns', originUnixNs: (BigInt(epoch.sec) * 1_000_000_000n + BigInt(epoch.nsec)).toString() }
    : { domain: otherwise, unit: 'ns', originUnixNs: null };
}

/** "Other events skipped: a ×3, b ×1." when a parser skipped events of kinds it does not turn into rows. */
export function skippedNote(skipped: Record<string, number>): string[] {
  const e = Object.entries(skipped);
  return e.length ? [`Other events skipped: ${e.map(([n, c]) => `${n} ×${c}`).join(', ')}.`] : [];
}

/** Share of `lines` that match one of `patterns`: the default confidence. */
export function shareOf(lines: readonly string[], patterns: readonly RegExp[]): number {
  if (!lines.length) return 0;
  let n = 0;
  for (const l of lines) if (patterns.some((p) => p.test(l))) n++;
  return n / lines.length;
}
