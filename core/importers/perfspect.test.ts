import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PerfSpectSummaryParser, unitOf } from './perfspect.ts';
import { countBy, feed, insertLines, rowsOf } from './testing/parse-helpers.ts';

const dir = new URL('../../fixtures/perfspect/', import.meta.url);
const bytes = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));

async function parse(data: Uint8Array, chunkBytes?: number) {
  const p = new PerfSpectSummaryParser();
  await feed(p, data, chunkBytes);
  const r = p.finish();
  return { ...r, rows: rowsOf(r.table) };
}

// The time series (1.x metric_out*.csv, 3.x TS,SKT,CPU,CID,...) are read by perfspect-series.ts; see its test.

// Per file: `grep -c '^metric_' FILE` metrics (CLX 41, ICX 69, the files have CRLF line ends), and
// `grep '^metric_' FILE | cut -d, -f1 | grep -c %` of them have a "%" in the name (CLX 12, ICX 43).
const FILES: [name: string, metrics: number, percent: number][] = [
  ['CLX-500.csv', 41, 12],
  ['CLX-502.csv', 41, 12],
  ['CLX-505.csv', 41, 12],
  ['ICX-500.csv', 69, 43],
  ['ICX-502.csv', 69, 43],
  ['ICX-505.csv', 69, 43],
];

describe('PerfSpect 1.x summary CSV (SPEC CPU2017 reference runs from PerfSpect\'s similarity analyzer)', () => {
  for (const [file, metrics, percent] of FILES) {
    it(`${file}: one counters row per metric and statistic`, async () => {
      const r = await parse(bytes(file));
      expect(r.problems).toEqual([]);
      expect(r.statistics).toEqual(['avg', 'p95', 'min', 'max']);
      expect(r.metrics).toHaveLength(metrics);
      expect(r.table.numRows).toBe(metrics * 4);
      expect(countBy(r.rows, 'scope')).toEqual({ avg: metrics, p95: metrics, min: metrics, max: metrics });
      expect(r.rows.filter((x) => x.unit === '%').length).toBe(percent * 4);
      expect(r.rows.every((x) => x.ts_ns === 0 && x.interval_ns === 0 && x.running_fraction === null && typeof x.value === 'number')).toBe(true);
      expect(r.metrics[0]).toBe('CPU operating frequency (in GHz)');
    });
  }

  it('CLX-500.csv: values and units as written', async () => {
    const r = await parse(bytes('CLX-500.csv'));
    const row = (event: string, scope: string) => r.rows.find((x) => x.event === event && x.scope === scope);
    // Line 5: "metric_CPI,0.8932584687116566,1.06941018,0.76654094,1.07056462"
    expect(row('CPI', 'avg')).toEqual({ ts_ns: 0, interval_ns: 0, event: 'CPI', value: 0.8932584687116566, unit: null, scope: 'avg', running_fraction: null });
    expect(row('CPI', 'max')!.value).toBe(1.07056462);
    // Line 28: "metric_package power (watts),403.60462576687104,409.4416,116.522,409.676"
    expect(row('package power (watts)', 'p95')).toMatchObject({ value: 409.4416, unit: 'watts' });
    // Line 35: "metric_memory bandwidth total (MB/sec),26060.452449609813,49186.86782336,181.6748672,52752.5709568"
    expect(row('memory bandwidth total (MB/sec)', 'min')).toMatchObject({ value: 181.6748672, unit: 'MB/sec' });
    // Line 42 (last): "metric_TMAM_Retiring(%),53.09104189092021,59.194136742,44.02383899,60.89329328"
    expect(r.rows.at(-1)).toMatchObject({ event: 'TMAM_Retiring(%)', scope: 'max', value: 60.89329328, unit: '%' });
  });

  it('reads units from the metric names', () => {
    expect(unitOf('CPU operating frequency (in GHz)')).toBe('GHz');
    expect(unitOf('uncore frequency GHz')).toBe('GHz');
    expect(unitOf('Average LLC data read miss latency (in clks)')).toBe('clks');
    expect(unitOf('Average LLC data read miss latency (in ns)')).toBe('ns');
    expect(unitOf('UPI Data transmit BW (MB/sec) (only data)')).toBe('MB/sec');
    expect(unitOf('CPU utilization% in kernel mode')).toBe('%');
    expect(unitOf('NUMA %_Reads addressed to local DRAM')).toBe('%');
    expect(unitOf('giga_instructions_per_sec')).toBeNull();
    expect(unitOf('L2 MPI (includes code+data+rfo w/ prefetches)')).toBeNull();
  });

  it('gives the same table in 7-byte chunks', async () => {
    expect((await parse(bytes('ICX-502.csv'), 7)).rows).toEqual((await parse(bytes('ICX-502.csv'))).rows);
  });

  it('reports garbage lines by number and keeps the rest', async () => {
    const r = await parse(insertLines(bytes('CLX-505.csv'), [[3, 'Traceback (most recent call last):'], [10, 'metric_CPI,abc,1,2,3'], [20, 'metric_IPC,1,2']]));
    expect(r.problems.map((p) => p.line)).toEqual([3, 10, 20]);
    expect(r.problems[0]!.reason).toMatch(/not a PerfSpect summary row/);
    expect(r.problems[1]!.reason).toMatch(/value is not a number/);
    expect(r.problems[2]!.reason).toMatch(/3 fields where the header has 5/);
    expect(r.table.numRows).toBe(164);
  });

  it('refuses rows before the header', async () => {
    const r = await parse(new TextEncoder().encode('metric_CPI,1,2,3,4\n'));
    expect(r.problems[0]).toMatchObject({ line: 1, reason: expect.stringMatching(/header "metrics,avg,p95,min,max"/) });
  });
});
