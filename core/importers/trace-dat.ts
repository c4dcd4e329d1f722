import { decodeRawCapture, FormatParseError, RawCaptureError } from '../ftrace-binary/index.ts';
import { TraceDatError } from '../ftrace-binary/byte-cursor.ts';
import { isTraceDat, parseTraceDat, type TraceDat } from '../ftrace-binary/trace-dat.ts';
import { SCHED_EVENTS } from './ftrace-events.ts';
import { ImportError } from './errors.ts';
import { clockFrom, skippedNote, type Parsed } from './importer.ts';
import { chainBreakNote, switchChainBreaks } from './switch-chain.ts';

/**
 * trace-cmd's binary trace.dat (versions 6 and 7, zstd/zlib or uncompressed), recognised by its magic bytes:
 * every instance's ring-buffer pages are decoded with the file's own event formats (core/ftrace-binary) into
 * the sched table. Binary, so it is read whole rather than line by line; registry.ts lists it beside the text
 * importers.
 */
export const traceDatImporter = {
  format: 'trace-dat',
  title: "trace-cmd's binary trace.dat (file versions 6 and 7, compressed or not)",
  detect: isTraceDat,
  parse: traceDatParsed,
} as const;

/** The selected clock of a trace_clock file's text ("[local] global counter ..."), or the text when there is no choice in it. */
function selectedClock(text: string | null): string | null {
  if (!text) return null;
  return /\[([^\]]+)\]/.exec(text)?.[1] ?? (text.trim() || null);
}

export function traceDatParsed(file: string, bytes: Uint8Array): Parsed {
  let dat: TraceDat;
  try {
    dat = parseTraceDat(bytes);
    const buffers = dat.buffers.filter((b) => b.cpus.some((c) => c.pages.byteLength > 0));
    // All instances together, as trace-cmd report merges them: their CPUs are decoded side by side.
    const r = decodeRawCapture({
      headerPage: dat.headerPage,
      formats: dat.formats,
      cpus: buffers.flatMap((b) => b.cpus),
      pageSize: dat.pageSize,
      littleEndian: dat.littleEndian,
      longSize: dat.longSize,
      origin: 'first-sched-row',
    });
    const records = Object.values(r.eventsByName).reduce((a, b) => a + b, 0);
    const lost = r.lostByCpu.reduce((a, b) => a + b, 0);
    const uncounted = r.lostUncountedByCpu.reduce((a, b) => a + b, 0);
    const skipped = Object.fromEntries(Object.entries(r.eventsByName).filter(([name]) => !SCHED_EVENTS.has(name)));
    const breaks = switchChainBreaks(r.table);
    const breakNote = chainBreakNote(breaks);
    const clock = selectedClock(buffers[0]?.clock ?? dat.options.traceClock);
    return {
      table: r.table,
      tableName: 'sched',
      source: 'sched',
      lines: records,
      problems: [],
      problemCount: 0,
      notes: [
        `Read from trace-cmd's binary file (version ${dat.version}${dat.compression ? `, ${dat.compression}-compressed` : ''}): ${records.toLocaleString('en-US')} ring-buffer records of ${buffers.length === 1 && buffers[0]!.name === '' ? 'the top instance' : `instance${buffers.length === 1 ? '' : 's'} ${buffers.map((b) => JSON.stringify(b.name)).join(', ')}`}.`,
        ...(lost ? [`The ring buffer lost ${lost.toLocaleString('en-US')} events (counts stored in the page headers).`] : []),
        ...(uncounted ? [`${uncounted} pages say events were lost before them without saying how many: the trace has gaps of unknown size.`] : []),
        ...r.problems.map((p) => `Damaged data: ${p}.`),
        ...(breakNote ? [breakNote] : []),
        ...skippedNote(skipped),
        ...(clock && clock !== 'local' ? [`The trace clock is "${clock}".`] : []),
      ],
      clock: clockFrom(null, 'trace'),
      settings: {
        importedFrom: file,
        format: 'trace-cmd-dat',
        fileVersion: dat.version,
        compression: dat.compression,
        traceClock: clock,
        instances: buffers.map((b) => b.name),
        cpuCount: dat.options.cpuCount,
        lostEvents: lost,
        lostUncountedPages: uncounted,
        damage: r.problems.length,
        switchChainBreaks: breaks.total,
        ...(r.origin !== null ? { originTraceClockNs: r.origin.toString() } : {}),
        ...(dat.options.offsetNs ? { timeOffsetNs: dat.options.offsetNs.toString() } : {}),
        ...(dat.options.date ? { date: dat.options.date } : {}),
        ...(dat.options.uname ? { uname: dat.options.uname } : {}),
        ...(dat.options.tracerVersion ? { traceCmdVersion: dat.options.tracerVersion } : {}),
      },
    };
  } catch (e) {
    if (e instanceof TraceDatError || e instanceof FormatParseError || e instanceof RawCaptureError) {
      const where = e instanceof TraceDatError ? ` (at byte ${e.offset})` : '';
      throw new ImportError('trace-cmd-dat', file, `${file} is a trace-cmd recording (trace.dat) that Telemetry Lab cannot read${where}: ${e.message}. "trace-cmd report -i ${file} > ${file}.txt" gives text it can import.`);
    }
    throw e;
  }
}
