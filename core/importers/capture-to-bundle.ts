import type { Table } from 'apache-arrow';
import { Manifest, type ManifestInput } from '../bundle/manifest.ts';
import type { Bundle } from '../bundle/reader.ts';
import { sizeOf, type ByteSource } from '../bundle/source.ts';
import type { TableName } from '../bundle/tables.ts';
import { FORMAT_VERSION, MANIFEST_SCHEMA_ID } from '../bundle/version.ts';
import type { LineParser, Parsed, ParserOptions } from './importer.ts';
import { ByteLineSplitter, decodeLine, MAX_LINE_BYTES } from './byte-lines.ts';
import { ProblemLog, type ParseProblem } from './problems.ts';
import { detectTextFormat, importerFor, type BinaryFormat, type TextFormat } from './registry.ts';
import { ImportError, MIN_KEPT_SHARE, noRowsError, tooManyBadLinesError } from './errors.ts';
import { openTextInput, SAMPLE_BYTES } from './text-input.ts';

// Moved beside their importers; re-exported for the callers that knew them here.
export { straceParsed } from './strace.ts';
export { UnknownTraceError } from './kernel-oracle.ts';
export type { Parsed } from './importer.ts';

/** Text and binary formats recognised by content, plus sources that are queried rather than read (Prometheus). */
export type CaptureFormat = TextFormat | BinaryFormat | 'prometheus';

export interface CaptureReport {
  readonly file: string;
  readonly format: CaptureFormat;
  readonly lines: number;
  readonly rows: number;
  readonly problemCount: number;
  readonly problems: readonly ParseProblem[];
  readonly notes: readonly string[];
}

export interface ImportOptions extends ParserOptions {
  /** Read as this format instead of recognising it by content. */
  readonly format?: TextFormat;
  readonly producer?: { name: string; version: string };
  readonly onProgress?: (bytesRead: number, totalBytes: number | null) => void;
  readonly signal?: AbortSignal;
  readonly chunkBytes?: number;
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

function lastTimeNs(table: Table, durationColumn?: string): number {
  // Read where the values lie, a record batch at a time: numberColumn would copy both columns to find one
  // maximum, and fresh memory is what a browser worker pays for page by page (about 15 ms of a 20 MiB strace import in Chromium).
  let end = 0;
  for (const batch of table.batches) {
    const tsData = batch.getChild('ts_ns')?.data[0];
    if (!tsData) continue;
    const durData = durationColumn ? batch.getChild(durationColumn)?.data[0] : undefined;
    const ts = numberAt(tsData);
    const dur = durData ? numberAt(durData) : null;
    for (let j = 0; j < tsData.length; j++) {
      const d = dur ? dur(j) : Number.NaN;
      const e = ts(j) + (Number.isNaN(d) ? 0 : d);
      if (e > end) end = e;
    }
  }
  return end;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Value j of one Arrow chunk as a number, NaN for null (as numberColumn reads it: int64 exact below 2^53). */
function numberAt(data: { values: unknown; nullCount: number; nullBitmap?: Uint8Array | null; offset: number }): (j: number) => number {
  const bits = data.nullCount > 0 && data.nullBitmap && data.nullBitmap.length > 0 ? data.nullBitmap : null;
  // A chunk's values start at its first value (Arrow slices them), its bitmap does not.
  const offset = data.offset;
  const isNull = (j: number) => bits !== null && ((bits[(offset + j) >> 3]! >> ((offset + j) & 7)) & 1) === 0;
  const values = data.values as ArrayLike<number | bigint>;
  if (values instanceof BigInt64Array && LITTLE_ENDIAN) {
    const halves = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
    return (j) => (isNull(j) ? Number.NaN : halves[2 * j + 1]! * 4294967296 + (halves[2 * j]! >>> 0));
  }
  return (j) => (isNull(j) ? Number.NaN : Number(values[j]!));
}

/** Notes and settings describe the capture: a name or cell from a damaged file may be huge, the manifest stays small. */
const MAX_TEXT = 2048;
const clip = (s: string) => (s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) + '…' : s);
function clipStrings(v: unknown): unknown {
  if (typeof v === 'string') return clip(v);
  if (Array.isArray(v)) return v.map(clipStrings);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clipStrings(x)]));
  return v;
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
  let parser: LineParser | null = null;
  let format: TextFormat | null = options.format ?? null;
  let head = '';
  const pending: string[] = [];
  // Lines go to the parser as bytes when it reads bytes (strace), decoded otherwise; until the format is
  // known they are decoded and wait in `pending`. A line over MAX_LINE_BYTES is never held whole: it is a
  // bad line here, and the parser sees a blank line in its place so that its line numbers stay right.
  const chunkLines: string[] = [];
  const tooLong = new ProblemLog();
  let firstTooLong: { line: number; bytes: number; text: string } | null = null;
  let lineNo = 0;
  // Lines enough that detectTextFormat's result no longer depends on the lines after them (it reads the first 199).
  const DETECT_LINES = 200;
  const splitter = new ByteLineSplitter({
    line(buf, start, end) {
      lineNo++;
      if (parser) {
        if (parser.pushLineBytes) parser.pushLineBytes(buf, start, end);
        else parser.pushLine(decodeLine(buf, start, end));
        return;
      }
      chunkLines.push(decodeLine(buf, start, end));
      // A 4 MiB chunk holds tens of thousands of lines; decoding them all before detection made the first chunk
      // go the string way (a fifth of the bench input). Detection reads only the first DETECT_LINES lines, so
      // once it has them and names a format, the parser starts here, mid-chunk, with the same format the
      // chunk's end would have given. When it names none, the chunk's end decides as before (its error message
      // looks at more lines).
      if (pending.length + chunkLines.length === DETECT_LINES) {
        const text = head + chunkLines.join('\n') + '\n\n';
        const detection = detectTextFormat(text);
        if (format ?? detection.format) {
          pending.push(...chunkLines);
          chunkLines.length = 0;
          startParser(text, detection);
        }
      }
    },
    overlong(bytes, length) {
      lineNo++;
      const text = decodeLine(bytes, 0, bytes.length);
      firstTooLong ??= { line: lineNo, bytes: length, text };
      tooLong.add(lineNo, text, `a line of ${length.toLocaleString('en-US')} bytes, longer than any capture's lines (${MAX_LINE_BYTES.toLocaleString('en-US')}): it was skipped unread`);
      if (!parser) chunkLines.push('');
      else parser.pushLine('');
    },
  });
  const startParser = (text: string, detection = detectTextFormat(text)) => {
    format ??= detection.format;
    if (!format && tooLong.count) throw lineTooLongError(file, firstTooLong!, firstDataLines(pending).length > 0);
    if (!format && !firstDataLines(pending).length) {
      const comments = pending.filter((l) => l.startsWith('#'));
      throw new ImportError(
        'no-rows',
        file,
        `${file} holds only ${comments.length} comment line${comments.length === 1 ? '' : 's'} (starting ${JSON.stringify(comments[0] ?? '')}) and no events or readings: there is nothing to import. Was the capture empty (for tracefs: were any events enabled)?`,
      );
    }
    if (!format) throw new UnknownFormatError(file, detection.scores, firstDataLines(pending));
    parser = importerFor(format).parser(file, total === null ? options : { ...options, textBytes: total });
    for (const l of pending) parser.pushLine(l);
    pending.length = 0;
    return parser;
  };
  for await (const chunk of input.chunks) {
    if (options.signal?.aborted) throw new DOMException('import cancelled', 'AbortError');
    splitter.push(chunk);
    if (!parser) {
      // Detection needs a few KiB; lines read meanwhile wait for the parser.
      pending.push(...chunkLines);
      head += chunkLines.join('\n') + '\n';
      chunkLines.length = 0;
      if (!format && head.length < SAMPLE_BYTES) continue;
      startParser(head + '\n');
    }
    options.onProgress?.(input.fileBytesRead(), total);
  }
  splitter.end();
  if (!parser) {
    pending.push(...chunkLines);
    if (!pending.some((l) => l.trim() !== '') && tooLong.count) throw lineTooLongError(file, firstTooLong!, false);
    if (!pending.some((l) => l.trim() !== '')) {
      throw new ImportError('empty', file, `${file} holds no text but blank lines${input.compression ? ' (after gzip decompression)' : ''}: there is nothing to import.`);
    }
    startParser(pending.join('\n') + '\n\n');
  }
  const parsed = (parser as unknown as LineParser).finish();
  if (tooLong.count) {
    parsed.problemCount += tooLong.count;
    parsed.problems = [...parsed.problems, ...tooLong.list].sort((a, b) => a.line - b.line).slice(0, Math.max(parsed.problems.length, tooLong.list.length));
  }
  if (input.compression) parsed.notes.unshift('The file was gzip-compressed; it was decompressed as it was read.');
  return bundleFromParsed(file, format!, parsed, options.producer);
}

function lineTooLongError(file: string, first: { line: number; bytes: number; text: string }, otherLines: boolean): ImportError {
  return new ImportError(
    'line-too-long',
    file,
    `${file}: line ${first.line} is longer than any capture's lines (${first.bytes.toLocaleString('en-US')} bytes; it starts ${JSON.stringify(first.text.slice(0, 80))}), ${otherLines ? 'and the other lines are no format Telemetry Lab reads' : 'and no other line says what the file is'}. It is not a text capture, or it is damaged.`,
  );
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
  const notes = [...problemNote(parsed), ...parsed.notes].map(clip);
  parsed.settings = clipStrings(parsed.settings) as Record<string, unknown>;
  const all = [{ tableName: parsed.tableName, table: parsed.table, source: parsed.source }, ...(parsed.more ?? [])];
  // Each source lists its tables; the notes and settings are the file's, so they go with the first source.
  const sources: Record<string, { status: 'ok'; settings: Record<string, unknown>; tables: TableName[]; notes?: string[] }> = {};
  for (const t of all) {
    const s = (sources[t.source] ??= { status: 'ok', settings: parsed.settings, tables: [], ...(t === all[0] && notes.length ? { notes } : {}) });
    s.tables.push(t.tableName);
  }
  const endNs = Math.round(Math.max(...all.map((t) => lastTimeNs(t.table, t.tableName === 'syscalls' ? 'duration_ns' : undefined))));
  // Past 2^53 ns (104 days) times are no longer exact integers: only a damaged timestamp makes such a span.
  if (!Number.isSafeInteger(endNs)) {
    throw new ImportError('time-span', file, `${file}: read as ${format}, its rows span ${(endNs / 86400e9).toExponential(2)} days from the first: a timestamp is damaged (a digit changed or lost), and times that far apart cannot be kept exactly. Look for a line whose time does not fit its neighbours'.`);
  }
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
      endNs,
      exit: null,
      group: { kind: 'none', path: null, note: 'imported: the file does not say which processes formed the workload' },
    },
    sources,
    tables: Object.fromEntries(all.map((t) => [t.tableName, { path: `tables/${t.tableName}.arrow`, rows: t.table.numRows }])),
    raw: [],
  };
  const manifest = Manifest.parse(input);
  return {
    bundle: { manifest, tables: Object.fromEntries(all.map((t) => [t.tableName, t.table])), raw: new Map(), entries: [], warnings: notes },
    report: {
      file,
      format,
      lines: parsed.lines,
      rows: all.reduce((n, t) => n + t.table.numRows, 0),
      problemCount: parsed.problemCount,
      problems: parsed.problems,
      notes,
    },
  };
}
