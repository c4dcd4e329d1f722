import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PsiSnapshotParser, type PsiSnapshotOptions } from './psi.ts';
import { countBy, feed, insertLines, rowsOf } from './testing/parse-helpers.ts';

const dir = new URL('../../fixtures/psi/', import.meta.url);
const bytes = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));

async function parse(data: Uint8Array, options?: PsiSnapshotOptions, chunkBytes?: number) {
  const p = new PsiSnapshotParser(options);
  await feed(p, data, chunkBytes);
  const r = p.finish();
  return { ...r, rows: rowsOf(r.table) };
}

// Expected fractions: (total - previous total) µs * 1000 / interval ns, with the interval taken exactly from the
// nine-digit `date +%s.%N` lines (awk's doubles lose the last digits of an epoch time, so the subtraction of
// the fractions was done by hand) and the totals from `grep -A2 "== FILE"`.

describe('snapshot loop over /proc/pressure/* (stress-ng --cpu 2 --io 1)', () => {
  const file = 'psi-proc-pressure-loop.txt';

  it('gives one row per file per snapshot, with totals, avg10 and interval fractions', async () => {
    const r = await parse(bytes(file));
    expect(r.problems).toEqual([]);
    // grep -c '^[0-9]*\.[0-9]*$' = 5 snapshots; grep -c '^some' = 15 readings
    expect(r.snapshots).toBe(5);
    expect(r.table.numRows).toBe(15);
    expect(countBy(r.rows, 'resource')).toEqual({ cpu: 5, io: 5, memory: 5 });
    expect(r.rows.every((x) => x.scope === 'system')).toBe(true);
    expect(r.timeStyle).toBe('epoch');
    expect(r.firstTimestamp).toEqual({ sec: 1795333736, nsec: 243995281 });
    expect(r.files).toEqual(['/proc/pressure/cpu', '/proc/pressure/io', '/proc/pressure/memory']);
    // First snapshot: "some avg10=2.38 avg60=2.53 avg300=8.60 total=503314897" / "full ... total=0"
    expect(r.rows[0]).toEqual({
      ts_ns: 0, interval_ns: 0, scope: 'system', resource: 'cpu', some_fraction: null, full_fraction: null,
      some_total_us: 503314897, full_total_us: 0, some_avg10: 2.38, full_avg10: 0,
    });
    // Second snapshot at 1795333737.264433587: 1.020438306 s later. cpu some total 503674347 (+359450 µs);
    // io some 11855809 -> 12087703 (+231894 µs).
    const cpu2 = r.rows[3]!;
    expect(cpu2).toMatchObject({ ts_ns: 1_020_438_306, interval_ns: 1_020_438_306, resource: 'cpu', some_total_us: 503674347, full_fraction: 0 });
    expect(cpu2.some_fraction).toBeCloseTo(359450_000 / 1_020_438_306, 12);
    expect(cpu2.some_fraction).toBeCloseTo(0.35225, 5);
    expect(r.rows[4]!.some_fraction).toBeCloseTo(0.227249, 5);
    // Memory never stalled: every fraction after the first snapshot is 0.
    expect(r.rows.filter((x) => x.resource === 'memory').map((x) => x.some_fraction)).toEqual([null, 0, 0, 0, 0]);
  });

  it('gives the same table in 7-byte chunks', async () => {
    expect((await parse(bytes(file), undefined, 7)).rows).toEqual((await parse(bytes(file))).rows);
  });

  it('reports garbage lines by number and keeps the rest', async () => {
    const r = await parse(insertLines(bytes(file), [[3, 'cat: /proc/pressure/irq: No such file or directory'], [20, 'some avg10=0.00 avg60=0.00 total=1']]));
    expect(r.problems.map((p) => p.line)).toEqual([3, 20]);
    expect(r.problems[0]!.reason).toMatch(/not a pressure snapshot line/);
    expect(r.table.numRows).toBe(15);
  });
});

describe('snapshot loop over /proc/pressure/cpu and a cgroup\'s *.pressure, every 0.5 s', () => {
  const file = 'psi-cgroup-loop.txt';

  it('scopes cgroup files as "cgroup" and skips cgroup.pressure\'s "1"', async () => {
    const r = await parse(bytes(file));
    expect(r.problems).toEqual([]);
    // 6 time lines; per snapshot 4 pressure files (cgroup.pressure, grep -c = 6, is not one)
    expect(r.snapshots).toBe(6);
    expect(r.table.numRows).toBe(24);
    expect(countBy(r.rows, 'scope')).toEqual({ system: 6, cgroup: 18 });
    // Snapshot 2 (1795333748.876025658, 0.531412148 s after 1795333748.344613510):
    // tlab-psi/cpu.pressure some 482565 -> 935254 (+452689), full 52777 -> 113080 (+60303)
    const cg = r.rows.find((x) => x.scope === 'cgroup' && x.resource === 'cpu' && x.interval_ns !== 0)!;
    expect(cg).toMatchObject({ ts_ns: 531_412_148, interval_ns: 531_412_148, some_total_us: 935254, full_total_us: 113080 });
    expect(cg.some_fraction).toBeCloseTo(0.851861, 5);
    expect(cg.full_fraction).toBeCloseTo(0.113477, 5);
  });
});

describe('a single snapshot without time lines', () => {
  it('tail -n +1 /proc/pressure/*: resources from the "==> FILE <==" headers, no fractions', async () => {
    const r = await parse(bytes('psi-tail-n1.txt'));
    expect(r.problems).toEqual([]);
    expect(r.timeStyle).toBe('none');
    expect(r.rows.map((x) => [x.resource, x.some_total_us, x.some_avg10])).toEqual([
      ['cpu', 505726699, 14.93],
      ['io', 12691581, 4.57],
      ['memory', 0, 0],
    ]);
    expect(r.rows.every((x) => x.ts_ns === 0 && x.interval_ns === 0 && x.some_fraction === null)).toBe(true);
  });

  it('a bare `cat /proc/pressure/io`: one reading of unknown resource, or the caller\'s', async () => {
    const r = await parse(bytes('psi-cat-io.txt'));
    expect(r.problems).toEqual([]);
    expect(r.unnamedReadings).toBe(1);
    // "some avg10=4.57 avg60=1.47 avg300=0.37 total=12691581" / "full avg10=0.00 avg60=0.00 avg300=0.00 total=6690535"
    expect(r.rows).toEqual([
      { ts_ns: 0, interval_ns: 0, scope: 'system', resource: 'unknown', some_fraction: null, full_fraction: null, some_total_us: 12691581, full_total_us: 6690535, some_avg10: 4.57, full_avg10: 0 },
    ]);
    expect((await parse(bytes('psi-cat-io.txt'), { resource: 'io' })).rows[0]!.resource).toBe('io');
  });

  it('refuses a second unnamed reading in one snapshot (cat of several files without headers)', async () => {
    const text = new TextDecoder().decode(bytes('psi-tail-n1.txt')).split('\n').filter((l) => !l.startsWith('==>')).join('\n');
    const r = await parse(new TextEncoder().encode(text));
    expect(r.table.numRows).toBe(1);
    // Lines 4, 5 (io) and 7, 8 (memory) of the file without its headers and blank lines in between.
    expect(r.problems.map((p) => p.line)).toEqual([4, 5, 7, 8]);
    expect(r.problems[0]!.reason).toMatch(/no "== FILE" header/);
  });
});
