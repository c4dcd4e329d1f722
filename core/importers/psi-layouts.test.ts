import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importCapture } from './capture-to-bundle.ts';
import { detectTextFormat } from './detect.ts';
import { PsiSnapshotParser } from './psi.ts';
import { countBy, feed, rowsOf } from './testing/parse-helpers.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/psi/${name}`, import.meta.url)));

async function parse(name: string) {
  const p = new PsiSnapshotParser();
  await feed(p, fixture(name));
  const r = p.finish();
  return { ...r, rows: rowsOf(r.table) };
}

describe('PSI logs with a "TIME PATH" header per read', () => {
  it('two cgroups and /proc/pressure: every reading is a row at its own time, the cgroups stay apart', async () => {
    const r = await parse('psi-header-per-read-2cgroups.txt');
    expect(r.problems).toEqual([]);
    // 75 lines = 25 reads of 3 lines (5 rounds x 5 files): one row per read.
    expect(r.table.numRows).toBe(25);
    expect(r.timeStyle).toBe('epoch');
    expect(r.firstTimestamp).toEqual({ sec: 1796405157, nsec: 898245133 });
    expect(r.cgroups).toEqual(['/sys/fs/cgroup/unified/tlab-imp-a', '/sys/fs/cgroup/unified/tlab-imp-b']);
    expect(countBy(r.rows, 'scope')).toEqual({ system: 5, 'cgroup:/sys/fs/cgroup/unified/tlab-imp-a': 10, 'cgroup:/sys/fs/cgroup/unified/tlab-imp-b': 10 });
    expect(countBy(r.rows, 'resource')).toEqual({ cpu: 15, io: 10 });
    const a = r.rows.filter((x) => x.scope === 'cgroup:/sys/fs/cgroup/unified/tlab-imp-a' && x.resource === 'cpu');
    // Second read of tlab-imp-a/cpu.pressure: 1796405159.252029086 - 1796405158.035798300 = 1.216230786 s (exact
    // decimal subtraction) after the first; some total
    // 263500 -> 1131507 us: (1131507 - 263500) / 1216230.786 = 0.713686.
    // 1796405158.035798300 - 1796405157.898245133
    expect(a[0]!.ts_ns).toBe(137_553_167);
    expect(a[1]!.interval_ns).toBe(1_216_230_786);
    expect(a[1]!.some_fraction).toBeCloseTo(0.713686, 5);
    const ts = r.rows.map((x) => x.ts_ns as number);
    expect([...ts].sort((x, y) => x - y)).toEqual(ts);
    expect(r.outOfOrder).toBe(0);
  });

  it('dates without a zone: one row per read, times one second apart, not tied to UTC', async () => {
    const r = await parse('psi-header-per-read-datetime.txt');
    expect(r.problems).toEqual([]);
    expect(r.table.numRows).toBe(6);
    expect(r.timeStyle).toBe('local-date');
    expect(r.rows.map((x) => x.ts_ns)).toEqual([0, 0, 1e9, 1e9, 2e9, 2e9]);
    // cpu some total 2490070210 -> 2490075677 over 1 s.
    expect(r.rows[2]!.some_fraction).toBeCloseTo(5467 / 1e6, 9);
    expect(countBy(r.rows, 'scope')).toEqual({ system: 6 });
  });

  it('one cgroup keeps the scope "cgroup" the recorder writes', async () => {
    const r = await parse('psi-cgroup-loop.txt');
    expect(r.cgroups).toEqual(['/sys/fs/cgroup/unified/tlab-psi']);
    expect(Object.keys(countBy(r.rows, 'scope')).sort()).toEqual(['cgroup', 'system']);
  });

  it('is detected as PSI and imported with a note naming the scopes, clock on wall time', async () => {
    const bytes = fixture('psi-header-per-read-2cgroups.txt');
    expect(detectTextFormat(new TextDecoder().decode(bytes)).format).toBe('psi');
    const { bundle, report } = await importCapture('psi-header-per-read-2cgroups.txt', bytes);
    expect(report.rows).toBe(25);
    expect(report.notes.join(' ')).toContain('"cgroup:/sys/fs/cgroup/unified/tlab-imp-b"');
    expect(bundle.manifest.clock.originUnixNs).toBe('1796405157898245133');
  });
});
