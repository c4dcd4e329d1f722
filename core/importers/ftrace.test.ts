import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FtraceParser, type FtraceOptions } from './ftrace.ts';
import { countBy, feed, insertLines, rowsOf } from './testing/parse-helpers.ts';

const dir = new URL('../../fixtures/ftrace/', import.meta.url);
const bytes = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));

async function parse(data: Uint8Array, options?: FtraceOptions, chunkBytes?: number) {
  const p = new FtraceParser(options);
  await feed(p, data, chunkBytes);
  const r = p.finish();
  return { ...r, rows: rowsOf(r.table) };
}

// Expected counts are `grep -c " EVENT: " FILE`, taken when each file was captured or copied.

describe('trace-cmd report, LISA Juno v2 (long sched_switch form, numeric prev_state)', () => {
  const file = 'trace-cmd-report-v2-juno.txt';

  it('reads its 1856 sched_switch and 1068 sched_wakeup events', async () => {
    const r = await parse(bytes(file));
    expect(r.problems).toEqual([]);
    expect(r.format).toBe('trace-cmd');
    expect(countBy(r.rows, 'event')).toEqual({ sched_switch: 1856, sched_wakeup: 1068 });
    expect(r.skippedEvents).toEqual({ print: 14, sched_overutilized: 3 });
    expect(r.firstTimestamp).toEqual({ sec: 76, nsec: 211513000 });
  });

  it('turns numeric prev_state into the letters of the 4.x kernel it came from', async () => {
    const r = await parse(bytes(file));
    // grep -o 'prev_state=[0-9]*' | sort | uniq -c: 0 x438, 1 x929, 2 x134, 64 x17, 130 x3, 4096 x335
    expect(countBy(r.rows.filter((x) => x.event === 'sched_switch'), 'prev_state')).toEqual({ R: 438, S: 929, D: 134, x: 17, 'D|K': 3, 'R+': 335 });
    // First line: <...>-1701 [001] 76.211513: sched_switch: prev_comm=trace-cmd prev_pid=1701 prev_prio=120 prev_state=64 ==> next_comm=swapper/1 next_pid=0 next_prio=120
    expect(r.rows[0]).toMatchObject({
      ts_ns: 0, cpu: 1, event: 'sched_switch', common_pid: 1701, prev_comm: 'trace-cmd', prev_pid: 1701, prev_prio: 120,
      prev_state: 'x', next_comm: 'swapper/1', next_pid: 0, next_prio: 120, target_pid: null,
    });
    // <idle>-0 [002] 76.211513: sched_wakeup: comm=sh pid=1642 prio=120 success=1 target_cpu=2
    expect(r.rows[1]).toMatchObject({ ts_ns: 0, cpu: 2, event: 'sched_wakeup', common_pid: 0, target_comm: 'sh', target_pid: 1642, target_prio: 120, target_cpu: 2 });
  });

  it('gives the same table in 7-byte chunks', async () => {
    expect((await parse(bytes(file), undefined, 7)).rows).toEqual((await parse(bytes(file))).rows);
  });

  it('reports garbage lines by number and keeps the rest', async () => {
    const r = await parse(insertLines(bytes(file), [[5, 'sh: 1: cannot create /sys/kernel/tracing/trace: Permission denied'], [1000, '          <idle>-0     [002]    76.21']]));
    expect(r.problems.map((p) => p.line)).toEqual([5, 1000]);
    expect(r.problems[0]!.reason).toMatch(/not an ftrace event line/);
    expect(r.table.numRows).toBe(2924);
  });
});

describe('trace-cmd report 3.x, LISA sched-load (compact sched_switch form)', () => {
  it('reads compact switches, migrations, and counts the other events', async () => {
    const r = await parse(bytes('trace-cmd-report-v3-sched-load.txt'));
    expect(r.problems).toEqual([]);
    expect(countBy(r.rows, 'event')).toEqual({ sched_switch: 399, sched_migrate_task: 28 });
    expect(r.skippedEvents).toEqual({ cpu_idle: 474, sched_load_se: 364, sched_load_cfs_rq: 2437, cpu_frequency: 16, print: 6 });
    // grep sched_switch | grep -o '\] [^ ]* ==>' | sort | uniq -c
    expect(countBy(r.rows.filter((x) => x.event === 'sched_switch'), 'prev_state')).toEqual({ D: 27, R: 178, S: 190, x: 4 });
    // swapper/2:0 [120] R ==> kworker/2:1:2923 [120]  (the comm holds a colon)
    expect(r.rows[0]).toMatchObject({ prev_comm: 'swapper/2', prev_pid: 0, prev_state: 'R', next_comm: 'kworker/2:1', next_pid: 2923, next_prio: 120 });
    // sshd-2928 [005] 2084.200966: sched_migrate_task: comm=kworker/u12:4 pid=310 prio=120 orig_cpu=0 dest_cpu=5
    expect(r.rows.find((x) => x.event === 'sched_migrate_task')).toMatchObject({
      cpu: 5, common_pid: 2928, target_comm: 'kworker/u12:4', target_pid: 310, target_prio: 120, orig_cpu: 0, target_cpu: 5,
    });
  });
});

describe('trace-cmd report of hackbench on this machine (trace-cmd 3.1.6, kernel 6.18)', () => {
  it('reads every sched event type in both field forms', async () => {
    const r = await parse(bytes('trace-cmd-report-hackbench.txt'));
    expect(r.problems).toEqual([]);
    expect(r.format).toBe('trace-cmd');
    expect(countBy(r.rows, 'event')).toEqual({
      sched_switch: 286, sched_waking: 181, sched_wakeup: 181, sched_wakeup_new: 41,
      sched_process_fork: 41, sched_process_exit: 41, sched_migrate_task: 20, sched_process_exec: 1,
    });
    expect(r.skippedEvents).toEqual({ sched_stat_runtime: 348 });
    // bash-8166 [000] 4791.381385: sched_process_fork: comm=bash pid=8166 child_comm=bash child_pid=8168
    expect(r.rows[0]).toMatchObject({ event: 'sched_process_fork', parent_pid: 8166, target_pid: 8168, target_comm: 'bash' });
    // bash-8166 [000] 4791.381424: sched_wakeup_new: bash:8168 [120] CPU:000
    expect(r.rows[1]).toMatchObject({ ts_ns: 39_000, event: 'sched_wakeup_new', target_comm: 'bash', target_pid: 8168, target_prio: 120, target_cpu: 0 });
    // hackbench-8168 [001] 4791.381965: sched_process_exec: filename=/usr/bin/hackbench pid=8168 old_pid=8168
    expect(r.rows.find((x) => x.event === 'sched_process_exec')).toMatchObject({ cpu: 1, target_pid: 8168, target_comm: 'hackbench' });
    // sched_process_exit ... comm=hackbench pid=8208 prio=120 group_dead=true (a field newer kernels add)
    expect(r.rows.find((x) => x.event === 'sched_process_exit')).toMatchObject({ target_pid: expect.any(Number), target_prio: 120 });
  });
});

describe('trace-cmd report -l (latency format: CPU number glued to the irq flags)', () => {
  it('gives the same table as the plain report of the same trace.dat', async () => {
    const latency = await parse(bytes('trace-cmd-report-l-hackbench.txt'));
    expect(latency.problems).toEqual([]);
    // "    bash-8166    0dN.2.  4791.381424: sched_wakeup_new:     bash:8168 [120] CPU:000"
    expect(latency.rows[1]).toMatchObject({ cpu: 0, event: 'sched_wakeup_new', target_pid: 8168 });
    expect(latency.rows).toEqual((await parse(bytes('trace-cmd-report-hackbench.txt'))).rows);
  });
});

describe('raw tracefs trace of hackbench (irq-flags column)', () => {
  it('reads the kernel text format', async () => {
    const r = await parse(bytes('tracefs-hackbench.txt'));
    expect(r.problems).toEqual([]);
    expect(r.format).toBe('tracefs');
    expect(countBy(r.rows, 'event')).toEqual({
      sched_switch: 651, sched_wakeup: 418, sched_waking: 418, sched_wakeup_new: 81,
      sched_process_fork: 81, sched_process_exit: 81, sched_migrate_task: 36, sched_process_exec: 1,
    });
    // ftcap.sh-7532 [000] ..... 4760.224665: sched_process_fork: ... child_pid=7536
    expect(r.firstTimestamp).toEqual({ sec: 4760, nsec: 224665000 });
    expect(r.rows[0]).toMatchObject({ ts_ns: 0, cpu: 0, common_pid: 7532, parent_pid: 7532, target_pid: 7536 });
  });

  it('subtracts a given origin on the trace clock', async () => {
    const r = await parse(bytes('tracefs-hackbench.txt'), { origin: { sec: 4760, nsec: 0 } });
    expect(r.rows[0]!.ts_ns).toBe(224_665_000);
  });
});

describe('raw tracefs trace with record-tgid, no irq-info, threaded hackbench', () => {
  it('reads past the TGID column, "(-------)" included', async () => {
    const r = await parse(bytes('tracefs-hackbench-threads-tgid-noirq.txt'));
    expect(r.problems).toEqual([]);
    expect(countBy(r.rows, 'event')).toEqual({
      sched_switch: 447, sched_wakeup: 293, sched_waking: 293, sched_wakeup_new: 81,
      sched_process_fork: 81, sched_process_exit: 81, sched_migrate_task: 35, sched_process_exec: 1,
    });
    // <idle>-0 (-------) [001] 4765.536855: sched_wakeup: comm=ftcap.sh pid=7731 prio=120 target_cpu=001
    expect(r.rows[5]).toMatchObject({ ts_ns: 99_000, cpu: 1, common_pid: 0, event: 'sched_wakeup', target_pid: 7731, target_cpu: 1 });
    // hackbench-7736 (7735) [001] 4765.537490: sched_switch: prev_comm=hackbench prev_pid=7736 ... prev_state=S ==> next_comm=swapper/1 next_pid=0
    expect(r.rows.find((x) => x.ts_ns === 537_490_000 - 536_756_000)).toMatchObject({ common_pid: 7736, prev_pid: 7736, prev_state: 'S', next_comm: 'swapper/1', next_pid: 0 });
  });
});

describe('trace_pipe read in 4 KiB pieces from a small buffer', () => {
  it('adds up lost events and reports events cut off mid-line', async () => {
    const r = await parse(bytes('trace-pipe-lost-events.txt'));
    // CPU:0 [LOST 6481 EVENTS] and CPU:1 [LOST 3956 EVENTS]
    expect(r.lostEvents).toBe(6481 + 3956);
    // Lines holding two "[cpu] " columns (awk: gsub(/\[[0-9][0-9][0-9]\] /, "&") > 1), each a cut event glued to a whole one.
    expect(r.problems.map((p) => p.line)).toEqual([
      26, 50, 73, 223, 249, 275, 300, 326, 352, 378, 431, 460, 485, 538, 564, 590, 616, 643, 670, 698, 725, 751, 778, 805,
    ]);
    // 841 lines - 2 LOST lines; the whole event of each glued line is kept.
    expect(r.table.numRows).toBe(839);
    expect(r.rows.every((x) => x.event === 'sched_switch' || x.event === 'sched_wakeup')).toBe(true);
  });
});
