import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dictColumn, numberColumn } from '../bundle/columns.ts';
import { completeBundle } from '../bundle/complete.ts';
import { readBundle } from '../bundle/reader.ts';
import { tableToIPC } from 'apache-arrow';
import { buildOverview } from './build-overview.ts';
import { OVERVIEW_COLUMNS } from './columns-read.ts';
import { tableToCsv } from './csv.ts';

const datasets = new URL('../../public/datasets/', import.meta.url);
const demos = readdirSync(datasets).filter((f) => f.endsWith('.tlab'));

describe.each(demos)('overview of %s', (file) => {
  const load = async () => {
    const r = await readBundle(new Uint8Array(readFileSync(new URL(file, datasets))));
    if (!r.ok) throw new Error(r.error.kind);
    return r.bundle;
  };

  it('is the same read with only the columns it reads (OVERVIEW_COLUMNS), whole and zoomed; completing that read gives the whole tables', async () => {
    const whole = await load();
    const r = await readBundle(new Uint8Array(readFileSync(new URL(file, datasets))), { columns: OVERVIEW_COLUMNS });
    if (!r.ok) throw new Error(r.error.kind);
    const part = r.bundle;
    const span = (whole.manifest.workload.endNs - whole.manifest.workload.startNs) / 1e9;
    const zoom = { from: span * 0.3, to: span * 0.45 };
    expect(buildOverview(part)).toEqual(buildOverview(whole));
    expect(buildOverview(part, zoom)).toEqual(buildOverview(whole, zoom));
    const large = Object.entries(whole.manifest.tables).filter(([, e]) => e?.columns);
    if (large.length) {
      // Format 2 keeps large tables column by column: those columns the overview does not read stay compressed.
      expect(part.unread).toBeDefined();
      expect(part.tables.sched?.numCols ?? 4).toBeLessThanOrEqual(4);
    }
    const completed = await completeBundle(part);
    expect(completed.unread).toBeUndefined();
    expect(await completeBundle(part)).toBe(completed);
    for (const [name, t] of Object.entries(whole.tables)) {
      const c = completed.tables[name as keyof typeof completed.tables]!;
      expect(c.schema.fields.map((f) => `${f.name}:${String(f.type)}`), name).toEqual(t!.schema.fields.map((f) => `${f.name}:${String(f.type)}`));
      expect(Buffer.from(tableToIPC(c, 'stream')).equals(Buffer.from(tableToIPC(t!, 'stream'))), name).toBe(true);
    }
  });

  it('counts every system call exactly once, by name and over time', async () => {
    const bundle = await load();
    const o = buildOverview(bundle);
    const t = bundle.tables.syscalls;
    if (!t || t.numRows === 0) return expect(o.syscalls).toBeNull();
    const kind = dictColumn(t, 'kind');
    const calls = Array.from(kind.codes).filter((c) => kind.values[c] === 'syscall').length;
    expect(o.syscalls!.total).toBe(calls);
    const overTime = o.syscalls!.overTime.series.reduce((n, s) => n + s.y.reduce((a, b) => a + b, 0), 0);
    expect(overTime).toBe(calls);
    const top = o.syscalls!.top.map((s) => s.count);
    expect(top).toEqual([...top].sort((a, b) => b - a));
  });

  it('keeps CPU busy shares between 0 and 100% and counts every sched_switch', async () => {
    const bundle = await load();
    const o = buildOverview(bundle);
    const t = bundle.tables.sched;
    if (!t || t.numRows === 0) return expect(o.sched).toBeNull();
    for (const s of o.sched!.busy) for (const y of s.y) expect(y).toBeGreaterThanOrEqual(0), expect(y).toBeLessThanOrEqual(100 + 1e-6);
    const ev = dictColumn(t, 'event');
    const switches = Array.from(ev.codes).filter((c) => ev.values[c] === 'sched_switch').length;
    const counted = o.sched!.switchesPerCpu.series.reduce((n, s) => n + s.y.reduce((a, b) => a + b, 0), 0);
    expect(counted).toBe(switches);
  });

  it('plots group CPU as cores: (user + system) / interval', async () => {
    const bundle = await load();
    const t = bundle.tables.samples;
    if (!t) return;
    const o = buildOverview(bundle);
    const group = o.usage.cpu.find((s) => s.id === 'cpu:group')!;
    const scope = dictColumn(t, 'scope');
    const u = numberColumn(t, 'cpu_user_s');
    const s = numberColumn(t, 'cpu_system_s');
    const iv = numberColumn(t, 'interval_ns');
    const expected = Array.from(scope.codes)
      .map((c, i) => (scope.values[c] === 'group' ? (u[i]! + s[i]!) / (iv[i]! / 1e9) : null))
      .filter((v): v is number => v !== null && !Number.isNaN(v));
    expect(group.sourcePoints).toBeGreaterThan(0);
    if (expected.length <= 1500) expect(Array.from(group.y)).toEqual(expected);
  });

  it('exports each table as CSV with one line per row', async () => {
    const bundle = await load();
    for (const t of Object.values(bundle.tables)) {
      const text = [...tableToCsv(t!, 1000)].join('');
      expect(text.trimEnd().split('\n').length).toBe(t!.numRows + 1);
    }
  });
});
