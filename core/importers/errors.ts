import type { BundleError } from '../bundle/errors.ts';
import type { ParseProblem } from './problems.ts';

/**
 * Why a file could not be imported, as data: `kind` says which case, `message` says it in words (what the
 * file is, where it went wrong, and what to do). Every refusal of the import path is one of these.
 */
export type ImportErrorKind =
  | 'empty'
  | 'utf16'
  | 'binary'
  | 'trace-cmd-dat'
  | 'perf-data'
  | 'zstd'
  | 'gzip-corrupt'
  | 'zip-not-a-bundle'
  | 'unknown-format'
  | 'no-rows'
  | 'too-many-bad-lines'
  | 'csv-layout'
  | 'time-span'
  /** A line longer than any capture's (MAX_LINE_BYTES), and nothing else to recognise the file by. */
  | 'line-too-long';

export class ImportError extends Error {
  constructor(
    readonly kind: ImportErrorKind,
    readonly file: string,
    message: string,
    /** When the refusal comes from the bundle reader (a zip that is not a bundle): its typed error, for views that speak bundle errors. */
    readonly bundleError?: BundleError,
  ) {
    super(message);
    this.name = 'ImportError';
  }
}

/** At least this share of a capture's lines must give rows or be known non-data lines (headers, comments). */
export const MIN_KEPT_SHARE = 0.5;

const firstLines = (problems: readonly ParseProblem[], n = 3) =>
  problems
    .slice(0, n)
    .map((p) => `line ${p.line}: ${p.reason}: ${JSON.stringify(p.text.length > 80 ? p.text.slice(0, 80) + '…' : p.text)}`)
    .join('; ');

/** Zero rows: an empty bundle would look like a capture where nothing happened. */
export function noRowsError(file: string, format: string, lines: number, problems: readonly ParseProblem[], problemCount: number): ImportError {
  const why = problemCount ? ` ${problemCount} of them could not be read (${firstLines(problems)}).` : ' None of them holds an event or reading this format turns into a row (only headers, comments or events of other kinds).';
  return new ImportError('no-rows', file, `${file}: read ${lines.toLocaleString('en-US')} lines as ${format} but got no rows.${why} Nothing was imported.`);
}

/** Fewer than MIN_KEPT_SHARE of the lines could be read: the rows that were would not be the capture. */
export function tooManyBadLinesError(file: string, format: string, lines: number, problems: readonly ParseProblem[], problemCount: number): ImportError {
  const kept = lines - problemCount;
  return new ImportError(
    'too-many-bad-lines',
    file,
    `${file}: only ${kept.toLocaleString('en-US')} of ${lines.toLocaleString('en-US')} lines (${Math.floor((kept / Math.max(1, lines)) * 100)}%) could be read as ${format}; an import needs at least ${MIN_KEPT_SHARE * 100}%, or its rows would not be the capture. First bad lines: ${firstLines(problems)}. Is it another format, or damaged?`,
  );
}
