import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dictColumn, numberColumn } from '../bundle/columns.ts';
import { readBundle } from '../bundle/reader.ts';
import { writeBundle } from '../bundle/writer.ts';
import { importCapture } from './capture-to-bundle.ts';
import { ImportError } from './errors.ts';
import { detectTextFormat } from './registry.ts';

const text = (p: string) => readFileSync(new URL(`../../fixtures/${p}`, import.meta.url), 'utf8');
const bytes = (t: string) => new TextEncoder().encode(t);
const AZURE = 'csv/azure-v2-vm-cpu-readings-aggregated-first200.csv';
const PSI = 'csv/psi-loop.csv';
const SADF = 'csv/sadf-d-cpu.csv';
const ALIBABA = 'csv/alibaba2018-machine-usage-day1-300s.csv';
const GOOGLE = 'csv/google2019-instance-usage-day01-300s.csv';

/** The file's numbers, read here by splitting lines: column name -> values in file order. */
function columnsOfFile(t: string): Map<string, number[]> {
  const [header, ...rows] = t.trimEnd().split('\n');
  const names = header!.split(',');
  const out = new Map(names.map((n) => [n, [] as number[]]));
  for (const r of rows) r.split(',').forEach((v, i) => out.get(names[i]!)!.push(Number(v)));
  return out;
}

async function refusal(name: string, t: string, options = {}): Promise<ImportError> {
  const e = await importCapture(name, bytes(t), options).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(ImportError);
  return e as ImportError;
}

describe('time-series CSV: three public layouts, recognised by content', () => {
  it('detects each as csv, and no specific format claims them', () => {
    for (const f of [AZURE, PSI, SADF]) expect(detectTextFormat(text(f)).format, f).toBe('csv');
  });

  it('Azure V2 aggregated readings: time in seconds from the trace start, two series to counters', async () => {
    const { bundle, report } = await importCapture('azure.csv', bytes(text(AZURE)), { chunkBytes: 97 });
    expect(report.format).toBe('csv');
    expect(report.rows).toBe(400);
    const c = bundle.tables.counters!;
    const ts = numberColumn(c, 'ts_ns');
    const value = numberColumn(c, 'value');
    const event = dictColumn(c, 'event');
    // Row 1 of the file: 0,6135515.87712279,2002296.0; the 200th: 59700 s.
    expect(event.values[event.codes[0]!]).toBe('cpu_usage');
    expect(value[0]).toBe(6135515.87712279);
    expect(value[1]).toBe(2002296);
    expect(ts[399]).toBe(199 * 300e9);
    expect(numberColumn(c, 'interval_ns')[2]).toBe(300e9);
    expect(bundle.manifest.clock).toEqual({ domain: 'unknown', unit: 'ns', originUnixNs: null });
    expect(bundle.manifest.workload.endNs).toBe(199 * 300e9);
    expect(dictColumn(c, 'scope').values).toEqual(['csv']);
  });

  it('a PSI log as CSV: pressure columns go to the psi table, with stall fractions from the totals and the Unix clock exact to the ns', async () => {
    const { bundle } = await importCapture('psi-loop.csv', bytes(text(PSI)));
    expect(Object.keys(bundle.tables)).toEqual(['psi']);
    const p = bundle.tables.psi!;
    expect(p.numRows).toBe(12);
    expect(bundle.manifest.clock.originUnixNs).toBe('1796406115275415677');
    const resource = dictColumn(p, 'resource');
    expect([0, 1].map((i) => resource.values[resource.codes[i]!])).toEqual(['cpu', 'io']);
    expect(numberColumn(p, 'some_avg10')[0]).toBe(81.65);
    expect(numberColumn(p, 'some_total_us')[0]).toBe(3028768463);
    expect(numberColumn(p, 'some_fraction')[0]).toBeNaN(); // no total before the first row
    // Row 2: cpu some total went 3028768463 -> 3029317663 µs in 1796406116.024849932 - 1796406115.275415677 s.
    expect(numberColumn(p, 'ts_ns')[2]).toBe(749434255);
    expect(numberColumn(p, 'some_fraction')[2]).toBeCloseTo((549200 * 1000) / 749434255, 12);
    expect(numberColumn(p, 'full_fraction')[3]).toBe(0); // io full total unchanged (24454212)
    expect(numberColumn(p, 'full_avg10')[3]).toBe(0.23);
  });

  it('sadf -d (semicolons, the header in a "# " comment, ISO dates with UTC): text columns skipped and said', async () => {
    const { bundle, report } = await importCapture('sadf.csv', bytes(text(SADF)));
    expect(report.rows).toBe(7 * 8);
    expect(bundle.manifest.clock.originUnixNs).toBe(String(BigInt(Date.UTC(2026, 11, 4, 18, 16, 23)) * 1_000_000n));
    const c = bundle.tables.counters!;
    const event = dictColumn(c, 'event');
    const userRows = [...event.codes].map((k, i) => [event.values[k], i] as const).filter(([e]) => e === '%user').map(([, i]) => i);
    expect(userRows.map((i) => numberColumn(c, 'value')[i])).toEqual([75.76, 99.5, 100, 59.8, 49.75, 50.25, 49.75]);
    expect(numberColumn(c, 'ts_ns')[userRows[6]!]).toBe(6e9);
    expect(report.notes.join(' ')).toMatch(/Columns not imported: "hostname" \(text \("vm"\)\)/);
  });

  it('round trip: the bundle writes and reads back with the same rows', async () => {
    const { bundle } = await importCapture('sadf.csv', bytes(text(SADF)));
    const back = await readBundle(writeBundle({ manifest: bundle.manifest, tables: bundle.tables, raw: [] }));
    expect(back.ok).toBe(true);
    if (back.ok) expect(back.bundle.tables.counters!.numRows).toBe(56);
  });
});

describe('time-series CSV: public cluster datasets with no time column, rows evenly spaced (--interval)', () => {
  for (const [file, name, rows, columns] of [
    [ALIBABA, 'Alibaba 2018 machine usage, a day at 300 s', 289, ['cpu_util_percent', 'mem_util_percent', 'net_in', 'net_out', 'disk_io_percent']],
    [GOOGLE, 'Google 2019 instance usage, a day at 300 s', 288, ['avg_cpu', 'avg_mem', 'avg_assigned_mem', 'avg_cycles_per_instruction']],
  ] as const) {
    it(`${name}: refused without a mapping, saying --interval; with --interval 300 every value at row × 300 s`, async () => {
      const t = text(file);
      expect(detectTextFormat(t).format).toBe('csv');
      const e = await refusal('cluster.csv', t);
      expect(e.message).toMatch(/no time column/);
      expect(e.message).toMatch(/--interval SECONDS/);

      const { bundle, report } = await importCapture('cluster.csv', bytes(t), { format: 'csv', csv: { rowIntervalS: 300 } });
      expect(report.rows).toBe(rows * columns.length);
      expect(report.problemCount).toBe(0);
      expect(report.notes.join(' ')).toMatch(/No time column: rows 300 s apart/);
      expect(bundle.manifest.clock).toEqual({ domain: 'unknown', unit: 'ns', originUnixNs: null });
      expect(bundle.manifest.workload.endNs).toBe((rows - 1) * 300e9);
      const c = bundle.tables.counters!;
      const ts = numberColumn(c, 'ts_ns');
      const interval = numberColumn(c, 'interval_ns');
      const value = numberColumn(c, 'value');
      const event = dictColumn(c, 'event');
      const want = columnsOfFile(t);
      expect([...event.values].sort()).toEqual([...columns].sort());
      for (const col of columns) {
        const idx = [...event.codes.keys()].filter((i) => event.values[event.codes[i]!] === col);
        expect(idx.map((i) => value[i]), col).toEqual(want.get(col));
        expect(idx.map((i) => ts[i]), col).toEqual(Array.from({ length: rows }, (_, k) => k * 300e9));
        expect(idx.slice(1).map((i) => interval[i]), col).toEqual(Array(rows - 1).fill(300e9));
      }
    });
  }

  it('a damaged row keeps its place: the rows after it are not moved up a step', async () => {
    const lines = text(ALIBABA).split('\n');
    lines[11] = lines[11]!.split(',').slice(0, 3).join(',');
    const { bundle, report } = await importCapture('cluster.csv', bytes(lines.join('\n')), { format: 'csv', csv: { rowIntervalS: 300, series: ['cpu_util_percent'] } });
    expect(report.problemCount).toBe(1);
    expect(report.problems[0]).toMatchObject({ line: 12 });
    const ts = numberColumn(bundle.tables.counters!, 'ts_ns');
    expect(ts.length).toBe(288);
    expect(ts[9]).toBe(9 * 300e9);
    expect(ts[10]).toBe(11 * 300e9);
  });

  it('an interval with --time, or one that is not a positive number, is refused in words', async () => {
    const t = text(ALIBABA);
    expect((await refusal('c.csv', t, { format: 'csv', csv: { rowIntervalS: 300, time: 'net_in' } })).message).toMatch(/no time column; it cannot go with --time/);
    for (const bad of [0, -5, Number.NaN, 1e-12]) {
      expect((await refusal('c.csv', t, { format: 'csv', csv: { rowIntervalS: bad } })).message, String(bad)).toMatch(/row interval must be a number of seconds/);
    }
  });
});

describe('time-series CSV: a mapping names the columns', () => {
  it('--unit ms reads the same numbers as milliseconds; --series keeps only the named columns', async () => {
    const { bundle } = await importCapture('azure.csv', bytes(text(AZURE)), { format: 'csv', csv: { time: 'timestamp', unit: 'ms', series: ['assigned_mem'] } });
    const c = bundle.tables.counters!;
    expect(c.numRows).toBe(200);
    expect(dictColumn(c, 'event').values).toEqual(['assigned_mem']);
    expect(numberColumn(c, 'ts_ns')[199]).toBe(199 * 300e6);
  });

  it('rows out of order are sorted, counted and said; the table is the same as the sorted file', async () => {
    const [header, ...rows] = text(AZURE).trimEnd().split('\n');
    const shuffled = [header, ...rows.slice(100), ...rows.slice(0, 100)].join('\n') + '\n';
    const a = await importCapture('a.csv', bytes(text(AZURE)));
    const b = await importCapture('b.csv', bytes(shuffled));
    expect(b.report.notes.join(' ')).toMatch(/1 rows were earlier than the row before them; rows are sorted by time/);
    expect([...numberColumn(b.bundle.tables.counters!, 'ts_ns')]).toEqual([...numberColumn(a.bundle.tables.counters!, 'ts_ns')]);
    expect([...numberColumn(b.bundle.tables.counters!, 'value')]).toEqual([...numberColumn(a.bundle.tables.counters!, 'value')]);
  });
});

describe('time-series CSV: refusals say what was found and what to do', () => {
  it('no time column: Azure without its timestamp', async () => {
    const t = text(AZURE).split('\n').map((l) => l.split(',').slice(1).join(',')).join('\n');
    const e = await refusal('no-time.csv', t);
    expect(e.kind).toBe('csv-layout');
    expect(e.message).toMatch(/^no-time\.csv: no time column: the first column "cpu_usage" holds neither ISO dates nor rising numbers in the first 64 rows\. Name it with --time COLUMN --unit s\|ms\|us\|ns/);
  });

  it('nothing numeric besides the time: sadf with only hostname and timestamp', async () => {
    const t = text(SADF).split('\n').map((l) => l.split(';').slice(0, 3).filter((_, i) => i !== 1).join(';')).join('\n');
    const e = await refusal('text.csv', t, { format: 'csv' });
    expect(e.kind).toBe('csv-layout');
    expect(e.message).toMatch(/no numeric column besides the time column "timestamp" in the first 7 rows \("hostname": text \("vm"\)\)/);
  });

  it('a named column the header does not have', async () => {
    const e = await refusal('psi.csv', text(PSI), { format: 'csv', csv: { time: 'time' } });
    expect(e.message).toMatch(/^psi\.csv: no column "time" in the header \(line 1\); it has "timestamp", "cpu_some_avg10"/);
  });

  it('damaged rows are bad lines with their line numbers and reasons; the others are kept', async () => {
    const lines = text(AZURE).split('\n');
    lines[5] = '1200,6039484.11,2006620.0,extra';
    lines[9] = 'yesterday,1,2';
    const { report } = await importCapture('damaged.csv', bytes(lines.join('\n')));
    expect(report.problemCount).toBe(2);
    expect(report.problems.map((p) => [p.line, p.reason])).toEqual([
      [6, '4 fields where the header (line 1) has 3'],
      [10, 'the time "yesterday" is not a number of s'],
    ]);
    expect(report.rows).toBe(2 * 198);
  });
});
