import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarizeBundle } from '../../core/bundle/index.ts';
import { importCapture } from '../../core/importers/capture-to-bundle.ts';
import { readBack, runTlab, tempDir } from './helpers.ts';

const root = new URL('../../', import.meta.url).pathname;

describe('tlab inspect', () => {
  it('--json gives the manifest, source status, row counts and per-name counts the core reader sees', async () => {
    const file = join(root, 'public/datasets/sysbench-cpu.tlab');
    const run = await runTlab(['inspect', '--json', file]);
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as ReturnType<typeof summarizeBundle>;
    const truth = summarizeBundle(await readBack(file));
    expect(printed.tables).toEqual(truth.tables);
    expect(printed.syscallsByName).toEqual(truth.syscallsByName);
    expect(printed.schedByEvent).toEqual(truth.schedByEvent);
    expect(printed.sources['strace']?.status).toBe(truth.manifest.sources.strace?.status);
    expect(Object.values(printed.schedByEvent).reduce((a, b) => a + b, 0)).toBe(truth.tables.sched!.rows);
  });

  it('says what is wrong with a file that is not a bundle, and exits 2', async () => {
    const run = await runTlab(['inspect', join(root, 'fixtures/bundles/lfs-pointer.tlab')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Git LFS pointer/);
  });
});

describe('tlab import', () => {
  it('turns an strace log and a trace into one bundle with the same rows as the parsers give', async () => {
    const dir = tempDir();
    const out = join(dir, 'imported.tlab');
    const strace = join(root, 'fixtures/strace/strace-f-ttt-T-pipeline-threads.log');
    const trace = join(root, 'fixtures/ftrace/tracefs-hackbench.txt');
    const run = await runTlab(['import', strace, trace, '-o', out, '--keep-raw']);
    expect(run.code, run.stderr).toBe(0);
    const bundle = await readBack(out);
    const s = await importCapture('s', new Uint8Array(readFileSync(strace)));
    const t = await importCapture('t', new Uint8Array(readFileSync(trace)));
    expect(bundle.tables.syscalls!.numRows).toBe(s.bundle.tables.syscalls!.numRows);
    expect(bundle.tables.sched!.numRows).toBe(t.bundle.tables.sched!.numRows);
    expect(Object.keys(bundle.manifest.sources).sort()).toEqual(['sched', 'strace']);
    expect([...bundle.raw.keys()].sort()).toEqual(['raw/strace-f-ttt-T-pipeline-threads.log', 'raw/tracefs-hackbench.txt']);
    expect(bundle.raw.get('raw/tracefs-hackbench.txt')).toEqual(new Uint8Array(readFileSync(trace)));
  });

  it('merges strace -ff per-task files into one syscalls table', async () => {
    const out = join(tempDir(), 'ff.tlab');
    const dir = join(root, 'fixtures/strace/ff-tt-T');
    const names = ['trace.7125', 'trace.7126', 'trace.7127', 'trace.7128', 'trace.7129', 'trace.7130'];
    const run = await runTlab(['import', ...names.map((n) => join(dir, n)), '-o', out]);
    expect(run.code, run.stderr).toBe(0);
    const bundle = await readBack(out);
    // wc -l of the six files
    expect(bundle.tables.syscalls!.numRows).toBe(773);
  });

  it('refuses an unknown file, naming the formats it tried, and writes nothing', async () => {
    const out = join(tempDir(), 'x.tlab');
    const run = await runTlab(['import', join(root, 'README.md'), '-o', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Tried strace .* ftrace .* perf-stat/);
    expect(() => readFileSync(out)).toThrow();
  });

  it('--each-trace writes one bundle per trace of a KernelOracle CSV; --trace refuses an id the file lacks', async () => {
    const dir = tempDir();
    const csv = join(root, 'fixtures/kernel-oracle/hackbench-all.csv');
    const run = await runTlab(['import', csv, '--each-trace', '-o', join(dir, 'ko.tlab')]);
    expect(run.code, run.stderr).toBe(0);
    // awk -F, 'NR>1{print $9}' | uniq -c: 447 hackbench_threads_run1, 651 hackbench_processes_run1
    const threads = await readBack(join(dir, 'ko.hackbench_threads_run1.tlab'));
    const processes = await readBack(join(dir, 'ko.hackbench_processes_run1.tlab'));
    expect([threads.tables.sched!.numRows, processes.tables.sched!.numRows]).toEqual([447, 651]);
    expect(processes.manifest.workload.label).toBe('hackbench_processes_run1');
    const bad = await runTlab(['import', csv, '--trace', 'nginx_run0', '-o', join(dir, 'x.tlab')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no trace_id "nginx_run0" in this file; it holds "hackbench_threads_run1", "hackbench_processes_run1"/);
  });
});
