import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../bundle/reader.ts';
import { encodeSequences, targetClassCount } from './sequences.ts';
import { extractSwitchTrace } from './switches.ts';
import { IDLE_CLASS, OTHER_CLASS, PREV_STATES, UNKNOWN_CLASS, type SwitchTrace, type TraceRole, type Vocab } from './types.ts';
import { buildVocab, vocabFromJson } from './vocab.ts';

async function demoTrace(file: string, role: TraceRole): Promise<SwitchTrace> {
  const r = await readBundle(new Uint8Array(readFileSync(new URL(`../../public/datasets/${file}`, import.meta.url))));
  if (!r.ok) throw new Error(r.error.kind);
  return extractSwitchTrace(r.bundle, { traceId: file, workload: file.replace('.tlab', ''), role });
}

/** Index of the first difference (or of the shorter end), -1 when equal: cheaper than deep equality on 400k items. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** Rank of `pid` among the distinct pids of history (most recent last), most recent first; K when not among K. */
function naiveRank(history: number[], pid: number, K: number): number {
  const distinct: number[] = [];
  for (let j = history.length - 1; j >= 0 && distinct.length < K; j--) if (!distinct.includes(history[j]!)) distinct.push(history[j]!);
  const r = distinct.indexOf(pid);
  return r < 0 ? K : r;
}

describe('encodeSequences on sysbench-cpu.tlab', () => {
  let trace: SwitchTrace;
  let vocab: Vocab;
  beforeAll(async () => {
    trace = await demoTrace('sysbench-cpu.tlab', 'train');
    vocab = buildVocab([trace], { maxClasses: 32, minCount: 1 });
  });
  const rowsOfCpu = (cpu: number) => {
    const rows: number[] = [];
    for (let i = 0; i < trace.length; i++) if (trace.cpu[i] === cpu) rows.push(i);
    return rows;
  };

  it('splits per CPU without losing or mixing switches, and merges into one', () => {
    const perCpu = encodeSequences(trace, vocab, { mode: 'per-cpu', target: 'next-class', recentK: 8 });
    expect(perCpu.map((s) => s.sequenceCpu)).toEqual([0, 1]);
    expect(perCpu.reduce((n, s) => n + s.length, 0)).toBe(trace.length);
    for (const s of perCpu) expect(s.cpu.every((c) => c === s.sequenceCpu)).toBe(true);
    const merged = encodeSequences(trace, vocab, { mode: 'merged', target: 'next-class', recentK: 8 });
    expect(merged).toHaveLength(1);
    expect(merged[0]!.length).toBe(trace.length);
    expect(merged[0]!.sequenceCpu).toBe(-1);
    expect(firstDifference(merged[0]!.cpu, trace.cpu)).toBe(-1);
  });

  it('next-class: target i is the class switched in at i + 1, idle flagged, -1 at the end', () => {
    for (const s of encodeSequences(trace, vocab, { mode: 'per-cpu', target: 'next-class', recentK: 8 })) {
      const rows = rowsOfCpu(s.sequenceCpu);
      const expectedClass = rows.map((r) => vocab.classOf(trace.classNames[trace.nextClass[r]!]!));
      expect(firstDifference(s.classId, expectedClass)).toBe(-1);
      expect(firstDifference(s.target, [...expectedClass.slice(1), -1])).toBe(-1);
      expect(firstDifference(s.targetIdle, [...rows.slice(1).map((r) => (trace.nextPid[r] === 0 ? 1 : 0)), 0])).toBe(-1);
      expect(s.targetIdle.some((v) => v === 1)).toBe(true);
      expect(s.length).toBeGreaterThan(500);
    }
  });

  it('prev-state: target i is the state the running task leaves in at switch i + 1', () => {
    const [s] = encodeSequences(trace, vocab, { mode: 'merged', target: 'prev-state', recentK: 8 });
    expect(firstDifference(s!.target.subarray(0, -1), trace.prevState.subarray(1))).toBe(-1);
    expect(s!.target.at(-1)).toBe(-1);
    expect(s!.target.every((t) => t < PREV_STATES.length)).toBe(true);
  });

  it('recent-pointer and recency match a direct search over each CPU\'s history', () => {
    const K = 4;
    for (const s of encodeSequences(trace, vocab, { mode: 'per-cpu', target: 'recent-pointer', recentK: K })) {
      const pids = rowsOfCpu(s.sequenceCpu).map((r) => trace.nextPid[r]!);
      const n = pids.length - 1;
      const target = [];
      const recency = [];
      for (let i = 0; i < n; i++) {
        target.push(naiveRank(pids.slice(0, i + 1), pids[i + 1]!, K));
        recency.push(naiveRank(pids.slice(0, i), pids[i]!, K));
      }
      expect(Array.from(s.target.subarray(0, n))).toEqual(target);
      expect(Array.from(s.recency.subarray(0, n))).toEqual(recency);
      expect(s.target.subarray(0, -1).every((r) => r >= 0 && r <= K)).toBe(true);
      // Rank 0 means the running task is switched in again; it happens, and so does "none of the last K".
      expect(target.includes(0) || target.includes(1)).toBe(true);
      expect(target).toContain(K);
    }
    expect(targetClassCount('recent-pointer', 99, K)).toBe(K + 1);
  });

  it('puts log-scaled times since the last switch and since the wakeup', () => {
    const [s] = encodeSequences(trace, vocab, { mode: 'merged', target: 'next-class', recentK: 8 });
    expect(s!.logDt[0]).toBe(0);
    for (let i = 1; i < trace.length; i++) {
      expect(s!.logDt[i]).toBeCloseTo(Math.log1p((trace.tsNs[i]! - trace.tsNs[i - 1]!) / 1e3), 5);
      if (trace.woken[i] === 1) expect(s!.logWake[i]).toBeCloseTo(Math.log1p(trace.wakeLatencyNs[i]! / 1e3), 5);
      else expect(s!.logWake[i]).toBe(0);
    }
    expect(firstDifference(s!.woken, trace.woken)).toBe(-1);
  });

  it('gives classes missing from the vocabulary <unknown>, those it calls rare <other>, and idle 0', () => {
    const partial = vocabFromJson({ version: 1, names: ['<idle>', '<unknown>', '<other>', 'kworker'], other: ['rcu_preempt'] });
    const unseen: SwitchTrace = { ...trace, role: 'test-unseen' };
    const [s] = encodeSequences(unseen, partial, { mode: 'merged', target: 'next-class', recentK: 8 });
    expect(s!.role).toBe('test-unseen');
    const want = { sysbench: UNKNOWN_CLASS, rcu_preempt: OTHER_CLASS, kworker: 3, '<idle>': IDLE_CLASS };
    const counts = { sysbench: 0, rcu_preempt: 0, kworker: 0, '<idle>': 0 };
    let wrong = 0;
    for (let i = 0; i < trace.length; i++) {
      const name = trace.classNames[trace.nextClass[i]!]! as keyof typeof want;
      if (!(name in want)) continue;
      counts[name]++;
      if (s!.classId[i] !== want[name]) wrong++;
    }
    expect(wrong).toBe(0);
    for (const n of Object.values(counts)) expect(n).toBeGreaterThan(5);
  });

  it('refuses a recentK below 1', () => {
    expect(() => encodeSequences(trace, vocab, { mode: 'merged', target: 'recent-pointer', recentK: 0 })).toThrow(/recentK/);
  });
});
