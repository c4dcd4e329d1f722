import { decodePages, type PageLayout, type PagesReport } from './ring-page.ts';

/** One CPU's records in page order: times (ns in the trace clock) and where each record's bytes are. */
export interface CpuRecords {
  readonly cpu: number;
  readonly pages: Uint8Array;
  readonly view: DataView;
  readonly ts: BigUint64Array;
  readonly offset: Int32Array;
  readonly length: Int32Array;
  readonly count: number;
  readonly report: PagesReport;
  /** Records earlier than the record before them on the same CPU (the kernel never writes these: damage). */
  readonly backwards: number;
  /** ns since the capture's base time (setRelativeTimes): numbers compare without allocating, bigints do not. */
  rel: Float64Array;
}

/** Each record's time as ns after `base` (exact while the capture spans under 2^53 ns, 104 days). */
export function setRelativeTimes(cpus: readonly CpuRecords[], base: bigint): void {
  for (const c of cpus) {
    const rel = new Float64Array(c.count);
    for (let i = 0; i < c.count; i++) rel[i] = Number(c.ts[i]! - base);
    c.rel = rel;
  }
}

export function collectRecords(cpu: number, pages: Uint8Array, layout: PageLayout): CpuRecords {
  let cap = Math.max(64, pages.byteLength >> 5);
  let ts = new BigUint64Array(cap);
  let offset = new Int32Array(cap);
  let length = new Int32Array(cap);
  let n = 0;
  let backwards = 0;
  const report = decodePages(pages, layout, (t, o, l) => {
    if (n === cap) {
      cap *= 2;
      const t2 = new BigUint64Array(cap);
      t2.set(ts);
      ts = t2;
      const o2 = new Int32Array(cap);
      o2.set(offset);
      offset = o2;
      const l2 = new Int32Array(cap);
      l2.set(length);
      length = l2;
    }
    if (n > 0 && t < ts[n - 1]!) backwards++;
    ts[n] = t;
    offset[n] = o;
    length[n] = l;
    n++;
  });
  return { cpu, pages, view: new DataView(pages.buffer, pages.byteOffset, pages.byteLength), ts, offset, length, count: n, report, backwards, rel: new Float64Array(0) };
}

/**
 * Visits every record of all CPUs in time order (by `rel`: call setRelativeTimes first), as trace-cmd report does: the earliest next record of any
 * CPU, the lower CPU first on equal times. Each CPU's own order is kept (it is the kernel's write order).
 */
export function mergeByTime(cpus: readonly CpuRecords[], visit: (c: CpuRecords, i: number) => void): void {
  const sorted = [...cpus].sort((a, b) => a.cpu - b.cpu);
  const next = new Int32Array(sorted.length);
  for (;;) {
    let best = -1;
    let bestTs = 0;
    for (let k = 0; k < sorted.length; k++) {
      const c = sorted[k]!;
      const i = next[k]!;
      if (i >= c.count) continue;
      const t = c.rel[i]!;
      if (best < 0 || t < bestTs) {
        best = k;
        bestTs = t;
      }
    }
    if (best < 0) return;
    visit(sorted[best]!, next[best]!);
    next[best]!++;
  }
}
