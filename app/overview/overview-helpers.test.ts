import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../../core/bundle/index.ts';
import { buildOverview } from '../../core/overview/index.ts';
import { importCapture } from '../../core/importers/capture-to-bundle.ts';
import { keepColours, legendRows, PALETTE, seriesColours } from '../charts/series-style.ts';
import { tickText, timeTickText } from '../charts/options.ts';
import { formatSpan } from './format.ts';
import { keyFigures } from './key-figures.ts';
import { splitByUnit } from './overview-sections.ts';

describe('formatSpan', () => {
  it('names bucket widths without float noise, in the unit that reads best', () => {
    // The bucket widths the KernelOracle, ftrace and strace imports produced (niceBucket of their spans).
    expect(formatSpan(0.00009999999999999999)).toBe('100 µs');
    expect(formatSpan(0.00019999999999999998)).toBe('200 µs');
    expect(formatSpan(0.000009999999999999999)).toBe('10 µs');
    expect(formatSpan(0.005)).toBe('5 ms');
    expect(formatSpan(0.5)).toBe('500 ms');
    expect(formatSpan(2)).toBe('2 s');
    expect(formatSpan(1e-7)).toBe('100 ns');
  });
});

describe('tickText', () => {
  it('drops float noise and keeps four digits', () => {
    expect(tickText(0.30000000000000004)).toBe('0.3');
    expect(tickText(12.3456)).toBe('12.35');
    expect(tickText(0)).toBe('0');
  });
});

describe('timeTickText', () => {
  it('keeps the digits that tell ticks of a deep zoom apart, without float noise', () => {
    const ticks = [7.32362, 7.32364, 7.32366].map((t) => timeTickText(t + 1e-15));
    expect(ticks).toEqual(['7.32362', '7.32364', '7.32366']);
    expect(timeTickText(0.30000000000000004)).toBe('0.3');
    expect(timeTickText(2)).toBe('2');
    expect(timeTickText(0)).toBe('0');
  });
});

describe('series colours', () => {
  it('keep the whole view colour of each name when a zoomed span drops or reorders series', () => {
    const base = [...seriesColours(['group', 'system', 'gzip (7)', 'tar (6)'])].map(([name, color]) => ({ name, color }));
    // Zoomed: "system" had no points, and a call that was not in the top list appears.
    const detail = keepColours([{ name: 'tar (6)' }, { name: 'group' }, { name: 'new one' }], base) as { name: string; color: string }[];
    expect(detail.find((s) => s.name === 'group')!.color).toBe(base[0]!.color);
    expect(detail.find((s) => s.name === 'tar (6)')!.color).toBe(base[3]!.color);
    expect(base.map((b) => b.color)).not.toContain(detail.find((s) => s.name === 'new one')!.color);
    expect(new Set(PALETTE).size).toBe(PALETTE.length);
  });
});

describe('legendRows', () => {
  it('counts the rows a wrapping legend needs', () => {
    expect(legendRows(['read', 'write'])).toBe(1);
    const psi = ['cpu', 'io', 'memory'].flatMap((r) => ['some', 'full'].flatMap((k) => [`cgroup ${r} ${k}`, `system ${r} ${k}`]));
    expect(legendRows(psi)).toBeGreaterThanOrEqual(3);
    expect(legendRows(psi, 340)).toBeGreaterThan(legendRows(psi, 500));
  });
});

describe('the overview of the shipped demo', () => {
  it('gives key figures that match the series and one counter chart per unit', async () => {
    const r = await readBundle(new Uint8Array(readFileSync(new URL('../../public/datasets/sysbench-cpu.tlab', import.meta.url))));
    if (!r.ok) throw new Error('demo unreadable');
    const o = buildOverview(r.bundle);
    const figures = new Map(keyFigures(o).map((f) => [f.id, f.value]));
    const group = o.usage.cpu.find((s) => s.id === 'cpu:group')!;
    expect(figures.get('cpu')).toBe(`${Number(Math.max(...group.y.filter(Number.isFinite)).toPrecision(3))} cores`);
    expect(figures.get('syscalls')).toBe(o.syscalls!.total.toLocaleString('en-US'));
    const switches = o.sched!.byEvent.find((e) => e.event === 'sched_switch')!.count;
    expect(figures.get('switches')).toBe(switches.toLocaleString('en-US'));
    for (const g of splitByUnit(o.counters)) expect(new Set(g.series.map((s) => s.unit))).toEqual(new Set([g.unit]));
    expect(splitByUnit(o.counters).length).toBe(new Set(o.counters.map((s) => s.unit)).size);
  });

  it('lists a PerfSpect summary (no time axis) value for value', async () => {
    const bytes = new Uint8Array(readFileSync(new URL('../../fixtures/perfspect/ICX-500.csv', import.meta.url)));
    const { bundle } = await importCapture('ICX-500.csv', bytes);
    const o = buildOverview(bundle);
    expect(o.counters).toEqual([]);
    // wc: 69 metrics × avg/p95/min/max, every one a number in this file.
    expect(o.counterTotals!.length).toBe(bundle.tables.counters!.numRows);
    expect(o.counterTotals!.length).toBe(276);
  });
});
