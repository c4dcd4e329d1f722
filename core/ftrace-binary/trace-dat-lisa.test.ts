import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FtraceParser } from '../importers/ftrace.ts';
import { countBy, rowsOf } from '../importers/testing/parse-helpers.ts';
import { detectCapture, SAMPLE_BYTES } from '../importers/registry.ts';
import { parseTraceDat } from './trace-dat.ts';
import { sameAsReport } from './testing/report-compare.ts';

const fixture = (path: string) => fileURLToPath(new URL(`../../fixtures/${path}`, import.meta.url));

describe('a public trace.dat: LISA tests/assets/sched_load (Arm Juno, 6 CPUs, file version 6)', () => {
  const file = fixture('trace-dat/lisa-sched-load.dat');

  it('reads the file: version 6, little-endian, 8-byte longs, 4 KiB pages, the top instance of 6 CPUs', () => {
    const d = parseTraceDat(new Uint8Array(readFileSync(file)));
    expect({ version: d.version, le: d.littleEndian, long: d.longSize, page: d.pageSize, compression: d.compression }).toEqual({ version: 6, le: true, long: 8, page: 4096, compression: null });
    expect(d.buffers.map((b) => [b.name, b.cpus.length])).toEqual([['', 6]]);
    // The registry recognises it by its first bytes, for the CLI and the app's multi-file drop alike.
    expect(detectCapture(new Uint8Array(readFileSync(file)).subarray(0, SAMPLE_BYTES))).toBe('trace-dat');
  });

  it('every sched row equals trace-cmd report -t of the same file, times to the nanosecond', async () => {
    const { rows, opened } = await sameAsReport(file);
    // grep -c ' sched_switch: ' / ' sched_migrate_task: ' of trace-cmd-report-v3-sched-load.txt: 399 and 28.
    expect(rows).toBe(427);
    expect(countBy(rowsOf(opened.bundle.tables.sched!), 'event')).toEqual({ sched_switch: 399, sched_migrate_task: 28 });
    // The other events of the report, counted by grep over the same text: the importer counts them, it does not store them.
    expect(opened.imported!.notes.join(' ')).toMatch(/Other events skipped: cpu_idle ×474, sched_load_se ×364, sched_load_cfs_rq ×2437, cpu_frequency ×16, print ×6\./);
  });

  it('and the committed report text of the same file (trace-cmd 3.x, microseconds) gives the same rows', async () => {
    const { opened, settings } = await sameAsReport(file);
    const p = new FtraceParser();
    for (const line of readFileSync(fixture('ftrace/trace-cmd-report-v3-sched-load.txt'), 'utf8').split('\n')) p.pushLine(line);
    const parsed = p.finish();
    const text = rowsOf(parsed.table);
    const bin = rowsOf(opened.bundle.tables.sched!);
    expect(bin.length).toBe(text.length);
    // The text prints microseconds rounded from the nanoseconds the file holds.
    const origin = BigInt(settings.originTraceClockNs as string);
    const textFirstUs = BigInt(parsed.firstTimestamp!.sec) * 1_000_000n + BigInt(parsed.firstTimestamp!.nsec / 1000);
    for (let i = 0; i < bin.length; i++) {
      const us = (origin + BigInt(bin[i]!.ts_ns as number) + 500n) / 1000n;
      const row = (r: Record<string, unknown>) => ({ i, cpu: r.cpu, prev: r.prev_pid, next: r.next_pid, target: r.target_pid, to: r.target_cpu, from: r.orig_cpu });
      expect({ us, ...row(bin[i]!) }).toEqual({ us: textFirstUs + BigInt(Math.round((text[i]!.ts_ns as number) / 1000)), ...row(text[i]!) });
    }
  });
});
