import { readFileSync } from 'node:fs';
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { readBundle, type Bundle } from '../bundle/reader.ts';
import { schedDetailTracks, schedTimeline, syscallTracks, timelineView, type TimelineView } from './index.ts';

const load = async (file: string): Promise<Bundle> => {
  const r = await readBundle(new Uint8Array(readFileSync(new URL(`../../public/datasets/${file}`, import.meta.url))));
  if (!r.ok) throw new Error(r.error.kind);
  return r.bundle;
};

interface NaiveSlice {
  cpu: number;
  start: number;
  end: number;
  pid: number;
  comm: string;
  endState: string | null;
  wake: number | null;
}

/**
 * The definition, walked the slow way over Arrow's row objects: sort the events by time (stable), and on each
 * CPU a slice runs from a switch to the next, belonging to the task switched in (idle runs left out).
 */
export function naiveSchedSlices(sched: Table, startNs: number): NaiveSlice[] {
  const rows = [];
  for (let i = 0; i < sched.numRows; i++) {
    const r = sched.get(i)!.toJSON() as Record<string, unknown>;
    rows.push({ i, s: (Number(r.ts_ns as bigint) - startNs) / 1e9, r });
  }
  rows.sort((a, b) => a.s - b.s || a.i - b.i);
  const out: NaiveSlice[] = [];
  const open = new Map<number, { start: number; pid: number; comm: string; wake: number | null }>();
  const woke = new Map<number, number>();
  for (const { s, r } of rows) {
    if (r.event === 'sched_wakeup' || r.event === 'sched_wakeup_new') {
      if (r.target_pid !== null && !woke.has(r.target_pid as number)) woke.set(r.target_pid as number, s);
      continue;
    }
    if (r.event !== 'sched_switch') continue;
    const cpu = r.cpu as number;
    const o = open.get(cpu);
    if (o) out.push({ cpu, start: o.start, end: s, pid: o.pid, comm: o.comm, endState: (r.prev_state as string | null) ?? null, wake: o.wake });
    open.delete(cpu);
    if (r.prev_pid) woke.delete(r.prev_pid as number);
    const next = r.next_pid as number | null;
    if (next) {
      const w = woke.get(next);
      woke.delete(next);
      open.set(cpu, { start: s, pid: next, comm: (r.next_comm as string | null) ?? '', wake: w === undefined ? null : s - w });
    }
  }
  return out;
}

/** A view's entries as naive slices (only valid where every entry is one slice). */
function viewSlices(view: TimelineView, cpus: number[], tasks: { pid: number; comm: string }[], states: readonly string[]): NaiveSlice[] {
  return view.tracks.flatMap((tr, k) =>
    Array.from(tr.start, (start, j) => ({
      cpu: cpus[k]!,
      start,
      end: tr.end[j]!,
      pid: tasks[tr.key[j]!]!.pid,
      comm: tasks[tr.key[j]!]!.comm,
      endState: tr.code[j]! >= 0 ? states[tr.code[j]!]! : null,
      wake: Number.isNaN(tr.value[j]!) ? null : tr.value[j]!,
    })),
  );
}

const byCpuThenStart = (a: NaiveSlice, b: NaiveSlice) => a.cpu - b.cpu || a.start - b.start;

describe('per-CPU timeline of sysbench-cpu.tlab', () => {
  it('has exactly the slices of a naive walk of the sched table, with end states and wake-up latencies', async () => {
    const b = await load('sysbench-cpu.tlab');
    const naive = naiveSchedSlices(b.tables.sched!, b.manifest.workload.startNs);
    const tl = schedTimeline(b.tables.sched!, b.manifest.workload.startNs);
    const cpus = tl.tracks.map((t) => t.cpu);
    const all = viewSlices(timelineView(schedDetailTracks(tl), -1, tl.maxS + 1, 1e12), cpus, [...tl.tasks], tl.states);
    expect(naive.length).toBeGreaterThan(1000);
    expect(all.sort(byCpuThenStart)).toEqual(naive.sort(byCpuThenStart));
    // The trace has wake-ups, and most runs after a sleep have a latency.
    expect(tl.hasWakeups).toBe(true);
    expect(naive.filter((s) => s.wake !== null).length).toBeGreaterThan(naive.length / 4);
  });

  it('zoomed to a few switches, returns exactly the slices overlapping the span, none merged', async () => {
    const b = await load('sysbench-cpu.tlab');
    const naive = naiveSchedSlices(b.tables.sched!, b.manifest.workload.startNs);
    const tl = schedTimeline(b.tables.sched!, b.manifest.workload.startNs);
    const cpus = tl.tracks.map((t) => t.cpu);
    // Around the 500th slice: a span of 2 ms at 1200 px (1.7 µs per pixel).
    const mid = naive[500]!.start;
    const from = mid - 0.001;
    const to = mid + 0.001;
    const view = timelineView(schedDetailTracks(tl), from, to, 1200);
    const inSpan = naive.filter((s) => s.end > from && s.start < to && s.end - s.start >= (to - from) / 1200);
    for (const tr of view.tracks) for (const c of tr.count) expect(c).toBe(1);
    const shown = viewSlices(view, cpus, [...tl.tasks], tl.states).filter((s) => s.end - s.start >= (to - from) / 1200);
    expect(shown.sort(byCpuThenStart)).toEqual(inSpan.sort(byCpuThenStart));
    expect(inSpan.length).toBeGreaterThan(0);
  });
});

describe('level of detail on messaging.tlab (the 664k-row default demo)', () => {
  it('merges sub-pixel slices into groups about a pixel wide, losing none, within 4 entries per pixel', async () => {
    const b = await load('messaging.tlab');
    const t0 = performance.now();
    const tl = schedTimeline(b.tables.sched!, b.manifest.workload.startNs);
    const buildMs = performance.now() - t0;
    const tracks = schedDetailTracks(tl);
    const width = 1200;
    for (const [from, to] of [
      [tl.minS, tl.maxS],
      [3, 3.5],
      [5, 5.002],
    ] as const) {
      const t1 = performance.now();
      const view = timelineView(tracks, from, to, width);
      const viewMs = performance.now() - t1;
      const pxS = (to - from) / width;
      view.tracks.forEach((tr, k) => {
        const track = tl.tracks[k]!;
        const inSpan = Array.from(track.start).filter((s, j) => track.end[j]! > from && s < to).length;
        expect(tr.count.reduce((a, c) => a + c, 0)).toBe(inSpan);
        expect(tr.start.length).toBeLessThanOrEqual(4 * width + 8);
        for (let j = 0; j < tr.start.length; j++) {
          // Each entry covers exactly its slices, in order, without overlapping the next.
          expect(tr.start[j]).toBe(track.start[tr.first[j]!]);
          expect(tr.end[j]).toBe(track.end[tr.first[j]! + tr.count[j]! - 1]);
          if (j + 1 < tr.start.length) expect(tr.first[j + 1]).toBe(tr.first[j]! + tr.count[j]!);
          // Merged entries are small: each merged slice < 1 px, joined while the group was < 1 px.
          if (tr.count[j]! > 1) expect(tr.end[j]! - tr.start[j]!).toBeLessThan(3 * pxS);
          else if (tr.end[j]! - tr.start[j]! >= pxS) expect(tr.count[j]).toBe(1);
        }
        // Slices a pixel or wider are never merged away.
        for (let i = 0; i < track.start.length; i++) {
          if (track.end[i]! > from && track.start[i]! < to && track.end[i]! - track.start[i]! >= pxS) {
            expect(tr.first.includes(i)).toBe(true);
          }
        }
      });
      console.info(`messaging.tlab: view ${from}..${to} s at ${width} px: ${view.slices} slices -> ${view.tracks.reduce((n, t) => n + t.start.length, 0)} entries in ${viewMs.toFixed(1)} ms`);
    }
    console.info(`messaging.tlab: ${tl.switches} switches -> slices in ${buildMs.toFixed(0)} ms`);
  }, 60_000);
});

describe('per-thread syscall tracks of sysbench-cpu.tlab', () => {
  it('hold every timed call once, on its thread, ends never past the next start', async () => {
    const b = await load('sysbench-cpu.tlab');
    const st = syscallTracks(b.tables.syscalls!, b.manifest.workload.startNs);
    const t = b.tables.syscalls!;
    const naive = new Map<number, number>();
    for (let i = 0; i < t.numRows; i++) {
      const r = t.get(i)!.toJSON() as Record<string, unknown>;
      if (r.kind === 'syscall' && r.duration_ns !== null) naive.set(r.tid as number, (naive.get(r.tid as number) ?? 0) + 1);
    }
    expect(new Map(st.tids.map((x, k) => [x.tid, st.tracks[k]!.start.length]))).toEqual(naive);
    for (const tr of st.tracks) for (let j = 0; j + 1 < tr.start.length; j++) expect(tr.end[j]).toBeLessThanOrEqual(tr.start[j + 1]!);
  });
});
