import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../../core/bundle/index.ts';
import { buildOverview } from '../../core/overview/index.ts';
import { createLoader } from './loader.ts';

const file = new URL('../../public/datasets/messaging.tlab', import.meta.url);

describe('the loader worker owns the open bundle (messaging.tlab, 664k scheduler rows)', () => {
  it('answers zooms from kept columns while the per-CPU slices are still being built, and drops superseded zooms', async () => {
    const api = createLoader();
    const opened = await api.open({ kind: 'file', file: new File([readFileSync(file)], 'messaging.tlab') }, () => {});
    if (!opened.ok) throw new Error(opened.error.kind);
    const d = opened.bundle.overview.durationS;
    const order: string[] = [];
    const progress: number[] = [];
    const building = api.timelineInfo('sched', (f) => progress.push(f)).then((info) => {
      order.push('timeline');
      return info;
    });
    const window = { from: 0.4 * d, to: 0.45 * d };
    const zoomed = await api.overview(window);
    order.push('zoom');
    const info = await building;
    // The zoom was answered between the build's steps, not after it.
    expect(order).toEqual(['zoom', 'timeline']);
    expect(progress.length).toBeGreaterThan(5);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(info!.slices).toBeGreaterThan(100_000);

    // The answer is what a fresh read and a full build of the overview for that window give.
    const fresh = await readBundle(new Uint8Array(readFileSync(file)));
    if (!fresh.ok) throw new Error(fresh.error.kind);
    const want = buildOverview(fresh.bundle, window);
    expect(zoomed!.sched!.switchesPerCpu).toEqual(want.sched!.switchesPerCpu);
    expect(zoomed!.usage.cpu.map((s) => Array.from(s.y))).toEqual(want.usage.cpu.map((s) => Array.from(s.y)));
    expect(zoomed!.syscalls).toEqual(want.syscalls);

    // Three zooms sent at once, as a dragged slider does: only the newest is worked out.
    const burst = await Promise.all([0.1, 0.2, 0.3].map((f) => api.overview({ from: f * d, to: (f + 0.05) * d })));
    expect(burst[0]).toBeNull();
    expect(burst[1]).toBeNull();
    expect(burst[2]!.window).toEqual({ from: 0.3 * d, to: 0.35 * d });
  });
});

describe('the loader hands out the tables decoded so far while a large one is still to come', () => {
  it('messaging.tlab: a partial overview with usage before the sched table, then the whole bundle', async () => {
    const api = createLoader();
    const partials: import('./protocol.ts').LoadedBundle[] = [];
    const opened = await api.open({ kind: 'file', file: new File([readFileSync(file)], 'messaging.tlab') }, () => {}, (p) => partials.push(p));
    if (!opened.ok) throw new Error(opened.error.kind);
    expect(partials.length).toBeGreaterThan(0);
    // Smallest tables first: the first partial with the samples table decoded.
    const first = partials.find((p) => !p.pending!.some((x) => x.name === 'samples'))!;
    expect(first).toBeDefined();
    expect(first.pending!.map((p) => p.name)).toContain('sched');
    expect(first.overview.sched).toBeNull();
    expect(first.overview.usage.cpu.length).toBeGreaterThan(0);
    // The partial's usage is the whole bundle's: the samples table is complete when it is handed out.
    expect(first.overview.usage.cpu.map((s) => Array.from(s.y))).toEqual(opened.bundle.overview.usage.cpu.map((s) => Array.from(s.y)));
    expect(opened.bundle.pending).toBeUndefined();
    expect(opened.bundle.tables.map((t) => t.name)).toEqual(Object.keys(opened.bundle.manifest.tables));
    expect(opened.bundle.overview.sched!.total).toBe(opened.bundle.tables.find((t) => t.name === 'sched')!.rows);
  });
});
