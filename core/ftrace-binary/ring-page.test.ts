import { describe, expect, it } from 'vitest';
import { decodeRawCapture } from './index.ts';
import { captureRawInstance } from './testing/tracefs-capture.ts';

describe('lost events from the page headers (a 16 KiB-per-CPU buffer overwritten by a busy shell)', () => {
  const capture = captureRawInstance(['sched/sched_switch', 'sched/sched_wakeup', 'sched/sched_process_fork', 'sched/sched_process_exec'], 'for i in $(seq 200); do /bin/true; done', 16, false);
  const r = decodeRawCapture({ headerPage: capture.headerPage, formats: capture.formats, cpus: capture.cpus, pageSize: capture.pageSize, littleEndian: true, longSize: 8 });

  // The kernel stores the count after the page's data when 8 bytes are left; otherwise the page is only
  // flagged (RB_MISSED_EVENTS without RB_MISSED_STORED), and the count is known from the stats alone.
  it('counts exactly the events the kernel overwrote, per CPU (per_cpu/cpuN/stats overrun), or flags the page when the kernel had no room for the count', () => {
    expect(r.problems).toEqual([]);
    let total = 0;
    for (const [i, stats] of capture.stats.entries()) {
      const cpu = capture.cpus[i]!.cpu;
      const overrun = Number(/^overrun: (\d+)/m.exec(stats)![1]);
      expect(r.recordsByCpu[cpu], `cpu ${cpu}`).toBe(Number(/read events: (\d+)/.exec(stats)![1]));
      if (r.lostUncountedByCpu[cpu] === 0) expect(r.lostByCpu[cpu], `cpu ${cpu}`).toBe(overrun);
      else expect(r.lostByCpu[cpu], `cpu ${cpu}`).toBeLessThan(overrun);
      if (overrun === 0) expect(r.lostUncountedByCpu[cpu]).toBe(0);
      total += overrun;
    }
    expect(total).toBeGreaterThan(0);
  });

  it('a page cut short and a commit larger than its page are problems that say where, not crashes', () => {
    const pages = capture.cpus.find((c) => c.pages.length >= 2 * capture.pageSize)!.pages.slice(0, 2 * capture.pageSize);
    new DataView(pages.buffer).setUint32(8, 5000, true);
    const d = decodeRawCapture({ headerPage: capture.headerPage, formats: capture.formats, cpus: [{ cpu: 0, pages: pages.subarray(0, 2 * capture.pageSize - 100) }], pageSize: capture.pageSize, littleEndian: true, longSize: 8 });
    expect(d.problems).toEqual([
      'cpu 0: 3996 bytes after the last whole page of 4096 bytes were ignored',
      'cpu 0: page 0 (byte 0): commit says 5000 bytes of data, more than the page holds (4080); page skipped',
    ]);
  });
});
