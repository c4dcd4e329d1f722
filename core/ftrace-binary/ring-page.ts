import type { HeaderPage } from './format-file.ts';

/**
 * The kernel's ring-buffer page (kernel/trace/ring_buffer.c, as libtraceevent's kbuffer reads it): a u64 time
 * stamp, a long "commit" (bytes of data used, with two flag bits saying events were lost before this page and
 * whether their count is stored after the data), then events. Each event starts with a u32 of type_len (5 bits)
 * and time_delta (27 bits): type_len 1..28 is a record of type_len*4 bytes, 0 a record whose length is in the
 * next u32, 29 padding (or a discarded record), 30 a time extend (delta = next u32 << 27 | time_delta), 31 an
 * absolute time stamp.
 */

const MISSED_EVENTS = 2 ** 31;
const MISSED_STORED = 2 ** 30;
const COMMIT_MASK = (1 << 27) - 1;
const TS_SHIFT = 27n;
/** An absolute time stamp has 59 bits; the top 5 come from the running time stamp (kbuffer's TS_MSB). */
const TS_MSB = 0xf8n << 56n;

const PADDING = 29;
const TIME_EXTEND = 30;
const TIME_STAMP = 31;

export interface PageLayout {
  readonly header: HeaderPage;
  readonly pageSize: number;
  readonly littleEndian: boolean;
}

/** Called per record: its time (ns in the trace clock), and where its bytes are in the buffer given. */
export type RecordSink = (ts: bigint, offset: number, length: number) => void;

export interface PagesReport {
  pages: number;
  records: number;
  /** Events the kernel says were lost (overwritten or dropped), summed over pages whose count is stored. */
  lost: number;
  /** Pages flagged as following lost events whose count the kernel did not store. */
  lostUncounted: number;
  /** Damage found, with the page and byte where it was (the rest of a damaged page is skipped). */
  problems: string[];
  /** The first and last record times seen, or null when no record was. */
  firstTs: bigint | null;
  lastTs: bigint | null;
}

const u32 = (v: DataView, at: number, le: boolean) => v.getUint32(at, le);
function readLong(v: DataView, at: number, size: number, le: boolean): number {
  return size === 8 ? Number(v.getBigUint64(at, le)) : v.getUint32(at, le);
}

/**
 * Walks whole pages (`buf.length` a multiple of the page size; a shorter tail is reported) and hands every
 * record to `sink`. Empty pages (commit 0) are skipped: trace_pipe_raw and trace.dat both have them.
 */
export function decodePages(buf: Uint8Array, layout: PageLayout, sink: RecordSink, report?: PagesReport): PagesReport {
  const r: PagesReport = report ?? { pages: 0, records: 0, lost: 0, lostUncounted: 0, problems: [], firstTs: null, lastTs: null };
  const { header, pageSize, littleEndian: le } = layout;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const whole = Math.floor(buf.byteLength / pageSize);
  if (whole * pageSize !== buf.byteLength) r.problems.push(`${buf.byteLength - whole * pageSize} bytes after the last whole page of ${pageSize} bytes were ignored`);
  for (let p = 0; p < whole; p++) {
    const page = p * pageSize;
    r.pages++;
    let ts = view.getBigUint64(page + header.timestampOffset, le);
    // The flag bits sit in the low 32 bits of the long, whatever its size; the kernel sign-extends 1 << 31 into
    // the high half of an 8-byte commit (0xffffffffc0000fd4), so only the low half is read.
    const flags = u32(view, page + header.commitOffset + (header.commitSize === 8 && !le ? 4 : 0), le);
    const size = flags & COMMIT_MASK;
    const data = page + header.dataOffset;
    if (size > pageSize - header.dataOffset) {
      r.problems.push(`page ${p} (byte ${page}): commit says ${size} bytes of data, more than the page holds (${pageSize - header.dataOffset}); page skipped`);
      continue;
    }
    if (flags >= MISSED_EVENTS) {
      if ((flags & MISSED_STORED) !== 0 && size + header.commitSize <= pageSize - header.dataOffset) r.lost += readLong(view, data + size, header.commitSize, le);
      else r.lostUncounted++;
    }
    const end = data + size;
    let at = data;
    while (at + 4 <= end) {
      const word = u32(view, at, le);
      const typeLen = le ? word & 31 : word >>> 27;
      const delta = le ? word >>> 5 : word & 0x7ffffff;
      if (typeLen === PADDING) {
        // A padding with no delta fills the rest of the page; otherwise it is a discarded record whose delta counts.
        if (delta === 0) break;
        if (at + 8 > end) break;
        ts += BigInt(delta);
        at += 4 + u32(view, at + 4, le);
        continue;
      }
      if (typeLen === TIME_EXTEND || typeLen === TIME_STAMP) {
        if (at + 8 > end) {
          r.problems.push(`page ${p} (byte ${at}): a time ${typeLen === TIME_EXTEND ? 'extend' : 'stamp'} cut off by the page's end; rest of page skipped`);
          break;
        }
        const value = (BigInt(u32(view, at + 4, le)) << TS_SHIFT) + BigInt(delta);
        ts = typeLen === TIME_EXTEND ? ts + value : value | (ts & TS_MSB);
        at += 8;
        continue;
      }
      let start: number;
      let length: number;
      if (typeLen === 0) {
        if (at + 8 > end) break;
        length = u32(view, at + 4, le) - 4;
        start = at + 8;
        if (length < 0) {
          r.problems.push(`page ${p} (byte ${at}): a record with a length word of ${length + 4} (less than its own 4 bytes); rest of page skipped`);
          break;
        }
      } else {
        length = typeLen * 4;
        start = at + 4;
      }
      if (start + length > end) {
        r.problems.push(`page ${p} (byte ${at}): a record of ${length} bytes runs past the page's data (${end - start} left); rest of page skipped`);
        break;
      }
      ts += BigInt(delta);
      r.records++;
      if (r.firstTs === null || ts < r.firstTs) r.firstTs = ts;
      if (r.lastTs === null || ts > r.lastTs) r.lastTs = ts;
      sink(ts, start, length);
      at = start + ((length + 3) & ~3);
    }
  }
  return r;
}
