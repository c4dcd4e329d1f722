import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../bundle/reader.ts';
import { schedColumns, schedSummaryOf } from './sched.ts';

describe('the zoomed scheduler summary of messaging.tlab', () => {
  it('walking only the window’s switches gives what walking all of them gives', async () => {
    const r = await readBundle(new Uint8Array(readFileSync(new URL('../../public/datasets/messaging.tlab', import.meta.url))));
    if (!r.ok) throw new Error(r.error.kind);
    const b = r.bundle;
    const d = (b.manifest.workload.endNs - b.manifest.workload.startNs) / 1e9;
    const cols = schedColumns(b.tables.sched!, b.manifest.workload.startNs, d);
    expect(cols.t.length).toBeGreaterThan(100_000);
    for (const [from, to] of [
      [0, d],
      [0.1 * d, 0.2 * d],
      [0.9 * d, d],
      // A millisecond around the middle switch, and the first switch with the time before it.
      [cols.t[cols.t.length >> 1]! - 0.0005, cols.t[cols.t.length >> 1]! + 0.0005],
      [cols.t[0]! - 1, cols.t[0]! + 0.01],
    ] as [number, number][]) {
      const fast = schedSummaryOf(cols, { from, to });
      const slow = schedSummaryOf(cols, { from, to }, true);
      expect(fast.switchesPerCpu).toEqual(slow.switchesPerCpu);
      expect(fast.busy.map((s) => Array.from(s.y))).toEqual(slow.busy.map((s) => Array.from(s.y)));
      expect(fast.switchesPerCpu.series.reduce((n, s) => n + s.y.reduce((a, c) => a + c, 0), 0)).toBeGreaterThan(0);
    }
  });
});
