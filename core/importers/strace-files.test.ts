import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dictColumn, numberColumn } from '../bundle/columns.ts';
import { importStraceFiles } from './strace-files.ts';

const dir = new URL('../../fixtures/strace/ff-tt-T/', import.meta.url);

describe('importStraceFiles (strace -ff per-task files)', () => {
  it('merges the six files of one capture into one table on one clock, with threads in their process', async () => {
    const names = readdirSync(dir).sort();
    const { bundle, report } = await importStraceFiles(names.map((name) => ({ name, source: new Uint8Array(readFileSync(new URL(name, dir))) })));
    const t = bundle.tables.syscalls!;
    // wc -l of the six files: 105 + 150 + 122 + 356 + 20 + 20 (no file has resumed halves)
    expect(t.numRows).toBe(773);
    expect(report.rows).toBe(773);
    const ts = numberColumn(t, 'ts_ns');
    for (let i = 1; i < ts.length; i++) expect(ts[i]!).toBeGreaterThanOrEqual(ts[i - 1]!);
    // The first line of trace.7125 (07:09:32.493017, execve of sh) is the earliest of all files.
    const name = dictColumn(t, 'name');
    expect(ts[0]).toBe(0);
    expect(name.values[name.codes[0]!]).toBe('execve');
    expect(numberColumn(t, 'tid')[0]).toBe(7125);
    // sysbench (7128) made threads 7129 and 7130 with clone3(CLONE_THREAD): they belong to process 7128.
    const tid = numberColumn(t, 'tid');
    const pid = numberColumn(t, 'pid');
    const pairs = new Set(Array.from(tid, (x, i) => `${x}:${pid[i]}`));
    expect([...pairs].sort()).toEqual(['7125:7125', '7126:7126', '7127:7127', '7128:7128', '7129:7128', '7130:7128']);
    // The last line of trace.7128 is later than the first of trace.7129: files really interleave in time.
    const firstOf7129 = Array.from(tid).indexOf(7129);
    const lastOf7128 = Array.from(tid).lastIndexOf(7128);
    expect(firstOf7129).toBeLessThan(lastOf7128);
  });
});
