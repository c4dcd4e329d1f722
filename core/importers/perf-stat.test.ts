import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PerfStatParser, type PerfStatOptions } from './perf-stat.ts';
import { countBy, feed, insertLines, rowsOf } from './testing/parse-helpers.ts';

const dir = new URL('../../fixtures/perf-stat/', import.meta.url);
const bytes = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));

async function parse(data: Uint8Array, options?: PerfStatOptions, chunkBytes?: number) {
  const p = new PerfStatParser(options);
  await feed(p, data, chunkBytes);
  const r = p.finish();
  return { ...r, rows: rowsOf(r.table) };
}

const EVENTS = ['task-clock', 'context-switches', 'cpu-migrations', 'page-faults'];

describe('perf stat -x, -I 100 (stress-ng --cpu 2)', () => {
  const file = 'perf-stat-I100.csv';

  it('reads one row per event per interval, with perf\'s own values', async () => {
    const r = await parse(bytes(file), { offsetNs: 5_000_000 });
    expect(r.problems).toEqual([]);
    expect(r.events).toEqual(EVENTS);
    expect(r.notSupported).toEqual([]);
    // 45 non-blank lines - the "# started on" comment = 44 records, 11 intervals of 4 events.
    expect(r.table.numRows).toBe(44);
    // "0.103836948,162.06,msec,task-clock,162055049,100.00,1.621,CPUs utilized"
    expect(r.rows[0]).toEqual({ ts_ns: 108_836_948, interval_ns: 103_836_948, event: 'task-clock', value: 162.06, unit: 'msec', scope: 'group', running_fraction: 1 });
    // "0.204125372,8,,context-switches,..." : interval = 0.204125372 - 0.103836948
    expect(r.rows[5]).toMatchObject({ ts_ns: 209_125_372, interval_ns: 100_288_424, event: 'context-switches', value: 8, unit: null });
    // "1.033940364,81,,page-faults,..."
    expect(r.rows.at(-1)).toMatchObject({ ts_ns: 1_038_940_364, event: 'page-faults', value: 81 });
  });

  it('gives the same table in 7-byte chunks', async () => {
    expect((await parse(bytes(file), undefined, 7)).rows).toEqual((await parse(bytes(file))).rows);
  });

  it('reports garbage lines by number and keeps the rest', async () => {
    const r = await parse(insertLines(bytes(file), [[4, 'Error: No permission to enable task-clock event.'], [20, '     0.304340178,abc,,page-faults,200255631,100.00,,']]));
    expect(r.problems.map((p) => p.line)).toEqual([4, 20]);
    expect(r.problems[1]!.reason).toMatch(/value is not a number/);
    expect(r.table.numRows).toBe(44);
  });
});

describe('perf stat -x, totals (hackbench, cycles not supported in this VM)', () => {
  it('gives ts 0 and the caller\'s interval, and lists unsupported events', async () => {
    const r = await parse(bytes('perf-stat-totals.csv'), { intervalNs: 250_000_000, scope: 'pid:42' });
    expect(r.problems).toEqual([]);
    expect(r.events).toEqual(EVENTS);
    // "<not supported>,,cycles,0,100.00,,"
    expect(r.notSupported).toEqual(['cycles']);
    expect(r.rows).toEqual([
      { ts_ns: 0, interval_ns: 250_000_000, event: 'task-clock', value: 62.79, unit: 'msec', scope: 'pid:42', running_fraction: 1 },
      { ts_ns: 0, interval_ns: 250_000_000, event: 'context-switches', value: 1295, unit: null, scope: 'pid:42', running_fraction: 1 },
      { ts_ns: 0, interval_ns: 250_000_000, event: 'cpu-migrations', value: 41, unit: null, scope: 'pid:42', running_fraction: 1 },
      { ts_ns: 0, interval_ns: 250_000_000, event: 'page-faults', value: 2241, unit: null, scope: 'pid:42', running_fraction: 1 },
    ]);
  });

  it('detects another separator (-x";")', async () => {
    const r = await parse(bytes('perf-stat-semicolon.csv'));
    expect(r.problems).toEqual([]);
    // "0.98;msec;task-clock;975159;100.00;0.616;CPUs utilized" ... "99;;page-faults;..."
    expect(r.rows.map((x) => [x.event, x.value, x.interval_ns])).toEqual([['task-clock', 0.98, 0], ['context-switches', 0, 0], ['cpu-migrations', 0, 0], ['page-faults', 99, 0]]);
  });
});

describe('perf stat -x, -a -A -I 200 (per CPU)', () => {
  it('scopes rows by CPU', async () => {
    const r = await parse(bytes('perf-stat-a-A-I200.csv'));
    expect(r.problems).toEqual([]);
    // grep -c CPU0 / grep -c CPU1: 6 intervals of 4 events each
    expect(countBy(r.rows, 'scope')).toEqual({ cpu0: 24, cpu1: 24 });
    // "0.200267437,CPU1,26,,context-switches,200379863,100.00,129.753,/sec"
    expect(r.rows[3]).toMatchObject({ ts_ns: 200_267_437, scope: 'cpu1', event: 'context-switches', value: 26 });
    // "1.011397965,CPU1,59,,page-faults,..."
    expect(r.rows.at(-1)).toMatchObject({ ts_ns: 1_011_397_965, scope: 'cpu1', event: 'page-faults', value: 59 });
  });
});

describe('perf stat -x, -a -G tlab -I 250 (cgroup field)', () => {
  it('uses the cgroup as scope', async () => {
    const r = await parse(bytes('perf-stat-G-cgroup.csv'));
    expect(r.problems).toEqual([]);
    expect(r.events).toEqual(['task-clock', 'context-switches']);
    expect(r.rows.every((x) => x.scope === 'tlab')).toBe(true);
    // "0.500811588,253.43,msec,task-clock,tlab,253433424,100.00,1.014,CPUs utilized"
    expect(r.rows[2]).toEqual({ ts_ns: 500_811_588, interval_ns: 250_475_384, event: 'task-clock', value: 253.43, unit: 'msec', scope: 'tlab', running_fraction: 1 });
  });
});
