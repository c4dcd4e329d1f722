import { readFileSync } from 'node:fs';
import type { Table } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { dictColumn, numberColumn } from '../bundle/columns.ts';
import { readBundle, type Bundle } from '../bundle/reader.ts';
import { buildTable, type Row } from '../bundle/table-builder.ts';
import { extractSwitchTrace, switchTraceFromTable } from './switches.ts';
import { switchChains } from './trace-quality.ts';
import { PREV_STATES, type SwitchTrace } from './types.ts';

async function demo(file: string): Promise<Bundle> {
  const r = await readBundle(new Uint8Array(readFileSync(new URL(`../../public/datasets/${file}`, import.meta.url))));
  if (!r.ok) throw new Error(r.error.kind);
  return r.bundle;
}

const meta = { traceId: 't', workload: 'w', role: 'train' } as const;

function rowsOf(t: Table): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < t.numRows; i++) rows.push(t.get(i)!.toJSON() as Row);
  return rows;
}

describe('messaging.tlab switches', () => {
  let bundle: Bundle;
  let trace: SwitchTrace;
  beforeAll(async () => {
    bundle = await demo('messaging.tlab');
    trace = extractSwitchTrace(bundle, { traceId: 'messaging', workload: 'messaging', role: 'train' }, { inferMissing: false });
  });

  it('has one entry per sched_switch row, in time order, copied from the rows', () => {
    const t = bundle.tables.sched!;
    const ev = dictColumn(t, 'event');
    const rows = [...ev.codes.keys()].filter((i) => ev.values[ev.codes[i]!] === 'sched_switch');
    expect(trace.length).toBe(rows.length);
    expect(trace.length).toBeGreaterThan(100_000);
    for (let i = 1; i < trace.length; i++) if (trace.tsNs[i]! < trace.tsNs[i - 1]!) throw new Error(`switch ${i} goes back in time`);
    const next = numberColumn(t, 'next_pid');
    const prev = numberColumn(t, 'prev_pid');
    const cpu = numberColumn(t, 'cpu');
    // The demo table is already in time order, so the k-th switch row is the k-th switch.
    const differ = rows.filter((row, k) => trace.nextPid[k] !== next[row] || trace.prevPid[k] !== prev[row] || trace.cpu[k] !== cpu[row]);
    expect(differ).toEqual([]);
  });

  it('names idle explicitly and only for pid 0', () => {
    const idle = trace.classNames.indexOf('<idle>');
    expect(idle).toBeGreaterThanOrEqual(0);
    let idleSwitches = 0;
    let mislabelled = 0;
    for (let i = 0; i < trace.length; i++) {
      if ((trace.nextClass[i] === idle) !== (trace.nextPid[i] === 0)) mislabelled++;
      if (trace.nextPid[i] === 0) idleSwitches++;
    }
    expect(mislabelled).toBe(0);
    expect(idleSwitches).toBeGreaterThan(1000);
    expect(trace.classNames).toContain('sched-messaging');
    expect(trace.classNames.some((n) => n.includes('/'))).toBe(false);
  });

  it('records wakeups: woken tasks have a non-negative latency, others NaN, and idle is never woken', () => {
    let wokenCount = 0;
    const bad: number[] = [];
    for (let i = 0; i < trace.length; i++) {
      const w = trace.woken[i]!;
      if (w === 1) {
        wokenCount++;
        if (!(trace.wakeLatencyNs[i]! >= 0) || trace.nextPid[i] === 0) bad.push(i);
      } else if (w !== 0 || !Number.isNaN(trace.wakeLatencyNs[i])) bad.push(i);
    }
    expect(bad).toEqual([]);
    expect(wokenCount).toBeGreaterThan(trace.length / 10);
  });

  it('counts per-CPU chain breaks (missing switches) the same way a direct check does', () => {
    const chains = switchChains(trace);
    expect(chains.map((c) => c.cpu)).toEqual([0, 1]);
    expect(chains.reduce((n, c) => n + c.switches, 0)).toBe(trace.length);
    for (const { cpu, breaks } of chains) {
      let direct = 0;
      let lastIn: number | null = null;
      for (let i = 0; i < trace.length; i++) {
        if (trace.cpu[i] !== cpu) continue;
        if (lastIn !== null && lastIn !== trace.prevPid[i]) direct++;
        lastIn = trace.nextPid[i]!;
      }
      expect(breaks).toBe(direct);
    }
    // CPU 0 chains almost perfectly; this recording lost CPU 1's switches out of idle (see the lab's data notes).
    expect(chains[0]!.breaks / chains[0]!.switches).toBeLessThan(0.01);
  });

  it('puts back the switches a CPU lost, so every per-CPU chain closes', () => {
    const repaired = extractSwitchTrace(bundle, { traceId: 'messaging', workload: 'messaging', role: 'train' });
    const lost = switchChains(trace).reduce((n, c) => n + c.breaks, 0);
    expect(lost).toBeGreaterThan(1000);
    expect(repaired.inferredCount).toBe(lost);
    expect(repaired.length).toBe(trace.length + lost);
    expect(switchChains(repaired).map((c) => c.breaks)).toEqual([0, 0]);
    // Each inferred switch hands the CPU to the task the next recorded switch takes it from, at that switch's time.
    for (let i = 0; i < repaired.length; i++) {
      if (!repaired.inferred[i]) continue;
      expect(repaired.inferred[i + 1]).toBe(0);
      expect(repaired.nextPid[i]).toBe(repaired.prevPid[i + 1]);
      expect(repaired.cpu[i]).toBe(repaired.cpu[i + 1]);
      expect(repaired.tsNs[i]).toBe(repaired.tsNs[i + 1]);
    }
    for (let i = 1; i < repaired.length; i++) if (repaired.tsNs[i]! < repaired.tsNs[i - 1]!) throw new Error(`switch ${i} goes back in time`);
  });

  it('maps preempted (R+) and traced (t) states to their groups', () => {
    const counts = new Array<number>(PREV_STATES.length).fill(0);
    for (const s of trace.prevState) counts[s]!++;
    expect(counts[PREV_STATES.indexOf('R+')]).toBe(417);
    expect(counts[PREV_STATES.indexOf('T')]).toBe(194569 + 1);
    expect(counts[PREV_STATES.indexOf('other')]).toBe(0);
  });
});

describe('sysbench-cpu.tlab switches', () => {
  let bundle: Bundle;
  let rows: Row[];
  let trace: SwitchTrace;
  beforeAll(async () => {
    bundle = await demo('sysbench-cpu.tlab');
    rows = rowsOf(bundle.tables.sched!);
    trace = extractSwitchTrace(bundle, meta, { inferMissing: false });
  });

  it('matches a direct search for each switched-in task\'s latest wakeup since it last switched out', () => {
    const switches = rows.map((r, i) => [r, i] as const).filter(([r]) => r.event === 'sched_switch');
    expect(switches.length).toBe(trace.length);
    let checked = 0;
    const wrong: number[] = [];
    switches.forEach(([r, row], k) => {
      const pid = Number(r.next_pid);
      let wake: number | null = null;
      for (let j = row - 1; j >= 0; j--) {
        const e = rows[j]!;
        // "Since it last ran": a switch in consumes a wakeup, a switch out makes older ones stale.
        if (e.event === 'sched_switch' && (Number(e.prev_pid) === pid || Number(e.next_pid) === pid)) break;
        if ((e.event === 'sched_wakeup' || e.event === 'sched_wakeup_new') && Number(e.target_pid) === pid) {
          wake = Number(e.ts_ns);
          break;
        }
      }
      if (pid === 0) wake = null;
      if (trace.woken[k] !== (wake === null ? 0 : 1)) wrong.push(k);
      else if (wake !== null) {
        if (trace.wakeLatencyNs[k] !== Number(r.ts_ns) - wake) wrong.push(k);
        checked++;
      }
    });
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });

  it('marks wakeups as not recorded (-1) when the table has none, and changes nothing else', () => {
    const without = switchTraceFromTable(
      buildTable('sched', rows.filter((r) => r.event !== 'sched_wakeup' && r.event !== 'sched_wakeup_new')),
      meta,
      { inferMissing: false },
    );
    expect(without.length).toBe(trace.length);
    expect(without.woken.every((w) => w === -1)).toBe(true);
    expect(without.wakeLatencyNs.every((v) => Number.isNaN(v))).toBe(true);
    expect(without.nextPid).toEqual(trace.nextPid);
    expect(without.prevState).toEqual(trace.prevState);
  });

  it('sorts rows that are out of time order, keeping the recorded order of equal times', () => {
    let cut = Math.floor(rows.length / 2);
    while (rows[cut]!.ts_ns === rows[cut - 1]!.ts_ns) cut++;
    const rotated = switchTraceFromTable(buildTable('sched', [...rows.slice(cut), ...rows.slice(0, cut)]), meta, { inferMissing: false });
    expect(rotated.tsNs).toEqual(trace.tsNs);
    expect(rotated.nextPid).toEqual(trace.nextPid);
    expect(rotated.woken).toEqual(trace.woken);
    const names = (t: SwitchTrace) => Array.from(t.nextClass, (c) => t.classNames[c]);
    expect(names(rotated)).toEqual(names(trace));
  });

  it('refuses a bundle without a sched table or without switches, saying which and how to get one', () => {
    expect(() => extractSwitchTrace({ ...bundle, tables: {} }, { ...meta, traceId: 'cpu-run' })).toThrow(
      /bundle "cpu-run" has no sched table: record it with --sources sched/,
    );
    const wakeupsOnly = buildTable('sched', rows.filter((r) => r.event === 'sched_wakeup'));
    expect(() => extractSwitchTrace({ ...bundle, tables: { sched: wakeupsOnly } }, meta)).toThrow(/no sched_switch events/);
  });
});
