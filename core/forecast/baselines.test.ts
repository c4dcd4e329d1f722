import { describe, expect, it } from 'vitest';
import { MovingAverage, Persistence, TrainMean } from './baselines.ts';
import { frameFromColumns } from './series.ts';
import { makeWindows } from './windows.ts';

// A short series whose forecasts are easy to work out by hand.
const y = [1, 3, 2, 6, 4, 8, 5, 9, 7, 10];
// The target need not be an input: the baselines read its history from the examples anyway.
const frame = frameFromColumns({ y, other: y.map((v) => -v) });
const opts = { targetId: 'y', inputIds: ['other'], fractions: { train: 0.5, val: 0.2 } };

describe('baselines', () => {
  it('persistence repeats the last observed value, h intervals back', () => {
    // train [0,5), val [5,7), test [7,10). h = 2, k = 3: test targets 7, 8, 9; last inputs at 5, 6, 7.
    const w = makeWindows(frame, { ...opts, horizon: 2, history: 3 });
    const p = new Persistence();
    p.fit();
    expect(Array.from(w.test.targetIndex)).toEqual([7, 8, 9]);
    expect(Array.from(p.predict(w.test))).toEqual([8, 5, 9]);
    expect(Array.from(w.test.y)).toEqual([9, 7, 10]);
  });

  it('moving average over the last m intervals (default m = history)', () => {
    const w = makeWindows(frame, { ...opts, horizon: 1, history: 3 });
    // Test targets 7, 8, 9; windows (4,5,6) = 4,8,5 / (5,6,7) = 8,5,9 / (6,7,8) = 5,9,7.
    expect(Array.from(new MovingAverage().predict(w.test))).toEqual([17 / 3, 22 / 3, 7].map(Math.fround));
    // m = 2: (8+5)/2, (5+9)/2, (9+7)/2.
    expect(Array.from(new MovingAverage(2).predict(w.test))).toEqual([6.5, 7, 8]);
    // m longer than the history is cut to the history.
    expect(Array.from(new MovingAverage(10).predict(w.test))).toEqual(Array.from(new MovingAverage(3).predict(w.test)));
    // m = 1 is persistence.
    expect(Array.from(new MovingAverage(1).predict(w.test))).toEqual(Array.from(new Persistence().predict(w.test)));
    expect(() => new MovingAverage(0)).toThrow();
  });

  it('the training mean looks only at training targets', () => {
    const w = makeWindows(frame, { ...opts, horizon: 1, history: 2 });
    // Training targets: intervals 2, 3, 4 → 2, 6, 4, mean 4.
    const m = new TrainMean();
    m.fit(w.train);
    expect(Array.from(m.predict(w.test))).toEqual([4, 4, 4]);
  });
});
