import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importCapture } from '../importers/capture-to-bundle.ts';
import { buildOverview } from './build-overview.ts';

const fixture = (p: string) => new TextEncoder().encode(readFileSync(new URL(`../../fixtures/${p}`, import.meta.url), 'utf8'));

describe('counters that are readings are charted as their values, not per second', () => {
  it('sadf -d: %user is charted in %, with the file’s own numbers, first row included', async () => {
    const { bundle } = await importCapture('sadf.csv', fixture('csv/sadf-d-cpu.csv'));
    const o = buildOverview(bundle);
    const user = o.counters.find((s) => s.name === '%user (csv)' || s.name === '%user')!;
    expect(user, o.counters.map((s) => s.name).join(', ')).toBeDefined();
    expect(user.unit).toBe('%');
    // The fixture's %user column, row by row (the first row has no interval but is a reading all the same).
    const file = readFileSync(new URL('../../fixtures/csv/sadf-d-cpu.csv', import.meta.url), 'utf8');
    const want = file
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => Number(l.split(';')[4]));
    expect(Array.from(user.y)).toEqual(want);
    // A reading in another unit (sadf's interval column, 1 s) stays its value too, with no "/s".
    const interval = o.counters.find((s) => s.name.startsWith('interval'))!;
    expect(interval.unit).toBe('');
    expect(new Set(interval.y)).toEqual(new Set([1]));
    expect(o.counterTotals).toEqual([]);
  });

  it('perf stat counts stay rates per second (a recorded bundle)', async () => {
    const { readBundle } = await import('../bundle/reader.ts');
    const r = await readBundle(new Uint8Array(readFileSync(new URL('../../public/datasets/sysbench-cpu.tlab', import.meta.url))));
    if (!r.ok) throw new Error(r.error.kind);
    const o = buildOverview(r.bundle);
    expect(o.counters.length).toBeGreaterThan(0);
    for (const s of o.counters) expect(s.unit.endsWith('/s'), `${s.name}: ${s.unit}`).toBe(true);
  });
});
