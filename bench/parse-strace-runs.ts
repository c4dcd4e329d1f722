import { readFileSync } from 'node:fs';
import { openSource } from '../core/importers/open-source.ts';
import { parseStraceOnce } from './parse-strace-once.ts';

/** What one way of parsing measured: the best run's wall and CPU time (each the best of its own). */
export interface ParseTiming {
  bytes: number;
  rows: number;
  wallMs: number;
  cpuMs: number;
}

/** Untimed runs before the timed ones. */
export const WARM_UP = 3;

/** A real capture repeated to ~20 MiB. */
export function straceInput(): Uint8Array {
  const one = readFileSync(new URL('../fixtures/strace/strace-f-ttt-T-pipeline-threads.log', import.meta.url));
  const copies = Math.ceil((20 * 2 ** 20) / one.byteLength);
  const big = new Uint8Array(one.byteLength * copies);
  for (let i = 0; i < copies; i++) big.set(one, i * one.byteLength);
  return big;
}

/**
 * Times `runs` runs after WARM_UP untimed ones (the figure is the parser's speed, not V8's compile time: with one
 * warm-up, whichever path was timed first read 25-35 % slower than the same path timed after the other, V8 still
 * tiering its code; a cold import is that much slower).
 * CPU time is process.cpuUsage(): this thread's work plus the runtime's own threads (GC), while the other
 * thread of the bench (if any) waits. On a machine others share it is the honest figure; wall time is what a
 * user waits, and varies with the load.
 */
async function timed(runs: number, once: () => Promise<number>): Promise<{ rows: number; wallMs: number; cpuMs: number }> {
  let rows = 0;
  for (let i = 0; i < WARM_UP; i++) rows = await once();
  let wallMs = Infinity;
  let cpuMs = Infinity;
  for (let run = 0; run < runs; run++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    rows = await once();
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    wallMs = Math.min(wallMs, wall);
    cpuMs = Math.min(cpuMs, (c.user + c.system) / 1000);
  }
  return { rows, wallMs, cpuMs };
}

/** The parser alone: chunks split into lines as bytes and pushed to StraceParser, the table built at finish. */
export async function timeParser(big: Uint8Array, runs = 3): Promise<ParseTiming> {
  const t = await timed(runs, () => parseStraceOnce(big));
  return { bytes: big.byteLength, ...t };
}

/** The whole way in that the loader worker takes: openSource (sniffing, detection, the parser, the bundle). */
export async function timeOpenSource(big: Uint8Array, runs = 3): Promise<ParseTiming> {
  const t = await timed(runs, async () => {
    const r = await openSource('bench.strace.log', big);
    if (!r.ok) throw new Error(`openSource refused the bench capture: ${JSON.stringify(r)}`.slice(0, 500));
    return r.bundle.tables.syscalls!.numRows;
  });
  return { bytes: big.byteLength, ...t };
}
