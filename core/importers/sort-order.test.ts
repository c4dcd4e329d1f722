import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timeOrder } from './sort-order.ts';

describe('timeOrder', () => {
  it('is the order a stable sort by time gives, for any times', () => {
    // Few distinct values, so ties are common; runs of any length.
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: -3, max: 5 }), fc.double({ noNaN: true })), { maxLength: 300 }), (ts) => {
        const want = ts.map((_, i) => i).sort((a, b) => ts[a]! - ts[b]! || a - b);
        expect(Array.from(timeOrder(ts, ts.length))).toEqual(want);
      }),
      { numRuns: 2000, seed: 20261204 },
    );
  });
});
