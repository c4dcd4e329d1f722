import { describe, expect, it } from 'vitest';
import { FtraceParser } from '../importers/ftrace.ts';
import { rowsOf } from '../importers/testing/parse-helpers.ts';
import { decodeRawCapture } from './index.ts';
import { captureRawInstance } from './testing/tracefs-capture.ts';

const SCHED = ['sched_switch', 'sched_wakeup', 'sched_wakeup_new', 'sched_process_fork', 'sched_process_exec', 'sched_process_exit', 'sched_migrate_task'].map((e) => `sched/${e}`);

type Row = Record<string, unknown>;
const COLUMNS = ['cpu', 'event', 'common_pid', 'prev_pid', 'prev_comm', 'prev_prio', 'prev_state', 'next_pid', 'next_comm', 'next_prio', 'target_pid', 'target_comm', 'target_prio', 'target_cpu', 'orig_cpu', 'parent_pid'];
const pick = (r: Row) => Object.fromEntries(COLUMNS.map((c) => [c, r[c] ?? null]));

/** tracefs prints microseconds rounded (ns2usecs adds 500 ns before dividing). */
const usRounded = (ns: bigint) => (ns + 500n) / 1000n;

describe('decodeRawCapture on trace_pipe_raw pages of this machine (private tracefs instance)', () => {
  // A shell forking and exec'ing short processes gives every sched event the table holds, plus
  // sched_process_free, which it does not, on both CPUs.
  const capture = captureRawInstance([...SCHED, 'sched/sched_process_free'], 'for i in $(seq 40); do /bin/true; sh -c : ; done; sleep 0.02');
  const result = decodeRawCapture({ headerPage: capture.headerPage, formats: capture.formats, cpus: capture.cpus, pageSize: capture.pageSize, littleEndian: true, longSize: 8 });

  it('decodes every record cleanly, as many per CPU as the kernel says were read', () => {
    expect(result.problems).toEqual([]);
    expect(result.lostByCpu.every((n) => n === 0)).toBe(true);
    for (const [i, stats] of capture.stats.entries()) {
      const read = Number(/read events: (\d+)/.exec(stats)![1]);
      const cpu = capture.cpus[i]!.cpu;
      expect(result.recordsByCpu[cpu], `cpu ${cpu}`).toBe(read);
    }
    expect(result.eventsByName.sched_process_fork).toBeGreaterThanOrEqual(80);
    expect(result.eventsByName.sched_process_exec).toBeGreaterThanOrEqual(80);
    expect(result.eventsByName.sched_process_free).toBeGreaterThan(0);
  });

  it('gives event for event the rows the text importer reads from the same buffer\'s trace file', () => {
    const p = new FtraceParser();
    for (const line of capture.text.split('\n')) p.pushLine(line);
    const text = p.finish();
    expect(text.problems).toEqual([]);
    const textRows = rowsOf(text.table) as Row[];
    const binRows = rowsOf(result.table) as Row[];
    expect(binRows.length).toBe(textRows.length);
    expect(binRows.length).toBe(Object.entries(result.eventsByName).filter(([n]) => n !== 'sched_process_free').reduce((s, [, n]) => s + n, 0));
    const firstUs = BigInt(text.firstTimestamp!.sec) * 1_000_000n + BigInt(text.firstTimestamp!.nsec / 1000);
    for (let i = 0; i < binRows.length; i++) {
      const b = binRows[i]!;
      const t = textRows[i]!;
      const binUs = usRounded(result.origin! + BigInt(b.ts_ns as number));
      const textUs = firstUs + BigInt(Math.round((t.ts_ns as number) / 1000));
      expect({ i, us: binUs, ...pick(b) }).toEqual({ i, us: textUs, ...pick(t) });
    }
  });

  it('hands every record to onEvent with its fields (sched_process_free, which the table does not hold, as the text prints it)', () => {
    const free: string[] = [];
    let all = 0;
    decodeRawCapture({
      headerPage: capture.headerPage, formats: capture.formats, cpus: capture.cpus, pageSize: capture.pageSize, littleEndian: true, longSize: 8,
      onEvent: (e) => {
        all++;
        if (e.format.name === 'sched_process_free') free.push(`comm=${e.fields.get('comm')} pid=${e.fields.get('pid')} prio=${e.fields.get('prio')}`);
      },
    });
    expect(all).toBe(Object.values(result.eventsByName).reduce((a, b) => a + b, 0));
    const text = [...capture.text.matchAll(/sched_process_free: (.*)$/gm)].map((m) => m[1]!.trim());
    expect(free).toEqual(text);
  });

  it('an explicit origin shifts ts_ns by exactly the difference', () => {
    const shifted = decodeRawCapture({ headerPage: capture.headerPage, formats: capture.formats, cpus: capture.cpus, pageSize: capture.pageSize, littleEndian: true, longSize: 8, origin: result.origin! - 12_345n });
    const a = rowsOf(result.table);
    const b = rowsOf(shifted.table);
    expect(b.map((r) => (r.ts_ns as number) - 12_345)).toEqual(a.map((r) => r.ts_ns));
    expect(shifted.origin).toBe(result.origin! - 12_345n);
  });
});
