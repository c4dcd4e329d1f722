import { describe, expect, it } from 'vitest';
import { lttb } from './lttb.ts';

describe('lttb', () => {
  it('returns short series unchanged, minus gaps', () => {
    const r = lttb([0, 1, 2, 3], [5, Number.NaN, 7, 8], 10);
    expect(Array.from(r.x)).toEqual([0, 2, 3]);
    expect(Array.from(r.y)).toEqual([5, 7, 8]);
  });

  it('keeps the ends and the spike of a flat series', () => {
    const n = 10_000;
    const x = Array.from({ length: n }, (_, i) => i);
    const y = x.map((i) => (i === 6543 ? 100 : 0));
    const r = lttb(x, y, 100);
    expect(r.x.length).toBe(100);
    expect(r.x[0]).toBe(0);
    expect(r.x[99]).toBe(n - 1);
    expect(Array.from(r.y)).toContain(100);
    expect(Array.from(r.x)).toContain(6543);
  });

  it('matches a hand-worked example', () => {
    // 5 points into 3: buckets are {1,2,3} with the last point as the next average.
    // From (0,0), triangle areas against (4,0) are |0-4|*|y| -> largest |y| wins: point 2 (y=-5).
    const r = lttb([0, 1, 2, 3, 4], [0, 1, -5, 2, 0], 3);
    expect(Array.from(r.x)).toEqual([0, 2, 4]);
    expect(Array.from(r.y)).toEqual([0, -5, 0]);
  });

  it('keeps x sorted', () => {
    const x = Array.from({ length: 5000 }, (_, i) => i * 0.1);
    const y = x.map((v) => Math.sin(v) + Math.sin(v * 7.3));
    const r = lttb(x, y, 500);
    for (let i = 1; i < r.x.length; i++) expect(r.x[i]!).toBeGreaterThan(r.x[i - 1]!);
  });
});
