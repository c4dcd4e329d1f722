import type { Table } from 'apache-arrow';
import { decodeRawCapture } from '../../../core/ftrace-binary/index.ts';
import type { RawSchedCapture } from './raw-capture.ts';

export interface DecodedSched {
  table: Table;
  /** Records decoded per CPU index, every event type. */
  eventsByCpu: number[];
  /** Lost events per CPU index from the page headers' stored counts. */
  lostByCpu: number[];
  /** Pages per CPU flagged as following lost events whose count the kernel had no room to store. */
  lostUncountedByCpu: number[];
  eventCounts: Record<string, number>;
  /** Damage the decoder found: the table cannot be fully trusted. */
  problems: string[];
  notes: string[];
  /** This process's CPU time spent decoding. */
  cpuSeconds: number;
}

/**
 * Decodes a trace_pipe_raw capture (just recorded, or read back from a bundle's raw/) into the sched table,
 * with ts_ns counted from `originMonoNs` (trace_clock mono is CLOCK_MONOTONIC, the bundle's clock).
 */
export function decodeSchedCapture(c: RawSchedCapture, originMonoNs: bigint): DecodedSched {
  const t0 = process.cpuUsage();
  if (c.longSize !== 4 && c.longSize !== 8) throw new Error(`long size ${c.longSize}: the kernel's longs are 4 or 8 bytes`);
  const r = decodeRawCapture({
    headerPage: c.headerPage,
    formats: c.formats.map((f) => ({ system: f.system, text: f.text })),
    cpus: c.cpus,
    pageSize: c.pageSize,
    littleEndian: c.littleEndian,
    longSize: c.longSize,
    origin: originMonoNs,
  });
  const notes: string[] = [];
  const uncounted = r.lostUncountedByCpu.reduce((a, b) => a + b, 0);
  if (uncounted) notes.push(`EVENTS LOST, count unknown: ${uncounted} pages follow lost events whose number the kernel did not store (${r.lostUncountedByCpu.map((n, cpu) => `CPU ${cpu}: ${n}`).join(', ')})`);
  const d = process.cpuUsage(t0);
  return {
    table: r.table,
    eventsByCpu: r.recordsByCpu,
    lostByCpu: r.lostByCpu,
    lostUncountedByCpu: r.lostUncountedByCpu,
    eventCounts: r.eventsByName,
    problems: r.problems,
    notes,
    cpuSeconds: (d.user + d.system) / 1e6,
  };
}
