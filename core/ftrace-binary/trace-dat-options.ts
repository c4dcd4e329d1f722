import { ByteCursor } from './byte-cursor.ts';

/** trace-cmd's option ids (trace-cmd.dat.v7(5)); the ones that matter for reading events are kept. */
export const OPT = {
  DONE: 0,
  DATE: 1,
  CPUSTAT: 2,
  BUFFER: 3,
  TRACECLOCK: 4,
  UNAME: 5,
  OFFSET: 7,
  CPUCOUNT: 8,
  VERSION: 9,
  HEADER_INFO: 16,
  FTRACE_EVENTS: 17,
  EVENT_FORMATS: 18,
  KALLSYMS: 19,
  PRINTK: 20,
  CMDLINES: 21,
  BUFFER_TEXT: 22,
} as const;

export interface BufferOption {
  /** "" for the top instance. */
  name: string;
  /** v6: where the buffer's "flyrecord" block is; v7: where its section is. */
  offset: number;
  clock: string | null;
  pageSize: number | null;
  /** v7 only: each CPU's data offset and size (v6 keeps them at `offset`). */
  cpus: { cpu: number; offset: number; size: number }[] | null;
  latency: boolean;
}

export interface Options {
  date: string | null;
  offsetNs: bigint;
  cpuStats: string[];
  buffers: BufferOption[];
  traceClock: string | null;
  uname: string | null;
  tracerVersion: string | null;
  cpuCount: number | null;
  /** v7: section offsets by option id (HEADER_INFO ... CMDLINES). */
  sections: Map<number, number>;
  /** v7: the next options section, 0 at the end. */
  next: number;
  unknown: number[];
}

export function emptyOptions(): Options {
  return { date: null, offsetNs: 0n, cpuStats: [], buffers: [], traceClock: null, uname: null, tracerVersion: null, cpuCount: null, sections: new Map(), next: 0, unknown: [] };
}

const str = (b: Uint8Array) => new TextDecoder().decode(b.indexOf(0) >= 0 ? b.subarray(0, b.indexOf(0)) : b);

/** Options from the cursor until DONE: v6 ends at a bare id 0, v7's DONE carries the next section's offset. */
export function readOptions(c: ByteCursor, v7: boolean, into: Options): Options {
  for (;;) {
    const id = c.u16('option id');
    if (id === OPT.DONE && !v7) return into;
    const size = c.u32(`option ${id} size`);
    const at = c.pos;
    const data = c.take(size, `option ${id} data`);
    const o = new ByteCursor(data, 0, c.littleEndian, c.base + at, `option ${id}`);
    switch (id) {
      case OPT.DONE:
        into.next = o.u64('next options offset');
        return into;
      case OPT.DATE:
        into.date = str(data);
        break;
      case OPT.OFFSET:
        into.offsetNs += BigInt(str(data).trim() || '0');
        break;
      case OPT.CPUSTAT:
        into.cpuStats.push(str(data));
        break;
      case OPT.TRACECLOCK:
        into.traceClock = str(data);
        break;
      case OPT.UNAME:
        into.uname = str(data);
        break;
      case OPT.VERSION:
        into.tracerVersion = str(data);
        break;
      case OPT.CPUCOUNT:
        into.cpuCount = o.u32('cpu count');
        break;
      case OPT.BUFFER:
      case OPT.BUFFER_TEXT: {
        const offset = o.u64('buffer offset');
        const name = o.cstring('buffer name');
        if (!v7) {
          into.buffers.push({ name, offset, clock: null, pageSize: null, cpus: null, latency: false });
          break;
        }
        const clock = o.cstring('buffer clock');
        if (id === OPT.BUFFER_TEXT) {
          into.buffers.push({ name, offset, clock, pageSize: null, cpus: [], latency: true });
          break;
        }
        const pageSize = o.u32('buffer page size');
        const n = o.u32('buffer cpu count');
        const cpus = [];
        for (let i = 0; i < n; i++) cpus.push({ cpu: o.u32('cpu id'), offset: o.u64('cpu data offset'), size: o.u64('cpu data size') });
        into.buffers.push({ name, offset, clock, pageSize, cpus, latency: false });
        break;
      }
      default:
        if (id >= OPT.HEADER_INFO && id <= OPT.CMDLINES) into.sections.set(id, o.u64(`option ${id} section offset`));
        else into.unknown.push(id);
    }
  }
}
