import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dictColumn, numberColumn } from '../../core/bundle/index.ts';
import { readBack, runTlab, tempDir } from './helpers.ts';

const root = new URL('../../', import.meta.url).pathname;

interface TraceEvent {
  ph: string;
  pid: number;
  tid?: number;
  ts?: number;
  dur?: number;
  name: string;
  args?: Record<string, unknown>;
}

describe('tlab export --perfetto', () => {
  it('writes a Chrome JSON trace with every syscall, a slice per task run on each CPU, and counter tracks', async () => {
    const file = join(root, 'public/datasets/sysbench-cpu.tlab');
    const out = join(tempDir(), 'trace.json');
    const run = await runTlab(['export', '--perfetto', file, '-o', out]);
    expect(run.code, run.stderr).toBe(0);
    const trace = JSON.parse(readFileSync(out, 'utf8')) as { traceEvents: TraceEvent[] };
    const bundle = await readBack(file);

    const sys = bundle.tables.syscalls!;
    const cpuTrackPid = trace.traceEvents.find((e) => e.ph === 'M' && e.args?.['name'] === 'CPUs')!.pid;
    const syscallEvents = trace.traceEvents.filter((e) => (e.ph === 'X' || e.ph === 'i') && e.pid !== cpuTrackPid);
    expect(syscallEvents.length).toBe(sys.numRows);

    // Each CPU's slices never overlap and stay inside the trace: a run ends before the next one starts.
    const sched = bundle.tables.sched!;
    const ts = numberColumn(sched, 'ts_ns');
    const span = (Math.max(...ts) - Math.min(...ts)) / 1000;
    const slices = trace.traceEvents.filter((e) => e.ph === 'X' && e.pid === cpuTrackPid);
    expect(slices.length).toBeGreaterThan(0);
    const byCpu = new Map<number, TraceEvent[]>();
    for (const s of slices) byCpu.set(s.tid!, [...(byCpu.get(s.tid!) ?? []), s]);
    const cpus = new Set(Array.from(numberColumn(sched, 'cpu')));
    expect(new Set(byCpu.keys())).toEqual(cpus);
    for (const list of byCpu.values()) {
      list.sort((a, b) => a.ts! - b.ts!);
      let busy = 0;
      for (let i = 0; i < list.length; i++) {
        busy += list[i]!.dur!;
        if (i > 0) expect(list[i]!.ts!).toBeGreaterThanOrEqual(list[i - 1]!.ts! + list[i - 1]!.dur! - 0.002);
      }
      expect(busy).toBeLessThanOrEqual(span + 1);
    }
    // No slice for the idle task, and a slice per switch away from a real task.
    const ev = dictColumn(sched, 'event');
    const switches = Array.from(ev.codes).filter((c) => ev.values[c] === 'sched_switch').length;
    expect(slices.length).toBeLessThan(switches);
    expect(slices.every((s) => !s.name.endsWith(' 0'))).toBe(true);

    const counters = trace.traceEvents.filter((e) => e.ph === 'C');
    expect(counters.some((c) => c.name.startsWith('task-clock'))).toBe(true);
    expect(counters.some((c) => c.name === 'group CPU (cores)')).toBe(true);
  });
});
