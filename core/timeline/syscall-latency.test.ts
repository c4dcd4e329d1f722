import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../bundle/reader.ts';
import { syscallLatency } from './syscall-latency.ts';

/** Every timed call read the slow way, through Arrow's row objects. */
async function naiveCalls(file: string) {
  const r = await readBundle(new Uint8Array(readFileSync(new URL(`../../public/datasets/${file}`, import.meta.url))));
  if (!r.ok) throw new Error(r.error.kind);
  const t = r.bundle.tables.syscalls!;
  const calls: { i: number; ts: number; name: string; tid: number; d: number; errno: string | null }[] = [];
  let untimed = 0;
  for (let i = 0; i < t.numRows; i++) {
    const row = t.get(i)!.toJSON() as Record<string, unknown>;
    if (row.kind !== 'syscall') continue;
    if (row.duration_ns === null) untimed++;
    else calls.push({ i, ts: Number(row.ts_ns as bigint), name: row.name as string, tid: row.tid as number, d: Number(row.duration_ns as bigint), errno: (row.errno as string | null) ?? null });
  }
  return { bundle: r.bundle, calls, untimed };
}

/** p-th percentile by nearest rank, written out: the ⌈p·n/100⌉-th smallest value. */
function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  let rank = Math.ceil((p * s.length) / 100);
  if (rank < 1) rank = 1;
  return s[rank - 1]!;
}

describe.each(['sysbench-cpu.tlab', 'compression.tlab'])('syscall latency of %s', (file) => {
  it('equals a naive computation: counts, p50/p90/p99/max, histogram, slowest calls', async () => {
    const { bundle, calls, untimed } = await naiveCalls(file);
    const lat = syscallLatency(bundle.tables.syscalls!, bundle.manifest.workload.startNs);
    expect(lat.timed).toBe(calls.length);
    expect(lat.untimed).toBe(untimed);
    const names = [...new Set(calls.map((c) => c.name))];
    expect(lat.rows.map((r) => r.name).sort()).toEqual(names.sort());
    for (const row of lat.rows) {
      const ds = calls.filter((c) => c.name === row.name).map((c) => c.d);
      expect({ count: row.count, p50: row.p50, p90: row.p90, p99: row.p99, max: row.max, errors: row.errors }).toEqual({
        count: ds.length,
        p50: percentile(ds, 50),
        p90: percentile(ds, 90),
        p99: percentile(ds, 99),
        max: Math.max(...ds),
        errors: calls.filter((c) => c.name === row.name && c.errno !== null).length,
      });
      const bins = lat.edgesNs.slice(0, -1).map((lo, b) => ds.filter((d) => d >= lo && d < lat.edgesNs[b + 1]!).length);
      expect(row.histogram).toEqual(bins);
    }
    const slow = [...calls].sort((a, b) => b.d - a.d || a.ts - b.ts || a.i - b.i).slice(0, 50);
    expect(lat.slowest.map((s) => [s.name, s.tid, s.durationNs, s.tsS])).toEqual(slow.map((c) => [c.name, c.tid, c.d, (c.ts - bundle.manifest.workload.startNs) / 1e9]));
  }, 60_000);
});
