import { describe, expect, it } from 'vitest';
import { confusion, GroupedAccumulator, ScoreAccumulator } from './metrics.ts';

describe('ScoreAccumulator', () => {
  it('counts top-1, top-k, the same without idle, and the unknown share', () => {
    const acc = new ScoreAccumulator();
    acc.add(Int32Array.of(1, 2, 3), 1, false, false); // hit, hit
    acc.add(Int32Array.of(2, 1), 1, true, false); // miss, hit; idle
    acc.add(Int32Array.of(0, 3), 1, false, true); // miss, miss; unknown
    acc.add(Int32Array.of(1), 1, true, false); // hit, hit; idle
    acc.add(Int32Array.of(4, 5, 2), 2, false, false); // miss, hit
    expect(acc.result()).toEqual({
      n: 5,
      top1: 2 / 5,
      topk: 4 / 5,
      nExclIdle: 3,
      top1ExclIdle: 1 / 3,
      topkExclIdle: 2 / 3,
      unknownShare: 1 / 5,
      nKnown: 4,
      top1Known: 2 / 4,
      topkKnown: 4 / 4,
    });
  });

  it('reports NaN, not 0, for accuracies over no positions', () => {
    const acc = new ScoreAccumulator();
    const empty = acc.result();
    expect(empty.n).toBe(0);
    expect(empty.top1).toBeNaN();
    acc.add(Int32Array.of(0), 0, true, false);
    const onlyIdle = acc.result();
    expect(onlyIdle.top1).toBe(1);
    expect(onlyIdle.nExclIdle).toBe(0);
    expect(onlyIdle.top1ExclIdle).toBeNaN();
  });
});

describe('GroupedAccumulator', () => {
  it('scores overall, per workload and per role from the same positions', () => {
    const g = new GroupedAccumulator();
    const seenA = { workload: 'a', role: 'test-seen' } as const;
    const unseenB = { workload: 'b', role: 'test-unseen' } as const;
    g.add(seenA, [1], 1, false, false);
    g.add(seenA, [2], 1, false, false);
    g.add(unseenB, [3], 3, false, true);
    const r = g.result();
    expect(r.overall.n).toBe(3);
    expect(r.overall.top1).toBeCloseTo(2 / 3, 12);
    expect(Object.keys(r.byWorkload)).toEqual(['a', 'b']);
    expect(r.byWorkload.a!.top1).toBe(0.5);
    expect(r.byRole['test-seen']!.n).toBe(2);
    expect(r.byRole['test-unseen']!.unknownShare).toBe(1);
    expect(r.byRole.train).toBeUndefined();
  });
});

describe('confusion', () => {
  it('counts true rows against predicted columns for the most common true classes plus the rest', () => {
    const c = confusion([0, 0, 0, 1, 1, 2, 3], [0, 1, 0, 1, 2, 2, 0], 2);
    expect(c.classes).toEqual([0, 1, -1]);
    expect(c.counts).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [1, 0, 1],
    ]);
  });

  it('breaks ties between equally common classes by id and refuses mismatched lengths', () => {
    expect(confusion([3, 2, 2, 3], [3, 3, 2, 2], 1).classes).toEqual([2, -1]);
    expect(() => confusion([1], [], 2)).toThrow(/1 truths but 0 predictions/);
  });
});
