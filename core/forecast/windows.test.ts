import { describe, expect, it } from 'vitest';
import { frameFromColumns } from './series.ts';
import { makeWindows, splitBounds } from './windows.ts';

const n = 20;
const index = Array.from({ length: n }, (_, i) => i);
// "a" is the interval index itself, so an input's value says which interval it came from.
const frame = frameFromColumns({ a: index, b: index.map((i) => 100 - 2 * i) });

/** The raw value back from a normalised input. */
const raw = (v: number, mean: number, std: number) => v * std + mean;

describe('windows', () => {
  it('splits chronologically by fractions', () => {
    expect(splitBounds(20)).toEqual({ n: 20, trainEnd: 12, valEnd: 16 });
    expect(splitBounds(10, { train: 0.5, val: 0.3 })).toEqual({ n: 10, trainEnd: 5, valEnd: 8 });
    expect(() => splitBounds(10, { train: 0.8, val: 0.3 })).toThrow();
  });

  it('has the right shapes and the horizon offset checked by hand', () => {
    const w = makeWindows(frame, { targetId: 'a', inputIds: ['a', 'b'], horizon: 2, history: 3 });
    // Targets need inputs j−4 .. j−2 ≥ 0, so train targets are 4..11, validation 12..15, test 16..19.
    expect(w.train.n).toBe(8);
    expect(w.val.n).toBe(4);
    expect(w.test.n).toBe(4);
    expect(w.train.x.length).toBe(8 * 3 * 2);
    expect(w.train.lastTargets.length).toBe(8 * 3);
    expect(Array.from(w.train.targetIndex)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    expect(Array.from(w.test.targetIndex)).toEqual([16, 17, 18, 19]);
    // First test example: target interval 16 (value 16), inputs intervals 12, 13, 14 (oldest first).
    const { mean, std } = w.layout.norm;
    expect(w.test.y[0]).toBe(16);
    const inputsA = [0, 1, 2].map((l) => raw(w.test.x[l * 2]!, mean[0]!, std[0]!));
    const inputsB = [0, 1, 2].map((l) => raw(w.test.x[l * 2 + 1]!, mean[1]!, std[1]!));
    inputsA.forEach((v, l) => expect(v).toBeCloseTo(12 + l, 4));
    inputsB.forEach((v, l) => expect(v).toBeCloseTo(100 - 2 * (12 + l), 4));
    expect(Array.from(w.test.lastTargets.subarray(0, 3))).toEqual([12, 13, 14]);
    // Every example: target − last input = horizon.
    for (const set of [w.train, w.val, w.test]) {
      for (let e = 0; e < set.n; e++) expect(set.y[e]! - set.lastTargets[e * 3 + 2]!).toBe(2);
    }
  });

  it('never puts a validation or test value (target or input) in a training example', () => {
    for (const horizon of [1, 3, 5]) {
      for (const history of [1, 4, 7]) {
        const w = makeWindows(frame, { targetId: 'a', inputIds: ['a'], horizon, history });
        const testTargets = new Set(Array.from(w.test.targetIndex));
        for (let e = 0; e < w.train.n; e++) {
          // With a = interval index, the example's values are the intervals it touches.
          const touched = [w.train.y[e]!, ...Array.from(w.train.lastTargets.subarray(e * history, (e + 1) * history))];
          for (const t of touched) {
            expect(t).toBeLessThan(w.bounds.trainEnd);
            expect(testTargets.has(t)).toBe(false);
          }
        }
        // The test examples are the same target intervals whatever the horizon and history.
        expect(Array.from(w.test.targetIndex)).toEqual([16, 17, 18, 19]);
      }
    }
  });

  it('keeps whole windows inside their split with inputsFrom "own-split"', () => {
    const w = makeWindows(frame, { targetId: 'a', inputIds: ['a'], horizon: 1, history: 2, inputsFrom: 'own-split' });
    // Test split is 16..19: the first target with two inputs inside it is 18 (inputs 16, 17).
    expect(Array.from(w.test.targetIndex)).toEqual([18, 19]);
    expect(Array.from(w.test.lastTargets)).toEqual([16, 17, 17, 18]);
    expect(Array.from(w.val.targetIndex)).toEqual([14, 15]);
  });

  it('fits the normaliser on the training range only', () => {
    const base = index.map((i) => (i % 4) + 1);
    const wild = base.map((v, i) => (i >= 12 ? v * 1e6 : v)); // validation and test values far out
    const w1 = makeWindows(frameFromColumns({ y: base }), { targetId: 'y', inputIds: ['y'], horizon: 1, history: 2 });
    const w2 = makeWindows(frameFromColumns({ y: wild }), { targetId: 'y', inputIds: ['y'], horizon: 1, history: 2 });
    // Mean and std of the first 12 values (1,2,3,4 three times): mean 2.5, population std √1.25.
    expect(w2.layout.norm.mean[0]).toBeCloseTo(2.5, 6);
    expect(w2.layout.norm.std[0]).toBeCloseTo(Math.sqrt(1.25), 6);
    expect(w2.layout.norm.targetMean).toBeCloseTo(2.5, 6);
    expect(w2.layout.norm).toEqual(w1.layout.norm);
    expect(w2.train.x).toEqual(w1.train.x);
    expect(w2.train.y).toEqual(w1.train.y);
  });

  it('maps a feature constant on the training range to 0, not to ±Infinity', () => {
    const w = makeWindows(frameFromColumns({ c: index.map((i) => (i < 12 ? 3 : 5)), y: index }), { targetId: 'y', inputIds: ['c'], horizon: 1, history: 1 });
    expect(w.layout.norm.std[0]).toBe(1);
    expect(w.train.x.every((v) => v === 0)).toBe(true);
    expect(w.test.x.every((v) => v === 2)).toBe(true);
  });

  it('refuses bad settings', () => {
    expect(() => makeWindows(frame, { targetId: 'a', inputIds: ['a'], horizon: 0, history: 1 })).toThrow();
    expect(() => makeWindows(frame, { targetId: 'a', inputIds: [], horizon: 1, history: 1 })).toThrow();
    expect(() => makeWindows(frame, { targetId: 'zz', inputIds: ['a'], horizon: 1, history: 1 })).toThrow(/zz/);
  });
});
