import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildTable, type Row } from '../bundle/table-builder.ts';
import { readBundle, type Bundle } from '../bundle/reader.ts';
import { usageSeries } from '../overview/usage.ts';
import { DEFAULT_TARGET, buildSeries, listSeries, seriesIdsOf } from './series.ts';
import { syscallCountsPerInterval } from './syscall-counts.ts';

const S = 1e9;

function bundleOf(tables: Bundle['tables']): Bundle {
  return { manifest: { sources: {} } as unknown as Bundle['manifest'], tables, raw: new Map(), entries: [], warnings: [] };
}

const sample = (t: number, len: number, scope: string, extra: Row = {}): Row => ({ ts_ns: t * S, interval_ns: len * S, scope, ...extra });

// Four ticks: (0.5, 1], (1, 2], (2, 3], (3, 4] s.
const ticks = [
  [1, 0.5],
  [2, 1],
  [3, 1],
  [4, 1],
] as const;

function synthetic(): Bundle {
  const group = [
    { cpu_user_s: 0.25, cpu_system_s: 0.25, rss_bytes: 2 ** 20, read_bytes: 2 ** 20 },
    { cpu_user_s: 1.5, cpu_system_s: 0.5, rss_bytes: 2 * 2 ** 20, read_bytes: 0 },
    { cpu_user_s: null, cpu_system_s: 0.5, rss_bytes: null, read_bytes: 2 ** 21 },
    { cpu_user_s: 0.1, cpu_system_s: 0.1, rss_bytes: 3 * 2 ** 20, read_bytes: 0 },
  ];
  const samples: Row[] = [];
  ticks.forEach(([t, len], i) => {
    samples.push(sample(t, len, 'system', { cpu_user_s: 0.5 * len, cpu_system_s: 0.5 * len }));
    if (i < 2) samples.push(sample(t, len, 'process', { pid: 10, comm: 'worker', cpu_user_s: 0.1, cpu_system_s: 0 }));
    samples.push(sample(t, len, 'group', group[i]));
  });
  const psi: Row[] = ticks.map(([t, len], i) => ({ ts_ns: t * S, interval_ns: len * S, scope: 'cgroup', resource: 'cpu', some_fraction: [0.1, 0.2, null, 0.4][i], full_fraction: null }));
  // perf stat on its own timer, half a second off the samples' ticks.
  const counters: Row[] = [1.5, 2.5, 3.5].map((t, i) => ({ ts_ns: t * S, interval_ns: S, event: 'cycles', value: [10, 20, 30][i], scope: 'group' }));
  const call = (t: number, name: string, kind = 'syscall'): Row => ({ ts_ns: t * S, pid: 1, tid: 1, kind, name });
  const syscalls = [
    call(0.2, 'close'), // before the first interval: not counted
    call(0.7, 'openat'),
    call(1.0, 'openat'), // on a tick: belongs to the interval it ends
    call(1.5, 'read'),
    call(1.6, 'read'),
    call(2.0, 'SIGCHLD', 'signal'), // not a call
    call(3.9, 'write'),
    call(4.5, 'close'), // after the last interval
  ];
  return bundleOf({
    samples: buildTable('samples', samples),
    psi: buildTable('psi', psi),
    counters: buildTable('counters', counters),
    syscalls: buildTable('syscalls', syscalls),
  });
}

const values = (a: Float32Array | undefined) => Array.from(a ?? [], (v) => Math.round(v * 1e6) / 1e6);

describe('series from a hand-made bundle', () => {
  const bundle = synthetic();
  const infos = listSeries(bundle);
  const frame = buildSeries(bundle, infos.map((s) => s.id));

  it('uses the samples ticks as the grid', () => {
    expect(Array.from(frame.tNs)).toEqual([1, 2, 3, 4].map((t) => t * S));
    expect(Array.from(frame.intervalNs)).toEqual([0.5, 1, 1, 1].map((t) => t * S));
    expect(frame.intervalS).toBe(1);
  });

  it('turns CPU time into a fraction of one CPU and fills a missing reading forward', () => {
    // 0.5 s of CPU in 0.5 s = 1 CPU; 2 s in 1 s = 2 CPUs; missing user time → the last value; 0.2 s in 1 s.
    expect(values(frame.columns.get(DEFAULT_TARGET))).toEqual([1, 2, 2, 0.2]);
    expect(frame.filled.get(DEFAULT_TARGET)).toBe(1);
    expect(infos.find((s) => s.id === DEFAULT_TARGET)!.coverage).toBe(0.75);
    expect(values(frame.columns.get('group:cpu_system'))).toEqual([0.5, 0.5, 0.5, 0.1]);
    expect(values(frame.columns.get('system:cpu'))).toEqual([1, 1, 1, 1]);
    // A process absent from a tick used no CPU.
    expect(values(frame.columns.get('process:10:cpu'))).toEqual([0.2, 0.1, 0, 0]);
  });

  it('gives memory in MiB (a gauge) and I/O in MiB/s (a delta over the interval)', () => {
    expect(values(frame.columns.get('group:rss'))).toEqual([1, 2, 2, 3]);
    expect(values(frame.columns.get('group:read'))).toEqual([2, 0, 2, 0]);
    expect(infos.find((s) => s.id === 'group:read')!.unit).toBe('MiB/s');
  });

  it('aligns PSI and counters onto the grid', () => {
    expect(values(frame.columns.get('psi:cgroup:cpu:some'))).toEqual([0.1, 0.2, 0.2, 0.4]);
    expect(frame.columns.has('psi:cgroup:cpu:full')).toBe(false); // never reported
    // cycles: (0.5,1] 5 in 0.5 s; (1,2] 5 + 10; (2,3] 10 + 15; (3,4] 15 in the 0.5 s covered.
    expect(values(frame.columns.get('counter:cycles@group'))).toEqual([10, 15, 25, 30]);
  });

  it('counts calls per interval, per name and in total', () => {
    const { names, counts } = syscallCountsPerInterval(bundle, frame);
    expect(names).toEqual(['openat', 'read', 'write']);
    expect(Array.from(counts)).toEqual([2, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 1]);
    expect(values(frame.columns.get('syscalls:total'))).toEqual([2, 2, 0, 1]);
    expect(values(frame.columns.get('syscall:read'))).toEqual([0, 2, 0, 0]);
    expect(frame.columns.has('syscall:close')).toBe(false);
  });

  it('lists families and refuses unknown ids', () => {
    expect(seriesIdsOf(infos, ['psi'])).toEqual(['psi:cgroup:cpu:some']);
    expect(seriesIdsOf(infos, ['syscalls'])).toEqual(['syscalls:total', 'syscall:openat', 'syscall:read', 'syscall:write']);
    expect(() => buildSeries(bundle, ['nope'])).toThrow(/nope/);
    expect(listSeries(bundleOf({}))).toEqual([]);
  });

  it('sums process rows into the group when the bundle has no group scope', () => {
    const rows: Row[] = [];
    for (const [t, len] of ticks) {
      rows.push(sample(t, len, 'process', { pid: 1, cpu_user_s: 0.5 * len, cpu_system_s: 0, rss_bytes: 2 ** 20 }));
      rows.push(sample(t, len, 'process', { pid: 2, cpu_user_s: 0.25 * len, cpu_system_s: 0.25 * len, rss_bytes: 2 ** 21 }));
    }
    const f = buildSeries(bundleOf({ samples: buildTable('samples', rows) }), [DEFAULT_TARGET, 'group:rss']);
    expect(values(f.columns.get(DEFAULT_TARGET))).toEqual([1, 1, 1, 1]);
    expect(values(f.columns.get('group:rss'))).toEqual([3, 3, 3, 3]);
  });
});

const DATASETS = new URL('../../public/datasets/', import.meta.url);
const bundles = new Map<string, Bundle>();
async function load(name: string): Promise<Bundle> {
  let b = bundles.get(name);
  if (!b) {
    const r = await readBundle(new Uint8Array(readFileSync(new URL(name, DATASETS))));
    if (!r.ok) throw new Error(`${name}: ${r.error.kind}`);
    bundles.set(name, (b = r.bundle));
  }
  return b;
}

describe.each(['compression.tlab', 'messaging.tlab', 'sysbench-cpu.tlab'])('series from %s', (name) => {
  it('has CPU usage within [0, cpuCount], equal to the raw table and to the overview', async () => {
    const bundle = await load(name);
    const frame = buildSeries(bundle, [DEFAULT_TARGET]);
    const cpu = frame.columns.get(DEFAULT_TARGET)!;
    const cpuCount = bundle.manifest.host.cpuCount!;
    expect(cpu.length).toBeGreaterThan(20);
    for (const v of cpu) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(cpuCount);
    }
    // Independently: row by row through Arrow's own accessors, the group rows in time order.
    const samples = bundle.tables.samples!;
    const raw: { t: number; cpu: number }[] = [];
    for (let i = 0; i < samples.numRows; i++) {
      const row = samples.get(i)!.toJSON() as Record<string, unknown>;
      if (row.scope !== 'group') continue;
      raw.push({ t: Number(row.ts_ns), cpu: ((row.cpu_user_s as number) + (row.cpu_system_s as number)) / (Number(row.interval_ns) / 1e9) });
    }
    raw.sort((a, b) => a.t - b.t);
    expect(Array.from(frame.tNs)).toEqual(raw.map((r) => r.t));
    raw.forEach((r, i) => expect(cpu[i]).toBeCloseTo(r.cpu, 5));
    // The overview's CPU chart (not downsampled at these lengths) draws the same values.
    const chart = usageSeries(samples, 0).cpu.find((s) => s.id === 'cpu:group')!;
    expect(chart.y.length).toBe(cpu.length);
    chart.y.forEach((v, i) => expect(cpu[i]).toBeCloseTo(v, 5));
  });

  it('counts every syscall row inside the grid span once', async () => {
    const bundle = await load(name);
    const infos = listSeries(bundle);
    const frame = buildSeries(bundle, infos.map((s) => s.id));
    const { names, counts } = syscallCountsPerInterval(bundle, frame);
    // Independently: each syscall row against every interval (start, end].
    const sys = bundle.tables.syscalls!;
    const kind = sys.getChild('kind')!;
    const ts = sys.getChild('ts_ns')!;
    let inside = 0;
    let calls = 0;
    for (let r = 0; r < sys.numRows; r++) {
      if (kind.get(r) !== 'syscall') continue;
      calls++;
      const t = Number(ts.get(r));
      for (let i = 0; i < frame.tNs.length; i++) {
        if (t > frame.tNs[i]! - frame.intervalNs[i]! && t <= frame.tNs[i]!) {
          inside++;
          break;
        }
      }
    }
    // The recordings' calls fall almost all inside the sampled span (strace starts and stops with the tick).
    expect(inside).toBeGreaterThan(0.9 * calls);
    expect(counts.reduce((s, v) => s + v, 0)).toBe(inside);
    expect(frame.columns.get('syscalls:total')!.reduce((s, v) => s + v, 0)).toBe(inside);
    expect(counts.length).toBe(frame.tNs.length * names.length);
    // Every column is complete and every id is unique.
    expect(new Set(infos.map((s) => s.id)).size).toBe(infos.length);
    for (const [id, col] of frame.columns) expect(col.every(Number.isFinite), id).toBe(true);
  });

  it('aligns PSI read on the samples ticks exactly', async () => {
    const bundle = await load(name);
    const frame = buildSeries(bundle, ['psi:cgroup:cpu:some']);
    const psi = bundle.tables.psi!;
    const col = frame.columns.get('psi:cgroup:cpu:some')!;
    const tick = new Map(Array.from(frame.tNs, (t, i) => [t, i]));
    let matched = 0;
    for (let r = 0; r < psi.numRows; r++) {
      const row = psi.get(r)!.toJSON() as Record<string, unknown>;
      if (row.scope !== 'cgroup' || row.resource !== 'cpu' || row.some_fraction === null) continue;
      const i = tick.get(Number(row.ts_ns));
      if (i === undefined) continue;
      expect(col[i]).toBeCloseTo(row.some_fraction as number, 6);
      matched++;
    }
    expect(matched).toBeGreaterThan(0.9 * frame.tNs.length);
  });
});
