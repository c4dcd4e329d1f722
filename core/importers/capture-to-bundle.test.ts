import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dictColumn, numberColumn } from '../bundle/columns.ts';
import { readBundle } from '../bundle/reader.ts';
import { writeBundle } from '../bundle/writer.ts';
import { importCapture, UnknownFormatError } from './capture-to-bundle.ts';

const fixture = (p: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${p}`, import.meta.url)));

describe('importCapture: capture -> bundle -> write -> read', () => {
  const cases = [
    ['strace/strace-f-ttt-T-pipeline-threads.log', 'strace', 'syscalls'],
    ['strace/strace-f-cargo-run.log', 'strace', 'syscalls'],
    ['ftrace/tracefs-hackbench.txt', 'ftrace', 'sched'],
    ['ftrace/trace-cmd-report-v2-juno.txt', 'ftrace', 'sched'],
    ['systrace/trace_surfaceflinger.html', 'systrace', 'sched'],
    ['kernel-oracle/hackbench-all.csv', 'kernel-oracle-csv', 'sched'],
    ['perf-stat/perf-stat-I100.csv', 'perf-stat', 'counters'],
    ['perf-sched/perf-sched-script-messaging.txt', 'perf-sched', 'sched'],
    ['perfspect/ICX-500.csv', 'perfspect-summary', 'counters'],
    ['psi/psi-cgroup-loop.txt', 'psi', 'psi'],
    ['psi/psi-cat-io.txt', 'psi', 'psi'],
  ] as const;
  for (const [file, format, table] of cases) {
    it(`${file}`, async () => {
      const bytes = fixture(file);
      const { bundle, report } = await importCapture(file, bytes, { chunkBytes: 8192 });
      expect(report.format).toBe(format);
      expect(report.rows).toBeGreaterThan(0);
      expect(bundle.tables[table]!.numRows).toBe(report.rows);
      const written = writeBundle({ manifest: bundle.manifest, tables: bundle.tables });
      const back = await readBundle(written);
      if (!back.ok) throw new Error(back.error.kind);
      const a = bundle.tables[table]!;
      const b = back.bundle.tables[table]!;
      expect(b.numRows).toBe(a.numRows);
      expect(numberColumn(b, 'ts_ns')).toEqual(numberColumn(a, 'ts_ns'));
      const col = table === 'syscalls' ? 'name' : table === 'psi' ? 'resource' : 'event';
      const da = dictColumn(a, col);
      const db = dictColumn(b, col);
      expect(Array.from(db.codes, (c) => db.values[c])).toEqual(Array.from(da.codes, (c) => da.values[c]));
      // The workload ends at the last event.
      const ts = numberColumn(a, 'ts_ns');
      expect(back.bundle.manifest.workload.endNs).toBeGreaterThanOrEqual(Math.max(...ts));
    });
  }

  it('keeps absolute wall-clock time of strace -ttt logs', async () => {
    const { bundle } = await importCapture('x.log', fixture('strace/strace-f-ttt-T-pipeline-threads.log'));
    expect(bundle.manifest.clock.domain).toBe('realtime');
    // The first line of the fixture is at 1795331362.712405.
    expect(bundle.manifest.clock.originUnixNs).toBe('1795331362712405000');
  });

  it('keeps the wall-clock time of pressure snapshots taken with date +%s.%N', async () => {
    const { bundle } = await importCapture('psi.txt', fixture('psi/psi-proc-pressure-loop.txt'));
    expect(bundle.manifest.clock.domain).toBe('realtime');
    // The first line of the fixture is 1795333736.243995281.
    expect(bundle.manifest.clock.originUnixNs).toBe('1795333736243995281');
    expect(bundle.manifest.sources.psi!.status).toBe('ok');
  });

  it('documents the PerfSpect summary mapping in the source settings', async () => {
    const { bundle } = await importCapture('CLX-500.csv', fixture('perfspect/CLX-500.csv'));
    const settings = bundle.manifest.sources.perf!.settings as Record<string, unknown>;
    expect(settings.mapping).toMatch(/event = metric name without "metric_", scope = statistic/);
    expect(settings.statistics).toEqual(['avg', 'p95', 'min', 'max']);
  });

  it('refuses an unknown file, naming the formats tried', async () => {
    const readme = new Uint8Array(readFileSync(new URL('../../README.md', import.meta.url)));
    await expect(importCapture('README.md', readme)).rejects.toThrow(UnknownFormatError);
    await expect(importCapture('README.md', readme)).rejects.toThrow(/strace.*ftrace.*perf-stat.*perf-sched.*perfspect-summary.*psi/);
  });
});
