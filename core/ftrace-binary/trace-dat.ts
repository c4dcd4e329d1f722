import { ByteCursor, TraceDatError } from './byte-cursor.ts';
import { inflateBlock, inflateChunks, inflaterFor, type Inflate } from './trace-dat-compress.ts';
import { readCmdlines, readEventFormats, readFtraceFormats, readHeaderInfo, skipU32Sized, type FormatText } from './trace-dat-meta.ts';
import { emptyOptions, OPT, readOptions, type BufferOption, type Options } from './trace-dat-options.ts';

/** "\x17\x08Dtracing": the first ten bytes of every trace.dat. */
export const TRACE_DAT_MAGIC = [0x17, 0x08, 0x44, 0x74, 0x72, 0x61, 0x63, 0x69, 0x6e, 0x67] as const;

export function isTraceDat(head: Uint8Array): boolean {
  return head.length >= 10 && TRACE_DAT_MAGIC.every((b, i) => head[i] === b);
}

export interface TraceDatBuffer {
  /** "" for the top instance, else the tracefs instance's name. */
  name: string;
  clock: string | null;
  cpus: { cpu: number; pages: Uint8Array }[];
}

export interface TraceDat {
  version: number;
  littleEndian: boolean;
  longSize: 4 | 8;
  pageSize: number;
  compression: string | null;
  headerPage: string;
  headerEvent: string;
  formats: FormatText[];
  /** saved_cmdlines: comm by pid. */
  cmdlines: Map<number, string>;
  buffers: TraceDatBuffer[];
  options: Options;
}

/**
 * Reads trace-cmd's trace.dat, file versions 6 and 7 (trace-cmd.dat.v6(5), trace-cmd.dat.v7(5)): the layout
 * (endianness, long and page size), header_page, the event formats, saved cmdlines, options, and each
 * instance's per-CPU ring-buffer pages, decompressed (zstd or zlib) where v7 compressed them. Throws
 * TraceDatError (with the file offset) on what it cannot read.
 */
export function parseTraceDat(bytes: Uint8Array): TraceDat {
  if (!isTraceDat(bytes)) throw new TraceDatError(0, 'not a trace-cmd file: it does not start with "\\x17\\x08Dtracing"');
  const c = new ByteCursor(bytes, 10, true);
  const versionText = c.cstring('file version', 16);
  const version = Number(versionText);
  if (!/^\d+$/.test(versionText) || version < 6 || version > 7) {
    throw new TraceDatError(10, `trace.dat file version "${versionText}": Telemetry Lab reads versions 6 and 7 (trace-cmd 2.x and 3.x write those); "trace-cmd convert --file-version 7 -i FILE -o OUT" may convert it`);
  }
  const endian = c.u8('endianness');
  if (endian > 1) throw new TraceDatError(c.pos - 1, `endianness byte ${endian} (0 little, 1 big): the file is damaged`);
  c.littleEndian = endian === 0;
  const longSize = c.u8('long size');
  if (longSize !== 4 && longSize !== 8) throw new TraceDatError(c.pos - 1, `long size ${longSize} (4 or 8): the file is damaged`);
  const pageSize = c.u32('page size');
  if (pageSize < 64 || pageSize > 1 << 24 || (pageSize & (pageSize - 1)) !== 0) throw new TraceDatError(c.pos - 4, `page size ${pageSize} is no ring-buffer page size`);
  const base = { version, littleEndian: c.littleEndian, longSize: longSize as 4 | 8, pageSize };
  return version === 6 ? readV6(c, base) : readV7(c, base);
}

type Base = Pick<TraceDat, 'version' | 'littleEndian' | 'longSize' | 'pageSize'>;

function readV6(c: ByteCursor, base: Base): TraceDat {
  const { headerPage, headerEvent } = readHeaderInfo(c);
  const formats = [...readFtraceFormats(c), ...readEventFormats(c)];
  skipU32Sized(c, 'kallsyms');
  skipU32Sized(c, 'printk formats');
  const cmdlines = readCmdlines(c);
  const cpuCount = c.u32('cpu count');
  const options = emptyOptions();
  const top = readV6CpuTable(c, cpuCount, options, '');
  const buffers = [top];
  for (const b of options.buffers) {
    const at = new ByteCursor(c.bytes, b.offset, c.littleEndian);
    buffers.push(readV6CpuTable(at, cpuCount, emptyOptions(), b.name));
  }
  return { ...base, compression: null, headerPage, headerEvent, formats, cmdlines, buffers, options: { ...options, cpuCount: options.cpuCount ?? cpuCount } };
}

/** v6: optional "options  " block, then "flyrecord" and each CPU's offset and size (or "latency  ": text, refused). */
function readV6CpuTable(c: ByteCursor, cpus: number, options: Options, name: string): TraceDatBuffer {
  let tag = c.text(10, 'data kind');
  if (tag.startsWith('options')) {
    readOptions(c, false, options);
    tag = c.text(10, 'data kind');
  }
  if (tag.startsWith('latency')) throw latencyError(c.pos - 10);
  if (!tag.startsWith('flyrecord')) throw new TraceDatError(c.pos - 10, `expected "flyrecord" or "latency" at ${c.where(c.pos - 10)}, found ${JSON.stringify(tag)}`);
  const out: TraceDatBuffer = { name, clock: options.traceClock, cpus: [] };
  for (let cpu = 0; cpu < cpus; cpu++) {
    const offset = c.u64(`cpu ${cpu} data offset`);
    const size = c.u64(`cpu ${cpu} data size`);
    out.cpus.push({ cpu, pages: slice(c.bytes, offset, size, `cpu ${cpu} of buffer "${name}"`) });
  }
  return out;
}

function readV7(c: ByteCursor, base: Base): TraceDat {
  const algorithm = c.cstring('compression name', 64);
  c.cstring('compression version', 64);
  const inflate = inflaterFor(algorithm);
  const options = emptyOptions();
  const seen = new Set<number>();
  for (let next = c.u64('first options offset'); next !== 0; ) {
    if (seen.has(next)) throw new TraceDatError(next, `the options sections loop back to file offset ${next}: the file is damaged`);
    seen.add(next);
    options.next = 0;
    const s = section(c.bytes, next, c.littleEndian, inflate, OPT.DONE, 'options');
    readOptions(s, true, options);
    next = options.next;
  }
  const meta = (id: number, what: string) => {
    const at = options.sections.get(id);
    return at === undefined ? null : section(c.bytes, at, c.littleEndian, inflate, id, what);
  };
  const info = meta(OPT.HEADER_INFO, 'header info');
  if (!info) throw new TraceDatError(0, 'the file has no header info section (header_page): its ring-buffer pages cannot be read');
  const { headerPage, headerEvent } = readHeaderInfo(info);
  const ftrace = meta(OPT.FTRACE_EVENTS, 'ftrace event formats');
  const events = meta(OPT.EVENT_FORMATS, 'event formats');
  const formats = [...(ftrace ? readFtraceFormats(ftrace) : []), ...(events ? readEventFormats(events) : [])];
  const cmd = meta(OPT.CMDLINES, 'cmdlines');
  const cmdlines = cmd ? readCmdlines(cmd) : new Map<number, string>();
  const buffers: TraceDatBuffer[] = [];
  for (const b of options.buffers) {
    if (b.latency) throw latencyError(b.offset);
    buffers.push(readV7Buffer(c, b, inflate));
  }
  return { ...base, compression: algorithm === 'none' ? null : algorithm, headerPage, headerEvent, formats, cmdlines, buffers, options };
}

function readV7Buffer(c: ByteCursor, b: BufferOption, inflate: Inflate | null): TraceDatBuffer {
  const header = new ByteCursor(c.bytes, b.offset, c.littleEndian);
  header.u16('buffer section id');
  const compressed = (header.u16('buffer section flags') & 1) !== 0;
  if (compressed && !inflate) throw new TraceDatError(b.offset, `buffer "${b.name}" is marked compressed in a file that names no compression`);
  const cpus = (b.cpus ?? []).map(({ cpu, offset, size }) => {
    const what = `cpu ${cpu} of buffer "${b.name}"`;
    if (size === 0) return { cpu, pages: new Uint8Array(0) };
    if (!compressed) return { cpu, pages: slice(c.bytes, offset, size, what) };
    return { cpu, pages: inflateChunks(new ByteCursor(c.bytes, offset, c.littleEndian), inflate!, what) };
  });
  return { name: b.name, clock: b.clock, cpus };
}

/** A v7 section at `at`: its header (id, flags, description, size), decompressed when flagged. */
function section(bytes: Uint8Array, at: number, le: boolean, inflate: Inflate | null, id: number, what: string): ByteCursor {
  const c = new ByteCursor(bytes, at, le);
  const got = c.u16(`${what} section id`);
  if (got !== id) throw new TraceDatError(at, `${what}: expected section ${id} at file offset ${at}, found section ${got} (the file is damaged)`);
  const flags = c.u16(`${what} section flags`);
  c.u32(`${what} section description`);
  const size = c.u64(`${what} section size`);
  if ((flags & 1) === 0) return new ByteCursor(c.take(size, `${what} section`), 0, le, c.pos, what);
  if (!inflate) throw new TraceDatError(at, `${what}: the section is marked compressed in a file that names no compression`);
  const start = c.pos;
  const data = inflateBlock(new ByteCursor(c.take(size, `${what} section`), 0, le, start, what), inflate, what);
  return new ByteCursor(data, 0, le, start, `decompressed ${what}`);
}

function slice(bytes: Uint8Array, offset: number, size: number, what: string): Uint8Array {
  if (offset + size > bytes.byteLength) {
    throw new TraceDatError(offset, `${what}: ${size} bytes at file offset ${offset} run past the end of the file (${bytes.byteLength} bytes): the file is cut short`);
  }
  return bytes.subarray(offset, offset + size);
}

function latencyError(at: number): TraceDatError {
  return new TraceDatError(at, 'it holds a latency tracer\'s text output (trace-cmd record -p irqsoff and the like), not ring-buffer events; "trace-cmd report -i FILE" prints it');
}
