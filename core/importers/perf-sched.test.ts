import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PerfSchedParser } from './perf-sched.ts';
import { countBy, feed, insertLines, rowsOf } from './testing/parse-helpers.ts';

const dir = new URL('../../fixtures/perf-sched/', import.meta.url);
const bytes = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));

async function parse(data: Uint8Array, chunkBytes?: number) {
  const p = new PerfSchedParser();
  await feed(p, data, chunkBytes);
  const r = p.finish();
  return { ...r, rows: rowsOf(r.table) };
}

// Expected counts are `awk '{for(i=1;i<=NF;i++) if ($i ~ /^sched:/) {print $i; break}}' FILE | sort | uniq -c`,
// taken when each file was captured.

describe('perf sched script, perf bench sched messaging (perf sched record defaults)', () => {
  const file = 'perf-sched-script-messaging.txt';

  it('reads every sched event and counts sched_stat_runtime as skipped', async () => {
    const r = await parse(bytes(file));
    expect(r.problems).toEqual([]);
    expect(r.lines).toBe(1132);
    expect(countBy(r.rows, 'event')).toEqual({ sched_switch: 311, sched_waking: 210, sched_migrate_task: 30, sched_process_fork: 40, sched_wakeup_new: 40 });
    expect(r.skippedEvents).toEqual({ 'sched:sched_stat_runtime': 501 });
    // Line 2 (the first kept event): "perf  1599 [000]  6937.498193:       sched:sched_waking: ..."
    expect(r.firstTimestamp).toEqual({ sec: 6937, nsec: 498193000 });
  });

  it('reads the fields with the ftrace field parser', async () => {
    const r = await parse(bytes(file));
    // grep -o 'prev_state=[^ ]*' | sort | uniq -c: D 4, I 10, R 60, R+ 1, S 195, Z 41
    expect(countBy(r.rows.filter((x) => x.event === 'sched_switch'), 'prev_state')).toEqual({ D: 4, I: 10, R: 60, 'R+': 1, S: 195, Z: 41 });
    // Line 4: "perf  1599 [000]  6937.498198:       sched:sched_switch: prev_comm=perf prev_pid=1599 prev_prio=120
    //          prev_state=D ==> next_comm=migration/0 next_pid=18 next_prio=0"
    expect(r.rows[1]).toMatchObject({
      ts_ns: 5000, cpu: 0, event: 'sched_switch', common_pid: 1599, prev_comm: 'perf', prev_pid: 1599, prev_prio: 120,
      prev_state: 'D', next_comm: 'migration/0', next_pid: 18, next_prio: 0, target_pid: null,
    });
    // Line 48: " sched-messaging  1601 [001]  6937.505869: sched:sched_process_fork: comm=sched-messaging pid=1601
    //           child_comm=sched-messaging child_pid=1603"
    const fork = r.rows.find((x) => x.event === 'sched_process_fork')!;
    expect(fork).toMatchObject({ ts_ns: 7_676_000, cpu: 1, common_pid: 1601, target_pid: 1603, target_comm: 'sched-messaging', parent_pid: 1601 });
    // Line 49: "... sched:sched_wakeup_new: comm=sched-messaging pid=1603 prio=120 target_cpu=000"
    expect(r.rows.find((x) => x.event === 'sched_wakeup_new')).toMatchObject({ ts_ns: 7_681_000, target_pid: 1603, target_prio: 120, target_cpu: 0 });
  });

  it('gives the same table in 7-byte chunks', async () => {
    expect((await parse(bytes(file), 7)).rows).toEqual((await parse(bytes(file))).rows);
  });

  it('reports garbage lines by number and keeps the rest', async () => {
    const r = await parse(insertLines(bytes(file), [[3, 'failed to open /tmp/x.data: Permission denied'], [700, '            perf  1599 [000]  6937.49']]));
    expect(r.problems.map((p) => p.line)).toEqual([3, 700]);
    expect(r.problems[0]!.reason).toMatch(/not a perf sched script line/);
    expect(r.table.numRows).toBe(631);
  });
});

describe('perf sched script with fork/exec/exit and sched_wakeup recorded (-e ...)', () => {
  const file = 'perf-sched-script-exec-exit.txt';

  it('reads exec and exit, and an event of a thread perf no longer knew (":-1 -1")', async () => {
    const r = await parse(bytes(file));
    expect(r.problems).toEqual([]);
    expect(countBy(r.rows, 'event')).toEqual({
      sched_switch: 63, sched_waking: 38, sched_wakeup: 32, sched_wakeup_new: 6, sched_migrate_task: 5,
      sched_process_fork: 6, sched_process_exec: 3, sched_process_exit: 7,
    });
    expect(r.skippedEvents).toEqual({ 'sched:sched_stat_runtime': 88 });
    // The first kept event is line 2 at 6993.913867; line 16:
    // "sh  2051 [000]  6993.914648: sched:sched_process_exec: filename=/usr/bin/sh pid=2051 old_pid=2051"
    expect(r.rows.find((x) => x.event === 'sched_process_exec')).toMatchObject({ ts_ns: 781_000, cpu: 0, common_pid: 2051, target_pid: 2051, target_comm: 'sh' });
    // Line 132: "hackbench  2057 [001]  6993.917262: sched:sched_process_exit: comm=hackbench pid=2057 prio=120 group_dead=true"
    expect(r.rows.find((x) => x.event === 'sched_process_exit')).toMatchObject({ ts_ns: 3_395_000, cpu: 1, target_pid: 2057, target_comm: 'hackbench', target_prio: 120 });
    // Line 180: ":-1    -1 [000]  6993.917510: sched:sched_switch: prev_comm=hackbench prev_pid=2054 prev_prio=120
    //            prev_state=X ==> next_comm=hackbench next_pid=2056 next_prio=120"
    expect(r.rows.find((x) => x.ts_ns === 3_643_000 && x.event === 'sched_switch')).toMatchObject({ common_pid: null, prev_pid: 2054, prev_state: 'X', next_pid: 2056 });
  });

  it('gives the same table in 7-byte chunks', async () => {
    expect((await parse(bytes(file), 7)).rows).toEqual((await parse(bytes(file))).rows);
  });
});

describe('perf sched script -F comm,pid,tid,cpu,time,event,trace --ns (same perf.data)', () => {
  const file = 'perf-sched-script-F-pid-tid-ns.txt';

  it('reads "pid/tid" and nanosecond times: the same events as the default output, times within 1 µs', async () => {
    const ns = await parse(bytes(file));
    const us = await parse(bytes('perf-sched-script-exec-exit.txt'));
    expect(ns.problems).toEqual([]);
    expect(ns.table.numRows).toBe(us.table.numRows);
    // Line 2: "perf  2049/2049  [000]  6993.913867131: ..."
    expect(ns.firstTimestamp).toEqual({ sec: 6993, nsec: 913867131 });
    // Line 16: "sh  2051/2051  [000]  6993.914648626: sched:sched_process_exec: ..." = 781495 ns after line 2
    expect(ns.rows.find((x) => x.event === 'sched_process_exec')!.ts_ns).toBe(781_495);
    ns.rows.forEach((row, i) => {
      const { ts_ns: a, ...restNs } = row;
      const { ts_ns: b, ...restUs } = us.rows[i]!;
      expect(restNs).toEqual(restUs);
      expect(Math.abs((a as number) - (b as number))).toBeLessThan(1000);
    });
  });
});
