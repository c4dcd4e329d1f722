import type { Table } from 'apache-arrow';
import { EventDecoder, typeReader, type FieldValue } from './decode-events.ts';
import { parseEventFormat, parseHeaderPage, type EventFormat } from './format-file.ts';
import { collectRecords, mergeByTime, setRelativeTimes, type CpuRecords } from './records.ts';
import { SchedRows } from './to-tables.ts';

export interface RawCaptureInput {
  /** The text of events/header_page. */
  readonly headerPage: string;
  /** Event format file texts (events/<sys>/<name>/format), or { system, text } when the subsystem is known. */
  readonly formats: readonly (string | { readonly system: string; readonly text: string })[];
  /** Each CPU's pages as read from per_cpu/cpuN/trace_pipe_raw (or a trace.dat's CPU data): whole pages, concatenated. */
  readonly cpus: readonly { readonly cpu: number; readonly pages: Uint8Array }[];
  /** The ring buffer's page (sub-buffer) size in bytes: getconf PAGESIZE, or buffer_subbuf_size_kb * 1024 where set. */
  readonly pageSize: number;
  readonly littleEndian: boolean;
  /** The recording machine's long size; the page layout itself comes from headerPage (its commit field's size). */
  readonly longSize: 4 | 8;
  /**
   * Time 0 of the table's ts_ns, ns in the trace clock; default the earliest record. 'first-sched-row' makes it
   * the earliest row of the sched table, as the ftrace text importer does (so a trace.dat and its report agree).
   */
  readonly origin?: bigint | 'first-sched-row';
  /** Every decoded record, sched or not, for callers that want more than the sched table (fields decoded only when given). */
  readonly onEvent?: (e: { cpu: number; ts: bigint; format: EventFormat; fields: Map<string, FieldValue> }) => void;
}

export interface RawCaptureResult {
  /** The bundle's sched table (ts_ns relative to `origin`), rows in time order. */
  readonly table: Table;
  /** Records per event name, all of them (sched or not); records of ids with no format are under "#<id>". */
  readonly eventsByName: Record<string, number>;
  /** Events the kernel lost, per CPU index, from the page headers' stored counts. */
  readonly lostByCpu: number[];
  /** Per CPU: pages flagged as following lost events whose count the kernel did not store (the count is unknown). */
  readonly lostUncountedByCpu: number[];
  readonly recordsByCpu: number[];
  readonly pagesByCpu: number[];
  /** ns in the trace clock of ts_ns 0, and of the first and last record; null without records. */
  readonly origin: bigint | null;
  readonly firstTs: bigint | null;
  readonly lastTs: bigint | null;
  /** Damage and doubts, each saying where; empty when the whole capture decoded cleanly. */
  readonly problems: string[];
}

export class RawCaptureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RawCaptureError';
  }
}

/** Decodes raw ring-buffer pages with their format files into the sched table and counts. See index.ts. */
export function decodeRawCapture(input: RawCaptureInput): RawCaptureResult {
  const problems: string[] = [];
  const header = parseHeaderPage(input.headerPage);
  if (header.commitSize !== input.longSize) {
    problems.push(`header_page's commit field is ${header.commitSize} bytes but longSize is ${input.longSize}: the page layout follows header_page`);
  }
  if (!Number.isInteger(input.pageSize) || input.pageSize <= header.dataOffset) throw new RawCaptureError(`page size ${input.pageSize} is no ring-buffer page size (the header alone takes ${header.dataOffset} bytes)`);
  const decoders = new Map<number, EventDecoder>();
  for (const f of input.formats) {
    const format = typeof f === 'string' ? parseEventFormat(f) : parseEventFormat(f.text, f.system);
    decoders.set(format.id, new EventDecoder(format, input.littleEndian));
  }
  const layout = { header, pageSize: input.pageSize, littleEndian: input.littleEndian };
  const cpus: CpuRecords[] = input.cpus.map((c) => collectRecords(c.cpu, c.pages, layout));
  const size = Math.max(0, ...input.cpus.map((c) => c.cpu + 1));
  const perCpu = (f: (c: CpuRecords) => number) => {
    const out = new Array<number>(size).fill(0);
    for (const c of cpus) out[c.cpu]! += f(c);
    return out;
  };
  for (const c of cpus) {
    for (const p of c.report.problems) problems.push(`cpu ${c.cpu}: ${p}`);
    if (c.backwards) problems.push(`cpu ${c.cpu}: ${c.backwards} records are earlier than the record before them (damaged pages?)`);
  }
  let first: bigint | null = null;
  let last: bigint | null = null;
  for (const c of cpus) {
    if (c.report.firstTs !== null && (first === null || c.report.firstTs < first)) first = c.report.firstTs;
    if (c.report.lastTs !== null && (last === null || c.report.lastTs > last)) last = c.report.lastTs;
  }
  if (first !== null && last! - first > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RawCaptureError(`the records span ${last! - first} ns (over 104 days) from the first: a page time stamp is damaged`);
  }
  const base = first ?? 0n;
  setRelativeTimes(cpus, base);
  let origin = input.origin === 'first-sched-row' ? null : (input.origin ?? first);
  // ts_ns = rel - originRel; an explicit origin may lie anywhere, so it is subtracted as a bigint once.
  let originRel = origin === null ? null : Number(origin - base);
  const eventsByName: Record<string, number> = {};
  const sched = new SchedRows();
  const anyFormat = decoders.values().next().value;
  if (!anyFormat && cpus.some((c) => c.count)) throw new RawCaptureError('records but no event format files: nothing says what the records are');
  const typeOf = anyFormat ? typeReader(anyFormat.format, input.littleEndian) : () => null;
  let unknown = 0;
  mergeByTime(cpus, (c, i) => {
    const start = c.offset[i]!;
    const length = c.length[i]!;
    const id = typeOf(c.view, start, length);
    const decoder = id === null ? undefined : decoders.get(id);
    if (!decoder) {
      const key = `#${id ?? '?'}`;
      eventsByName[key] = (eventsByName[key] ?? 0) + 1;
      unknown++;
      return;
    }
    const name = decoder.format.name;
    eventsByName[name] = (eventsByName[name] ?? 0) + 1;
    const isSched = sched.isSched(decoder.format);
    if (!isSched && !input.onEvent) return;
    const fields = decoder.decode(c.view, c.pages, start, length);
    if (input.onEvent) input.onEvent({ cpu: c.cpu, ts: c.ts[i]!, format: decoder.format, fields: new Map(fields) });
    if (isSched) {
      // Records come in time order, so the first sched record is the earliest one.
      if (originRel === null) {
        origin = c.ts[i]!;
        originRel = c.rel[i]!;
      }
      sched.push(c.rel[i]! - originRel, c.cpu, decoder, fields);
    }
  });
  if (unknown) problems.push(`${unknown} records have event ids with no format file (${Object.keys(eventsByName).filter((k) => k.startsWith('#')).join(', ')})`);
  if (sched.problems) problems.push(`${sched.problems} sched records lack fields the sched table needs (${sched.firstProblems.join('; ')})`);
  return {
    table: sched.builder.finish(),
    eventsByName,
    lostByCpu: perCpu((c) => c.report.lost),
    lostUncountedByCpu: perCpu((c) => c.report.lostUncounted),
    recordsByCpu: perCpu((c) => c.count),
    pagesByCpu: perCpu((c) => c.report.pages),
    origin: first === null ? null : (origin ?? first),
    firstTs: first,
    lastTs: last,
    problems,
  };
}
