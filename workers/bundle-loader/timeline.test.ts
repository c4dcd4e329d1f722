import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBundle, type Bundle } from '../../core/bundle/index.ts';
import { createTimelines } from './timeline.ts';

async function demo(file: string): Promise<Bundle> {
  const r = await readBundle(new Uint8Array(readFileSync(new URL(`../../public/datasets/${file}`, import.meta.url))));
  if (!r.ok) throw new Error(r.error.kind);
  return r.bundle;
}

describe('the loader worker’s timelines', () => {
  it('answer for the bundle open now, build once per bundle, and say null where a bundle lacks the data', async () => {
    const full = await demo('sysbench-cpu.tlab');
    const bare: Bundle = { ...full, tables: { samples: full.tables.samples! } };
    let current: Bundle | null = null;
    const api = createTimelines(() => current);
    await expect(api.timelineInfo('sched')).rejects.toThrow('no bundle is loaded');

    current = full;
    const info = (await api.timelineInfo('sched'))!;
    expect(info.trackLabels).toEqual(['CPU 0', 'CPU 1']);
    expect(info.buildMs).toBeGreaterThanOrEqual(0);
    // Built once: the second answer is the very same object.
    expect(await api.timelineInfo('sched')).toBe(info);
    const view = await api.timelineView('sched', info.minS, info.maxS, 800);
    expect(view!.slices).toBe(info.slices);
    const lat = (await api.syscallLatency())!;
    expect(lat.timed).toBeGreaterThan(0);
    expect((await api.timelineInfo('syscalls'))!.slices).toBe(lat.timed);

    current = bare;
    expect(await api.timelineInfo('sched')).toBeNull();
    expect(await api.timelineInfo('syscalls')).toBeNull();
    expect(await api.syscallLatency()).toBeNull();
    await expect(api.timelineView('sched', 0, 1, 100)).rejects.toThrow('no sched timeline');
  });
});
