import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { TEXT_FORMATS } from '../../core/importers/registry.ts';
import { runTlab, tempDir } from './helpers.ts';

const root = new URL('../../', import.meta.url).pathname;

describe('tlab import knows every format of the registry', () => {
  it('tlab --help and tlab import --help list every format; import --help gives each one its title', async () => {
    const [top, sub] = await Promise.all([runTlab(['--help']), runTlab(['import', '--help'])]);
    const flat = top.stdout.replace(/\s+/g, ' ');
    for (const { format, title } of TEXT_FORMATS) {
      expect(flat, format).toContain(format);
      expect(sub.stdout, format).toMatch(new RegExp(`^  ${format} +${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    }
  });

  it('--format names the format; a name it does not know is refused with the list, exit 2', async () => {
    const out = join(tempDir(), 'x.tlab');
    const bad = await runTlab(['import', join(root, 'fixtures/strace/strace-t-ls.log'), '--format', 'pcap', '-o', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format pcap is not a format tlab imports; it reads strace, ftrace, /);
    const wrong = await runTlab(['import', join(root, 'fixtures/strace/strace-t-ls.log'), '--format', 'psi', '-o', out]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/strace-t-ls\.log: .*as psi/);
  });
});

describe('tlab import: time-series CSV mapping', () => {
  it('--time, --unit and --series name the columns; a bad unit is refused', async () => {
    const out = join(tempDir(), 'azure.tlab');
    const file = join(root, 'fixtures/csv/azure-v2-vm-cpu-readings-aggregated-first200.csv');
    const run = await runTlab(['import', file, '--time', 'timestamp', '--unit', 'ms', '--series', 'cpu_usage', '-o', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { files: { format: string; rows: number; notes: string[] }[] };
    expect(report.files[0]!.format).toBe('csv');
    expect(report.files[0]!.rows).toBe(200);
    expect(report.files[0]!.notes.join(' ')).toMatch(/Time from column "timestamp" in ms, counted from an unknown start/);
    const bad = await runTlab(['import', file, '--unit', 'min', '-o', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--unit min: the time unit is one of s, ms, us, ns/);
    const missing = await runTlab(['import', file, '--series', 'cpu', '-o', out]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no column "cpu" in the header \(line 1\); it has "timestamp", "cpu_usage", "assigned_mem"/);
  });

  it('--interval imports a public dataset that has no time column; without it the refusal says so; a bad interval is refused', async () => {
    const out = join(tempDir(), 'google.tlab');
    const file = join(root, 'fixtures/csv/google2019-instance-usage-day01-300s.csv');
    const refused = await runTlab(['import', file, '-o', out]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/no time column.*--interval SECONDS/s);
    const run = await runTlab(['import', file, '--interval', '300', '-o', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { files: { format: string; rows: number; notes: string[] }[] };
    expect(report.files[0]!.rows).toBe(288 * 4);
    expect(report.files[0]!.notes.join(' ')).toMatch(/No time column: rows 300 s apart/);
    const bad = await runTlab(['import', file, '--interval', 'soon', '-o', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--interval soon: the seconds between rows must be a positive number/);
  });
});
