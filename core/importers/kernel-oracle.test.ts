import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UnknownTraceError, importCapture } from './capture-to-bundle.ts';
import { FtraceParser } from './ftrace.ts';
import { KernelOracleParser, type KernelOracleOptions } from './kernel-oracle.ts';
import { feed, rowsOf, type PlainRow } from './testing/parse-helpers.ts';

const fixture = (path: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url)));
const CSV = 'kernel-oracle/hackbench-all.csv';

async function parse(data: Uint8Array, options?: KernelOracleOptions, chunkBytes?: number) {
  const p = new KernelOracleParser(options);
  await feed(p, data, chunkBytes);
  const r = p.finish();
  return { ...r, rows: rowsOf(r.table) };
}

/** The switches of the tracefs capture KernelOracle's builder read, with times from the first switch. */
async function switchesOf(path: string): Promise<PlainRow[]> {
  const p = new FtraceParser();
  await feed(p, fixture(path));
  const rows = rowsOf(p.finish().table).filter((r) => r.event === 'sched_switch');
  const t0 = rows[0]!.ts_ns as number;
  return rows.map((r) => ({ ...r, ts_ns: (r.ts_ns as number) - t0 }));
}

// The CSV was written by KernelOracle's collect_traces.py from the two tracefs captures in fixtures/ftrace/
// (see fixtures/SOURCES.md); awk -F, '{print $9}' | uniq -c gives 447 then 651 rows.

describe('KernelOracle CSV (written by its own collect_traces.py build)', () => {
  it('lists both traces and imports the first by default', async () => {
    const r = await parse(fixture(CSV));
    expect(r.problems).toEqual([]);
    expect(r.traces).toEqual([
      { id: 'hackbench_threads_run1', workload: 'hackbench_threads', rows: 447 },
      { id: 'hackbench_processes_run1', workload: 'hackbench_processes', rows: 651 },
    ]);
    expect(r.imported).toBe('hackbench_threads_run1');
    expect(r.table.numRows).toBe(447);
    expect(r.missingColumns).toEqual([]);
  });

  for (const [trace, raw] of [
    ['hackbench_threads_run1', 'ftrace/tracefs-hackbench-threads-tgid-noirq.txt'],
    ['hackbench_processes_run1', 'ftrace/tracefs-hackbench.txt'],
  ] as const) {
    it(`gives ${trace} the same switches as reading ${raw} itself`, async () => {
      const r = await parse(fixture(CSV), { trace });
      const direct = await switchesOf(raw);
      expect(r.rows.length).toBe(direct.length);
      const keys = ['ts_ns', 'cpu', 'next_comm', 'next_pid', 'prev_comm', 'prev_state'] as const;
      const pick = (x: PlainRow) => Object.fromEntries(keys.map((k) => [k, x[k]]));
      expect(r.rows.map(pick)).toEqual(direct.map(pick));
      // The outgoing pid is not in the CSV; where it is inferred it must be the trace's own.
      const inferred = r.rows.map((x, i) => [x.prev_pid, direct[i]!.prev_pid]).filter(([a]) => a !== null);
      expect(inferred.every(([a, b]) => a === b)).toBe(true);
      expect(r.prevPidUnknown).toBe(r.rows.length - inferred.length);
      // Unknown only where a CPU's chain starts (2 CPUs) or the trace itself breaks it (a lost switch).
      const breaks = direct.filter((x, i) => {
        const before = direct.slice(0, i).filter((y) => y.cpu === x.cpu).at(-1);
        return !before || before.next_comm !== x.prev_comm;
      }).length;
      expect(r.prevPidUnknown).toBe(breaks);
    });
  }

  it('reads the same in 3-byte chunks (CRLF split between chunks)', async () => {
    expect((await parse(fixture(CSV), undefined, 3)).rows).toEqual((await parse(fixture(CSV))).rows);
  });

  it('reports bad rows by line number and keeps the others', async () => {
    const lines = new TextDecoder().decode(fixture(CSV)).split('\r\n');
    lines.splice(10, 0, '4765.55,0.1,short,row');
    lines.splice(20, 0, 'yesterday,0.1,sh,1,0,S,sh,w,hackbench_threads_run1');
    const r = await parse(new TextEncoder().encode(lines.join('\r\n')));
    expect(r.problems.map((p) => [p.line, p.reason])).toEqual([
      [11, '4 fields where the header has 9'],
      [21, 'timestamp is not seconds: "yesterday"'],
    ]);
    expect(r.table.numRows).toBe(447);
  });
});

describe('KernelOracle CSV through importCapture', () => {
  it('is recognised by content; the bundle names its trace and the one left out', async () => {
    const { bundle, report } = await importCapture('all.csv', fixture(CSV));
    expect(report.format).toBe('kernel-oracle-csv');
    expect(report.rows).toBe(447);
    expect(bundle.manifest.sources.sched?.settings).toMatchObject({ format: 'KernelOracle CSV', trace: 'hackbench_threads_run1', workload: 'hackbench_threads' });
    expect(report.notes.join(' ')).toMatch(/Not imported: "hackbench_processes_run1" \(651 rows\)/);
  });

  it('refuses a trace_id the file does not hold, naming those it does', async () => {
    const run = importCapture('all.csv', fixture(CSV), { trace: 'nginx_run0' });
    await expect(run).rejects.toThrow(UnknownTraceError);
    await expect(importCapture('all.csv', fixture(CSV), { trace: 'nginx_run0' })).rejects.toThrow(/no trace_id "nginx_run0".*"hackbench_threads_run1", "hackbench_processes_run1"/);
  });
});
