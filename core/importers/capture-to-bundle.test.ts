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

  // The parser starts mid-chunk once detection has its 200 lines (before, the whole first chunk waited for it,
  // decoded): a line lost or pushed twice at that switch, or a format chosen differently, shows up here.
  it('one 4 MiB chunk and 97-byte chunks give the same tables and report', async () => {
    for (const [file] of cases) {
      const bytes = fixture(file);
      const whole = await importCapture(file, bytes);
      const small = await importCapture(file, bytes, { chunkBytes: 97 });
      expect(whole.report, file).toEqual(small.report);
      expect(Object.keys(whole.bundle.tables), file).toEqual(Object.keys(small.bundle.tables));
      for (const [name, t] of Object.entries(whole.bundle.tables)) {
        const other = small.bundle.tables[name as keyof typeof small.bundle.tables]!;
        expect(other.schema.fields.map(String), `${file} ${name}`).toEqual(t!.schema.fields.map(String));
        // Values, not IPC bytes: Arrow numbers each dictionary it makes, so two equal tables' bytes differ there.
        for (const f of t!.schema.fields) expect([...other.getChild(f.name)!], `${file} ${name}.${f.name}`).toEqual([...t!.getChild(f.name)!]);
      }
    }
  });

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
