import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../bundle/reader.ts';
import { createBaseline } from './baselines.ts';
import { evaluateBaseline, evaluateRanker } from './evaluate-baselines.ts';
import { handSequence } from './hand-sequence.ts';
import { encodeSequences, targetClassCount } from './sequences.ts';
import { extractSwitchTrace } from './switches.ts';
import { UNKNOWN_CLASS } from './types.ts';
import { buildVocab } from './vocab.ts';
import { windowPositions } from './windows.ts';

describe('evaluateRanker', () => {
  const a = handSequence([2, 0, 2, 0, 2, 0, -1], { workload: 'pingpong', role: 'test-seen', targetIdle: [0, 1, 0, 1, 0, 1, 0] });
  const b = handSequence([1, 1, 1, -1], { workload: 'steady', role: 'test-unseen', classId: [3, 1, 1, 1] });

  it('scores exactly the window-end positions a model would be scored on, per workload and role', () => {
    const seen: string[] = [];
    const always2 = (seq: typeof a, p: number) => {
      seen.push(`${seq.workload}:${p}`);
      return Int32Array.of(2, 1);
    };
    const r = evaluateRanker(always2, [a, b], 3, 2);
    const { seq, pos } = windowPositions([a, b], 3, 1);
    expect(seen).toEqual(Array.from(pos, (p, j) => `${[a, b][seq[j]!]!.workload}:${p}`));
    // a: positions 2..5 → truths 2, 0, 2, 0 (the 0s are idle); b: position 2 → truth 1.
    expect(Array.from(r.truth)).toEqual([2, 0, 2, 0, 1]);
    expect(r.overall).toMatchObject({ n: 5, top1: 2 / 5, topk: 3 / 5, nExclIdle: 3, top1ExclIdle: 2 / 3, topkExclIdle: 1 });
    expect(r.byWorkload.pingpong).toMatchObject({ n: 4, top1: 0.5, topk: 0.5 });
    expect(r.byRole['test-unseen']).toMatchObject({ n: 1, top1: 0, topk: 1, unknownShare: 1 });
    expect(r.overall.unknownShare).toBeCloseTo(1 / 5, 12);
  });

  it('cuts longer rankings to k before scoring', () => {
    const r = evaluateRanker(() => Int32Array.of(3, 2, 1, 0), [a], 1, 1);
    expect(r.overall.topk).toBe(0);
    expect(Array.from(r.top1).every((t) => t === 3)).toBe(true);
  });
});

describe('baselines on a real trace', () => {
  it('repeat patterns beat the most frequent class on per-CPU sysbench switches, scored on held-out switches', async () => {
    const r = await readBundle(new Uint8Array(readFileSync(new URL('../../public/datasets/sysbench-cpu.tlab', import.meta.url))));
    if (!r.ok) throw new Error(r.error.kind);
    const trace = extractSwitchTrace(r.bundle, { traceId: 'sysbench', workload: 'sysbench', role: 'train' });
    const vocab = buildVocab([trace], { maxClasses: 32, minCount: 1 });
    const all = encodeSequences(trace, vocab, { mode: 'per-cpu', target: 'next-class', recentK: 8 });
    // The same trace as seen-workload test data: honest enough to compare baselines with each other.
    const test = encodeSequences({ ...trace, role: 'test-seen' }, vocab, { mode: 'per-cpu', target: 'next-class', recentK: 8 });
    const K = targetClassCount('next-class', vocab.names.length, 8);
    const score = (name: Parameters<typeof createBaseline>[0]) => evaluateBaseline(createBaseline(name), all, test, K, 16, 3);
    const frequent = score('most-frequent');
    const bigram = score('ngram-2');
    expect(frequent.overall.n).toBe(all.reduce((n, s) => n + s.length - 16, 0));
    expect(frequent.overall.unknownShare).toBe(0);
    expect(bigram.overall.top1).toBeGreaterThan(frequent.overall.top1);
    expect(bigram.overall.topk).toBeGreaterThanOrEqual(bigram.overall.top1);
    expect(test.every((s) => s.classId.every((c) => c !== UNKNOWN_CLASS))).toBe(true);
  });
});
