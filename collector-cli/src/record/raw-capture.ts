import type { RawCapture } from '../../../core/bundle/index.ts';
import { decodeSchedCapture, type DecodedSched } from './raw-decode.ts';
import type { RingStats } from './ring-stats.ts';

/**
 * Everything needed to decode a trace_pipe_raw recording again: the pages as the kernel handed them out, the
 * page and event layouts (events/header_page, each event's format file) and the machine's word layout. Held
 * in memory only once the recording is over (the pages are spooled to files while it runs).
 */
export interface RawSchedCapture {
  pageSize: number;
  littleEndian: boolean;
  /** sizeof(long) in the kernel that wrote the pages (the page header's commit field is a local_t). */
  longSize: number;
  traceClock: string;
  /** Trace-clock ns that is the bundle's ts 0 (trace_clock mono: the recording's CLOCK_MONOTONIC origin). */
  originNs: bigint;
  headerPage: string;
  headerEvent: string | null;
  /** Each enabled event's format file, e.g. system "sched", event "sched_switch". */
  formats: { system: string; event: string; text: string }[];
  cpus: { cpu: number; pages: Uint8Array }[];
  /** The kernel's per-CPU counters over the recording (after minus before). */
  stats: Omit<RingStats, 'text'>[];
}

const DIR = 'ftrace-raw';
const DESCRIPTION_FILE = `${DIR}/capture.json`;

interface Description {
  kind: 'tlab-trace-pipe-raw';
  version: 1;
  pageSize: number;
  littleEndian: boolean;
  longSize: number;
  traceClock: string;
  originNs: string;
  cpus: { cpu: number; file: string; pages: number }[];
  formats: { system: string; event: string; file: string }[];
  headerPage: string;
  headerEvent: string | null;
  stats: Omit<RingStats, 'text'>[];
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** The capture as raw/ entries of a bundle (`tlab record --keep-raw`). */
export function captureToRaw(c: RawSchedCapture): RawCapture[] {
  const out: RawCapture[] = [];
  const d: Description = {
    kind: 'tlab-trace-pipe-raw',
    version: 1,
    pageSize: c.pageSize,
    littleEndian: c.littleEndian,
    longSize: c.longSize,
    traceClock: c.traceClock,
    originNs: c.originNs.toString(),
    cpus: c.cpus.map((x) => ({ cpu: x.cpu, file: `${DIR}/cpu${x.cpu}.pages`, pages: x.pages.byteLength / c.pageSize })),
    formats: c.formats.map((f) => ({ system: f.system, event: f.event, file: `${DIR}/events/${f.system}/${f.event}/format` })),
    headerPage: `${DIR}/events/header_page`,
    headerEvent: c.headerEvent !== null ? `${DIR}/events/header_event` : null,
    stats: c.stats,
  };
  out.push({ name: DESCRIPTION_FILE, source: 'sched', description: 'what the other ftrace-raw/ files are: page size, byte order, long size, trace clock, CPUs, event formats, the kernel ring-buffer stats', data: enc.encode(JSON.stringify(d, null, 2)) });
  out.push({ name: d.headerPage, source: 'sched', description: 'tracefs events/header_page: the ring-buffer page header layout', data: enc.encode(c.headerPage) });
  if (c.headerEvent !== null && d.headerEvent) out.push({ name: d.headerEvent, source: 'sched', description: 'tracefs events/header_event: the event header layout', data: enc.encode(c.headerEvent) });
  c.formats.forEach((f, i) => out.push({ name: d.formats[i]!.file, source: 'sched', description: `tracefs events/${f.system}/${f.event}/format`, data: enc.encode(f.text) }));
  c.cpus.forEach((x, i) => out.push({ name: d.cpus[i]!.file, source: 'sched', description: `CPU ${x.cpu}'s trace_pipe_raw pages, ${c.pageSize} bytes each, in reading order`, data: x.pages }));
  return out;
}

/** Thrown when a bundle's raw/ does not hold a trace_pipe_raw capture that can be decoded. */
export class KeptCaptureError extends Error {}

/** Reads a capture back from a bundle's raw/ entries (paths as the bundle reader gives them, "raw/…"). */
export function captureFromRaw(raw: ReadonlyMap<string, Uint8Array>): RawSchedCapture {
  const get = (name: string, what: string): Uint8Array => {
    const b = raw.get(`raw/${name}`);
    if (!b) throw new KeptCaptureError(`raw/${name} is missing (${what}); was the bundle recorded with --keep-raw from trace_pipe_raw?`);
    return b;
  };
  let d: Description;
  try {
    d = JSON.parse(dec.decode(get(DESCRIPTION_FILE, 'the capture description')));
  } catch (e) {
    if (e instanceof KeptCaptureError) throw e;
    throw new KeptCaptureError(`raw/${DESCRIPTION_FILE} is not JSON: ${(e as Error).message}`);
  }
  if (d?.kind !== 'tlab-trace-pipe-raw' || d.version !== 1) throw new KeptCaptureError(`raw/${DESCRIPTION_FILE}: not a version 1 tlab trace_pipe_raw description (kind ${JSON.stringify(d?.kind)}, version ${JSON.stringify(d?.version)})`);
  if (!(Number.isInteger(d.pageSize) && d.pageSize >= 64)) throw new KeptCaptureError(`raw/${DESCRIPTION_FILE}: pageSize ${JSON.stringify(d.pageSize)} is not a page size`);
  if (typeof d.originNs !== 'string' || !/^\d+$/.test(d.originNs)) throw new KeptCaptureError(`raw/${DESCRIPTION_FILE}: originNs ${JSON.stringify(d.originNs)} is not a count of nanoseconds`);
  const cpus = d.cpus.map((c) => {
    const pages = get(c.file, `CPU ${c.cpu}'s pages`);
    if (pages.byteLength !== c.pages * d.pageSize) throw new KeptCaptureError(`raw/${c.file}: ${pages.byteLength} bytes, but ${c.pages} pages of ${d.pageSize} bytes were written`);
    return { cpu: c.cpu, pages };
  });
  return {
    pageSize: d.pageSize,
    littleEndian: d.littleEndian,
    longSize: d.longSize,
    traceClock: d.traceClock,
    originNs: BigInt(d.originNs),
    headerPage: dec.decode(get(d.headerPage, 'the page header layout')),
    headerEvent: d.headerEvent ? dec.decode(get(d.headerEvent, 'the event header layout')) : null,
    formats: d.formats.map((f) => ({ system: f.system, event: f.event, text: dec.decode(get(f.file, `the ${f.event} format`)) })),
    cpus,
    stats: d.stats,
  };
}

/** Decodes a bundle's kept trace_pipe_raw capture again: the sched table as recorded, and the counts. */
export function redecodeKept(raw: ReadonlyMap<string, Uint8Array>): { capture: RawSchedCapture; decoded: DecodedSched } {
  const capture = captureFromRaw(raw);
  return { capture, decoded: decodeSchedCapture(capture, capture.originNs) };
}
