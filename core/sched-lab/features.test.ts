import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../bundle/reader.ts';
import { buildWindowBatch, featureLayout, fitNormaliser, writeFeatures, type FeatureLayout } from './features.ts';
import { handSequence } from './hand-sequence.ts';
import { encodeSequences } from './sequences.ts';
import { extractSwitchTrace } from './switches.ts';
import { PREV_STATES } from './types.ts';
import { buildVocab } from './vocab.ts';
import { windowPositions } from './windows.ts';

const sum = (v: Float32Array, from: number, width: number) => v.subarray(from, from + width).reduce((x, y) => x + y, 0);

describe('featureLayout', () => {
  it('lays out class, prev_state, cpu, logDt, woken (2), logWake, recency (K + 1) back to back', () => {
    const l = featureLayout(10, 4, 3);
    expect([l.classOffset, l.prevStateOffset, l.cpuOffset, l.logDtOffset, l.wokenOffset, l.logWakeOffset, l.recencyOffset]).toEqual([
      0, 10, 10 + PREV_STATES.length, 14 + PREV_STATES.length, 15 + PREV_STATES.length, 17 + PREV_STATES.length, 18 + PREV_STATES.length,
    ]);
    expect(l.width).toBe(10 + PREV_STATES.length + 4 + 1 + 2 + 1 + 4);
  });
});

describe('fitNormaliser', () => {
  const train = handSequence([1, 1, 1, -1], { logDt: [1, 2, 3, 6], woken: [1, 0, 1, 0], logWake: [2, 0, 4, 0] });
  it('takes logDt moments over every training position and logWake over woken ones', () => {
    const n = fitNormaliser([train]);
    expect(n.logDtMean).toBeCloseTo(3, 6);
    expect(n.logDtStd).toBeCloseTo(Math.sqrt((4 + 1 + 0 + 9) / 4), 6);
    expect(n.logWakeMean).toBeCloseTo(3, 6);
    expect(n.logWakeStd).toBeCloseTo(1, 6);
  });
  it('refuses test data, floors a zero spread, and has neutral moments with nothing woken', () => {
    const test = handSequence([1, -1], { role: 'test-seen', traceId: 'held-back', logDt: [100, 200] });
    expect(() => fitNormaliser([train, test])).toThrow(/training traces only.*held-back/);
    const flat = fitNormaliser([handSequence([1, 1, -1], { logDt: [2, 2, 2] })]);
    expect(flat.logDtStd).toBe(1e-6);
    expect(flat.logWakeMean).toBe(0);
    expect(flat.logWakeStd).toBe(1);
  });
});

describe('writeFeatures', () => {
  const layout = featureLayout(6, 2, 3);
  const norm = { logDtMean: 1, logDtStd: 2, logWakeMean: 3, logWakeStd: 4 };
  const seq = handSequence([1, 2, 3, -1], {
    classId: [5, 1, 2, 3],
    prevState: [0, 2, 7, 1],
    cpu: [0, 1, 2, 1],
    logDt: [0, 5, 1, 3],
    woken: [0, 1, -1, 1],
    logWake: [0, 7, 0, 3],
    recency: [3, 0, 9, 1],
  });
  const at = (p: number, l: FeatureLayout = layout) => {
    const out = new Float32Array(l.width + 4).fill(7);
    writeFeatures(seq, p, l, norm, out, 2);
    return out;
  };

  it('writes one-hots that sum to one, normalised times, and leaves the rest of the buffer alone', () => {
    const v = at(1);
    expect([v[0], v[1], v.at(-1), v.at(-2)]).toEqual([7, 7, 7, 7]);
    const o = 2;
    expect(sum(v, o + layout.classOffset, 6)).toBe(1);
    expect(v[o + layout.classOffset + 1]).toBe(1);
    expect(sum(v, o + layout.prevStateOffset, PREV_STATES.length)).toBe(1);
    expect(v[o + layout.prevStateOffset + 2]).toBe(1);
    expect(v[o + layout.cpuOffset + 1]).toBe(1);
    expect(v[o + layout.logDtOffset]).toBe(2);
    expect([v[o + layout.wokenOffset], v[o + layout.wokenOffset + 1]]).toEqual([1, 0]);
    expect(v[o + layout.logWakeOffset]).toBe(1);
    expect(sum(v, o + layout.recencyOffset, 4)).toBe(1);
    expect(v[o + layout.recencyOffset]).toBe(1);
    expect(sum(v, o, layout.width)).toBe(1 + 1 + 1 + 2 + 1 + 1 + 1);
  });

  it('gives a CPU beyond the layout no one-hot, marks unrecorded wakeups, and folds far ranks into "none"', () => {
    const o = 2;
    const v = at(2);
    expect(sum(v, o + layout.cpuOffset, 2)).toBe(0);
    expect([v[o + layout.wokenOffset], v[o + layout.wokenOffset + 1], v[o + layout.logWakeOffset]]).toEqual([0, 1, 0]);
    expect(v[o + layout.recencyOffset + 3]).toBe(1);
    const w = at(0);
    expect([w[o + layout.wokenOffset], w[o + layout.wokenOffset + 1], w[o + layout.logWakeOffset]]).toEqual([0, 0, 0]);
  });
});

describe('on real sequences', () => {
  it('every position of a real trace has exactly one class, state and recency, and batches copy positions', async () => {
    const r = await readBundle(new Uint8Array(readFileSync(new URL('../../public/datasets/sysbench-cpu.tlab', import.meta.url))));
    if (!r.ok) throw new Error(r.error.kind);
    const trace = extractSwitchTrace(r.bundle, { traceId: 's', workload: 'sysbench', role: 'train' });
    const vocab = buildVocab([trace], { maxClasses: 16, minCount: 1 });
    const seqs = encodeSequences(trace, vocab, { mode: 'per-cpu', target: 'next-class', recentK: 4 });
    const layout = featureLayout(vocab.names.length, 2, 4);
    const norm = fitNormaliser(seqs);
    expect(norm.logDtStd).toBeGreaterThan(0.1);
    expect(norm.logWakeStd).toBeGreaterThan(0.1);
    const out = new Float32Array(layout.width);
    let bad = 0;
    for (const s of seqs) {
      for (let p = 0; p < s.length; p++) {
        writeFeatures(s, p, layout, norm, out, 0);
        const ones = [
          sum(out, layout.classOffset, layout.vocabSize),
          sum(out, layout.prevStateOffset, PREV_STATES.length),
          sum(out, layout.cpuOffset, 2),
          sum(out, layout.recencyOffset, 5),
          out[layout.wokenOffset]! + out[layout.wokenOffset + 1]! <= 1 ? 1 : 0,
        ];
        if (ones.some((x) => x !== 1) || !Number.isFinite(sum(out, 0, layout.width))) bad++;
      }
    }
    expect(bad).toBe(0);

    const window = 8;
    const positions = windowPositions(seqs, window, 1);
    const picks = [0, 5, positions.pos.length - 1];
    const batch = buildWindowBatch(seqs, positions, picks, window, layout, norm);
    expect(batch.x.length).toBe(picks.length * window * layout.width);
    picks.forEach((j, b) => {
      const s = seqs[positions.seq[j]!]!;
      const end = positions.pos[j]!;
      expect(batch.y[b]).toBe(s.target[end]);
      expect(batch.idle[b]).toBe(s.targetIdle[end]);
      for (const t of [0, window - 1]) {
        writeFeatures(s, end - window + 1 + t, layout, norm, out, 0);
        const F = layout.width;
        expect(Array.from(batch.x.subarray((b * window + t) * F, (b * window + t + 1) * F))).toEqual(Array.from(out));
      }
    });
  });
});
