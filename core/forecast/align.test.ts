import { describe, expect, it } from 'vitest';
import { alignIntervals, forwardFill, intervalOf } from './align.ts';

const S = 1e9;
// Grid: (0.5, 1], (1, 2], (2, 3] seconds.
const grid = { endNs: Float64Array.of(1 * S, 2 * S, 3 * S), lengthNs: Float64Array.of(0.5 * S, 1 * S, 1 * S) };

describe('alignIntervals', () => {
  it('is exact when the source shares the grid ticks', () => {
    const v = alignIntervals(grid, grid.endNs, grid.lengthNs, [0.1, 0.2, 0.3], 'mean');
    expect(Array.from(v)).toEqual([0.1, 0.2, 0.3]);
  });

  it('weights a shifted source by overlap (mean) and prorates counts (rate)', () => {
    // Source intervals (0.5, 1.5] = 10 and (1.5, 2.5] = 20.
    const end = [1.5 * S, 2.5 * S];
    const len = [S, S];
    const mean = alignIntervals(grid, end, len, [10, 20], 'mean');
    expect(Array.from(mean)).toEqual([10, 15, 20]);
    const rate = alignIntervals(grid, end, len, [10, 20], 'rate');
    // (0.5,1]: 5 counts in 0.5 s = 10/s; (1,2]: 5 + 10 in 1 s = 15/s; (2,3]: 10 counts in the 0.5 s covered = 20/s.
    expect(rate[0]).toBeCloseTo(10, 9);
    expect(rate[1]).toBeCloseTo(15, 9);
    expect(rate[2]).toBeCloseTo(20, 9);
  });

  it('leaves uncovered intervals and missing values as NaN', () => {
    const v = alignIntervals(grid, [1 * S, 2 * S], [0.5 * S, S], [Number.NaN, 4], 'mean');
    expect(v[0]).toBeNaN();
    expect(v[1]).toBe(4);
    expect(v[2]).toBeNaN();
  });
});

describe('forwardFill', () => {
  it('carries the last reading forward and back-fills only the leading gap', () => {
    const v = Float64Array.of(Number.NaN, 2, Number.NaN, Number.NaN, 5, Number.NaN);
    expect(forwardFill(v)).toBe(4);
    expect(Array.from(v)).toEqual([2, 2, 2, 2, 5, 5]);
    const none = Float64Array.of(Number.NaN, Number.NaN);
    expect(forwardFill(none)).toBe(0);
  });
});

describe('intervalOf', () => {
  it('finds the (start, end] interval holding a time', () => {
    expect(intervalOf(grid, 0.5 * S)).toBe(-1); // start is exclusive
    expect(intervalOf(grid, 0.7 * S)).toBe(0);
    expect(intervalOf(grid, 1 * S)).toBe(0); // end is inclusive
    expect(intervalOf(grid, 1.0000001 * S)).toBe(1);
    expect(intervalOf(grid, 3 * S)).toBe(2);
    expect(intervalOf(grid, 3.1 * S)).toBe(-1);
  });
});
