import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { numberColumn } from '../bundle/columns.ts';
import { importCapture } from './capture-to-bundle.ts';

const fixture = (p: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${p}`, import.meta.url)));

async function both(good: string, damaged: string) {
  const a = await importCapture(good, fixture(good));
  const b = await importCapture(damaged, fixture(damaged));
  return { good: numberColumn(a.bundle.tables.sched!, 'ts_ns'), bad: numberColumn(b.bundle.tables.sched!, 'ts_ns'), report: b.report, bundle: b.bundle };
}

const sorted = (ts: Float64Array) => ts.every((t, i) => i === 0 || t >= ts[i - 1]!);

describe('out-of-order trace timestamps are counted, reported and sorted', () => {
  it('ftrace: a first event 20008 s late does not put the rest at -20008 s', async () => {
    // Line 13 of tracefs-hackbench.txt, 4760.224665 -> 24768.224665 (see fixtures/SOURCES.md).
    const { good, bad, report, bundle } = await both('ftrace/tracefs-hackbench.txt', 'ftrace/tracefs-hackbench-damaged-time.txt');
    expect(bad.length).toBe(good.length);
    expect(sorted(bad)).toBe(true);
    expect(Math.min(...bad)).toBe(0);
    // The damaged event is last: 24768.224665 - 4760.224685 (line 14, the earliest real event, is time 0).
    expect(bad[bad.length - 1]).toBe(24768.224665e9 - 4760.224685e9);
    expect(report.notes.join(' ')).toMatch(/Timestamps go back once from one line to the next \(first at line 14, largest step back 20007\.999980 s\).*rows are sorted by time/);
    expect(bundle.manifest.sources.sched!.settings).toMatchObject({ outOfOrder: 1 });
  });

  it('perf sched script: an event 297 s early is sorted to the front, none is negative', async () => {
    // Line 100 of perf-sched-script-messaging.txt, 6937.508452 -> 6640.508452.
    const { good, bad, report } = await both('perf-sched/perf-sched-script-messaging.txt', 'perf-sched/perf-sched-script-messaging-damaged-time.txt');
    expect(bad.length).toBe(good.length);
    expect(sorted(bad)).toBe(true);
    expect(Math.min(...bad)).toBe(0);
    // 6937.498193 (line 2; line 1 is sched_stat_runtime, not a sched row) - 6640.508452 = 296.989741 s.
    expect(bad[1]).toBe(296_989_741_000);
    expect(report.notes.join(' ')).toMatch(/go back once .*first at line 100, largest step back 296\.999995 s/);
  });

  it('undamaged captures report nothing and keep their rows as they were', async () => {
    const { report } = await both('ftrace/tracefs-hackbench.txt', 'ftrace/tracefs-hackbench.txt');
    expect(report.notes.join(' ')).not.toMatch(/Timestamps go back/);
  });
});
