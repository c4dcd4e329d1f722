import { Command } from 'commander';
import { createReadStream, readFileSync, openSync, readSync, closeSync } from 'node:fs';
import { basename } from 'node:path';
import { MANIFEST_SCHEMA_ID, describeBundleError, writeBundle, type Bundle, type RawCapture, type TableName } from '../../../core/bundle/index.ts';
import { parseLfsPointer } from '../../../core/bundle/sniff.ts';
import { type CaptureReport } from '../../../core/importers/capture-to-bundle.ts';
import { ImportError } from '../../../core/importers/errors.ts';
import { NoSystraceDataError } from '../../../core/importers/systrace.ts';
import { CAPTURE_FORMATS, detectCapture, isTextFormat, SAMPLE_BYTES, TEXT_FORMATS, type TextFormat } from '../../../core/importers/registry.ts';
import { openSource } from '../../../core/importers/open-source.ts';
import { CSV_TIME_UNITS, type CsvTimeUnit } from '../../../core/importers/csv-series.ts';
import type { CsvMapping } from '../../../core/importers/importer.ts';
import { importStraceFiles } from '../../../core/importers/strace-files.ts';
import { PrometheusError } from '../../../core/importers/prometheus.ts';
import { importPrometheus, parseTime } from './prometheus-import.ts';
import { producerVersion } from '../version.ts';
import { OutputError, checkOutputPath, writeFileSafely } from '../safe-output.ts';

function head(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(SAMPLE_BYTES);
    return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
  } finally {
    closeSync(fd);
  }
}

function fail(message: string): never {
  console.error(`tlab import: ${message}`);
  process.exit(2);
}

function describe(r: CaptureReport): string {
  // A binary trace.dat counts ring-buffer records where text formats count lines.
  const unit = r.format === 'trace-dat' ? 'records' : 'lines';
  const lines = [`${r.file}: ${r.format}, ${r.lines.toLocaleString('en-US')} ${unit} -> ${r.rows.toLocaleString('en-US')} rows`];
  if (r.problemCount) {
    lines.push(`  ${r.problemCount} line(s) could not be parsed:`);
    for (const p of r.problems.slice(0, 5)) lines.push(`    line ${p.line}: ${p.reason}: ${p.text}`);
  }
  for (const n of r.notes) if (!n.includes('could not be parsed')) lines.push(`  note: ${n}`);
  return lines.join('\n');
}

/** Several captures of different kinds (say an strace log and a trace) become one bundle with a table each. */
function combine(parts: { bundle: Bundle; report: CaptureReport }[], label: string | undefined): Bundle {
  const first = parts[0]!.bundle;
  const tables: Bundle['tables'] = {};
  const owner = new Map<TableName, string>();
  for (const { bundle, report } of parts) {
    for (const [name, table] of Object.entries(bundle.tables) as [TableName, NonNullable<Bundle['tables'][TableName]>][]) {
      const other = owner.get(name);
      if (other) fail(`${other} and ${report.file} both hold ${name} rows; import them one at a time (only strace -ff files are merged into one table)`);
      owner.set(name, report.file);
      tables[name] = table;
    }
  }
  const notes = parts.length > 1 ? ['Each file keeps its own time zero: times of different files are not aligned.'] : [];
  const manifest = {
    ...first.manifest,
    $schema: MANIFEST_SCHEMA_ID as typeof MANIFEST_SCHEMA_ID,
    producer: { name: 'tlab import', version: producerVersion() },
    workload: {
      ...first.manifest.workload,
      label: label ?? parts.map((p) => p.report.file).join(' + '),
      description: `Imported from ${parts.map((p) => `${p.report.file} (${p.report.format})`).join(', ')}`,
      endNs: Math.max(...parts.map((p) => p.bundle.manifest.workload.endNs)),
    },
    sources: Object.assign({}, ...parts.map((p) => p.bundle.manifest.sources)) as Bundle['manifest']['sources'],
    ...(notes.length ? { notes } : {}),
  };
  return { manifest, tables, raw: new Map(), entries: [], warnings: [] };
}

export function importCommand(): Command {
  return new Command('import')
    .description(`Convert captures other tools wrote into a bundle; formats are recognised by content (${CAPTURE_FORMATS.map((f) => f.format).join(', ')})`)
    .argument('[files...]', 'capture files (gzip-compressed ones too)')
    .option('--format <name>', `read the files as this format instead of recognising it: ${TEXT_FORMATS.map((f) => f.format).join(', ')}`)
    .option('--prometheus <url>', 'also (or instead) import range queries from this Prometheus server')
    .option('--query <promql>', 'a PromQL query for --prometheus (repeatable; NAME=EXPR names its series)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--start <time>', 'range start for --prometheus: now, -5m, Unix seconds or ISO date', '-5m')
    .option('--end <time>', 'range end for --prometheus', 'now')
    .option('--step <seconds>', 'resolution for --prometheus', '1')
    .requiredOption('-o, --output <file>', 'bundle to write (.tlab)')
    .option('--label <text>', 'short name of the workload')
    .option('--keep-raw', 'keep the original files in the bundle under raw/')
    .option('--trace <id>', 'KernelOracle CSV holding several traces: import this trace_id (default: the first)')
    .option('--each-trace', 'KernelOracle CSV holding several traces: write one bundle per trace_id, named OUTPUT-STEM.TRACE_ID.tlab')
    .option('--time <column>', 'time-series CSV: the time column (numbers or ISO dates; default: recognised)')
    .option('--unit <unit>', 'time-series CSV: what the time column counts: s, ms, us or ns (default: from its name or size)')
    .option('--series <columns...>', 'time-series CSV: the value columns to import (default: every numeric column)')
    .option('--interval <seconds>', 'time-series CSV with no time column: the seconds between rows (row k is at k times this)')
    .option('--json', 'print the import report as one JSON object')
    .addHelpText('after', `\nFormats (recognised by content; text ones also named with --format):\n${CAPTURE_FORMATS.map((f) => `  ${f.format.padEnd(20)} ${f.title}`).join('\n')}\n  ${'prometheus'.padEnd(20)} range queries of a Prometheus server (--prometheus URL --query PROMQL)\n`)
    .action(async (files: string[], flags: { output: string; label?: string; keepRaw?: boolean; json?: boolean; prometheus?: string; query: string[]; start: string; end: string; step: string; trace?: string; eachTrace?: boolean; format?: string; time?: string; unit?: string; series?: string[]; interval?: string }) => {
      if (flags.format !== undefined && !isTextFormat(flags.format)) fail(`--format ${flags.format} is not a format tlab imports; it reads ${TEXT_FORMATS.map((f) => f.format).join(', ')}`);
      if (flags.unit !== undefined && !(CSV_TIME_UNITS as readonly string[]).includes(flags.unit)) fail(`--unit ${flags.unit}: the time unit is one of ${CSV_TIME_UNITS.join(', ')}`);
      const interval = flags.interval === undefined ? undefined : Number(flags.interval);
      if (interval !== undefined && !(interval > 0 && Number.isFinite(interval))) fail(`--interval ${flags.interval}: the seconds between rows must be a positive number`);
      const csv: CsvMapping | undefined =
        flags.time !== undefined || flags.unit !== undefined || flags.series !== undefined || interval !== undefined
          ? {
              ...(flags.time !== undefined ? { time: flags.time } : {}),
              ...(flags.unit !== undefined ? { unit: flags.unit as CsvTimeUnit } : {}),
              ...(flags.series ? { series: flags.series.flatMap((x) => x.split(',')).filter((x) => x !== '') } : {}),
              ...(interval !== undefined ? { rowIntervalS: interval } : {}),
            }
          : undefined;
      if (csv && flags.format !== undefined && flags.format !== 'csv') fail(`--time, --unit, --series and --interval are for --format csv, not ${flags.format}`);
      // A mapping says what the file is: a time-series CSV, whatever else its rows could look like.
      const format = (flags.format ?? (csv ? 'csv' : undefined)) as TextFormat | undefined;
      if (flags.eachTrace && (flags.trace || files.length !== 1 || flags.prometheus)) fail('--each-trace takes one KernelOracle CSV file, without --trace or --prometheus');
      const parts: { bundle: Bundle; report: CaptureReport }[] = [];
      const producer = { name: 'tlab import', version: producerVersion() };
      if (!files.length && !flags.prometheus) fail('name capture files, or a --prometheus server with --query');
      if (!flags.eachTrace) checkOutput(flags.output);
      if (flags.prometheus) {
        if (!flags.query.length) fail('--prometheus needs at least one --query');
        try {
          const now = Date.now() / 1000;
          const range = { startS: parseTime(flags.start, now), endS: parseTime(flags.end, now), stepS: Number(flags.step) };
          if (!(range.stepS > 0) || !(range.endS > range.startS)) fail('--step must be > 0 and --end after --start');
          const queries = flags.query.map((q) => {
            const named = /^([A-Za-z_][\w.-]*)=(.+)$/.exec(q);
            return named && !named[2]!.startsWith('=') ? { name: named[1]!, expr: named[2]! } : { expr: q };
          });
          parts.push(await importPrometheus(flags.prometheus, queries, range, producer));
        } catch (e) {
          if (e instanceof PrometheusError) fail(e.message);
          throw e;
        }
      }
      // Several strace files are one capture written per task (strace -ff): merged into one table.
      const straceFiles = files.filter((f) => {
        const start = (() => {
          try {
            return head(f);
          } catch {
            return new Uint8Array(0);
          }
        })();
        return (format ?? detectCapture(start)) === 'strace';
      });
      if (straceFiles.length > 1) {
        try {
          parts.push(await importStraceFiles(straceFiles.map((f) => ({ name: basename(f), source: createReadStream(f) as AsyncIterable<Uint8Array> })), producer));
        } catch (e) {
          if (e instanceof ImportError) fail(e.message);
          throw e;
        }
      }
      for (const path of files) {
        if (straceFiles.length > 1 && straceFiles.includes(path)) continue;
        let start: Uint8Array;
        try {
          start = head(path);
        } catch (e) {
          fail(`cannot read ${path}: ${(e as Error).message}`);
        }
        const lfs = parseLfsPointer(start);
        if (lfs) fail(`${path} is a Git LFS pointer (object ${lfs.oid ?? '?'}, ${lfs.size ?? '?'} bytes), not the capture: run "git lfs pull" first`);
        parts.push(await importFile(path, { producer, trace: flags.trace, ...(format ? { format } : {}), ...(csv ? { csv } : {}) }));
      }
      if (flags.eachTrace) return writeEachTrace(files[0]!, parts[0]!, flags, producer);
      const bundle = combine(parts, flags.label);
      const raw: RawCapture[] = flags.keepRaw
        ? files.map((f) => ({ name: basename(f), source: straceFiles.includes(f) ? 'strace' : (Object.keys(parts.find((p) => p.report.file === basename(f))?.bundle.manifest.sources ?? {})[0] ?? 'import'), description: 'original capture, unchanged', data: new Uint8Array(readFileSync(f)) }))
        : [];
      const written = await writeOut(bundle, raw, flags.output);
      if (flags.json) console.log(JSON.stringify({ output: flags.output, bytes: written, files: parts.map((p) => p.report) }));
      else {
        for (const p of parts) console.log(describe(p.report));
        console.log(`wrote ${flags.output} (${written.toLocaleString('en-US')} bytes)`);
      }
    });
}

async function importFile(path: string, options: { producer: { name: string; version: string }; trace?: string; format?: TextFormat; csv?: CsvMapping }) {
  const opened = await openSource(basename(path), createReadStream(path) as AsyncIterable<Uint8Array>, options);
  if (opened.ok && opened.imported) return { bundle: opened.bundle, report: opened.imported };
  if (opened.ok) fail(`${path} is already a bundle; open it with "tlab inspect" or the app`);
  const e = opened.error;
  fail(e.from === 'bundle' ? `${path}: ${describeBundleError(e.error).title}. ${describeBundleError(e.error).detail}` : e.error instanceof NoSystraceDataError ? `${path}: ${e.error.message}` : e.error.message);
}

function checkOutput(output: string): void {
  try {
    checkOutputPath(output);
  } catch (e) {
    if (e instanceof OutputError) fail(e.message);
    throw e;
  }
}

/** Written to a private temporary file and renamed (safe-output.ts), so an interrupted import never leaves half a bundle. */
async function writeOut(bundle: Bundle, raw: RawCapture[], output: string): Promise<number> {
  const bytes = writeBundle({ manifest: bundle.manifest, tables: bundle.tables, raw });
  try {
    await writeFileSafely(output, bytes);
  } catch (e) {
    if (e instanceof OutputError) fail(e.message);
    throw e;
  }
  return bytes.byteLength;
}

/** One bundle per trace of a KernelOracle CSV: each trace is its own recording, on its own clock. */
async function writeEachTrace(
  path: string,
  first: { bundle: Bundle; report: CaptureReport },
  flags: { output: string; label?: string; json?: boolean },
  producer: { name: string; version: string },
): Promise<void> {
  if (first.report.format !== 'kernel-oracle-csv') fail(`--each-trace is for KernelOracle CSV; ${path} is ${first.report.format}`);
  const traces = (first.bundle.manifest.sources.sched?.settings as { traces: { id: string }[] }).traces;
  const stem = flags.output.replace(/\.tlab$/, '');
  const outputs: { output: string; bytes: number; report: CaptureReport }[] = [];
  for (const { id } of traces) {
    // The first import already holds the first trace; each other one takes a pass over the file.
    const part = id === (first.bundle.manifest.sources.sched?.settings as { trace: string }).trace ? first : await importFile(path, { producer, trace: id });
    const output = `${stem}.${id.replace(/[^\w.-]/g, '_')}.tlab`;
    checkOutput(output);
    outputs.push({ output, bytes: await writeOut(combine([part], flags.label ?? id), [], output), report: part.report });
  }
  if (flags.json) console.log(JSON.stringify({ outputs }));
  else for (const o of outputs) console.log(`${describe(o.report)}\nwrote ${o.output} (${o.bytes.toLocaleString('en-US')} bytes)`);
}
