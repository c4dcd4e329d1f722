import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importCapture } from './capture-to-bundle.ts';
import { ImportError } from './errors.ts';
import { detectCapture, importerFor, IMPORTERS, TEXT_FORMATS, type TextFormat } from './registry.ts';

const fixture = (p: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${p}`, import.meta.url)));

/** One real capture per format: adding an importer without a fixture detected as it fails here. */
const ONE_FIXTURE: Record<TextFormat, string> = {
  strace: 'strace/strace-t-ls.log',
  ftrace: 'ftrace/tracefs-hackbench.txt',
  systrace: 'systrace/trace_systrace.html',
  'perf-stat': 'perf-stat/perf-stat-I100.csv',
  'perf-sched': 'perf-sched/perf-sched-script-messaging.txt',
  'perfspect-summary': 'perfspect/CLX-500.csv',
  'perfspect-series': 'perfspect-series/metric_out.sys.csv',
  'kernel-oracle-csv': 'kernel-oracle/hackbench-all.csv',
  psi: 'psi/psi-proc-pressure-loop.txt',
  csv: 'csv/azure-v2-vm-cpu-readings-aggregated-first200.csv',
};

describe('one registry', () => {
  it('lists each importer once, with a title, a detector and a parser', () => {
    const formats = IMPORTERS.map((i) => i.format);
    expect(new Set(formats).size).toBe(formats.length);
    expect(TEXT_FORMATS.map((f) => f.format)).toEqual(formats);
    for (const i of IMPORTERS) {
      expect(i.title.length, i.format).toBeGreaterThan(10);
      expect(i.detector.patterns.length, i.format).toBeGreaterThan(0);
      expect(importerFor(i.format)).toBe(i);
    }
  });

  for (const i of IMPORTERS) {
    it(`${i.format}: its fixture is detected as it and imports through its own parser`, async () => {
      const bytes = fixture(ONE_FIXTURE[i.format]);
      expect(detectCapture(bytes)).toBe(i.format);
      const { report, bundle } = await importCapture(ONE_FIXTURE[i.format], bytes);
      expect(report.format).toBe(i.format);
      expect(report.rows).toBeGreaterThan(0);
      const parsed = i.parser('x', {});
      // The table the importer says it writes is the one in the bundle.
      expect(Object.keys(bundle.tables)).toHaveLength(1);
      for (const line of new TextDecoder().decode(bytes).split(/\r?\n/)) parsed.pushLine(line);
      expect(Object.keys(bundle.tables)[0]).toBe(parsed.finish().tableName);
    });
  }

  it('a format named by the caller is used instead of detection, and refused in words when the file is not that', async () => {
    const e = await importCapture('strace-t-ls.log', fixture('strace/strace-t-ls.log'), { format: 'psi' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ImportError);
    expect((e as ImportError).message).toMatch(/^strace-t-ls\.log: .*as psi/);
  });
});
