import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openLabBytes } from './lab-bundles.ts';

const fixture = (p: string) => new Blob([new Uint8Array(readFileSync(new URL(`../fixtures/${p}`, import.meta.url)))]);

describe('the lab workers open their bytes through openSource', () => {
  it('a shipped bundle reads as a bundle', async () => {
    const b = await openLabBytes('sysbench-cpu.tlab', new Blob([new Uint8Array(readFileSync(new URL('../public/datasets/sysbench-cpu.tlab', import.meta.url)))]));
    expect(b.manifest.producer.name).not.toBe('tlab import');
    expect(b.tables.syscalls?.numRows).toBeGreaterThan(0);
  });

  it('a dropped raw ftrace capture is imported into a sched table, as the loader would', async () => {
    const b = await openLabBytes('tracefs-hackbench.txt', fixture('ftrace/tracefs-hackbench.txt'));
    expect(b.manifest.workload.description).toBe('Imported from tracefs-hackbench.txt (ftrace)');
    // grep -c 'sched_switch:' gives 651 switches; wakeups and the rest make more rows.
    expect(b.tables.sched!.numRows).toBeGreaterThan(651);
  });

  it('a gzip-compressed strace log is decompressed and imported', async () => {
    const b = await openLabBytes('strace-t-ls.log.gz', fixture('refusals/strace-t-ls.log.gz'));
    expect(b.tables.syscalls!.numRows).toBeGreaterThan(0);
  });

  it('what is neither a bundle nor a capture gives the typed refusal in words, naming the file', async () => {
    await expect(openLabBytes('trace.dat', fixture('refusals/trace-cmd-extract-first4k.dat'))).rejects.toThrow(/^trace\.dat is a trace-cmd recording \(trace\.dat\) that Telemetry Lab cannot read \(at byte \d+\): .*past the end of the file \(4096 bytes\).*trace-cmd report/);
    await expect(openLabBytes('notes.zip', fixture('refusals/strace-t-ls.zip'))).rejects.toThrow(/^notes\.zip is a zip archive but not a Telemetry Lab bundle/);
    await expect(openLabBytes('README.md', new Blob([readFileSync(new URL('../README.md', import.meta.url))]))).rejects.toThrow(/^README\.md: not a format Telemetry Lab can import/);
  });
});
