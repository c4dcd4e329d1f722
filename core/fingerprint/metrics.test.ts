import { describe, expect, it } from 'vitest';
import { classScores } from './metrics.ts';
import { leaveOneOut, splitPerClass } from './split.ts';
import { decide, thresholds } from './threshold.ts';

describe('classification scores', () => {
  it('computes accuracy, macro precision / recall / F1 and the confusion matrix by hand', () => {
    const truth = [0, 0, 0, 1, 1, 2];
    const pred = [0, 0, 1, 1, 2, 2];
    const s = classScores(truth, pred, 3);
    expect(s.accuracy).toBeCloseTo(4 / 6, 12);
    expect(s.confusion).toEqual([[2, 1, 0], [0, 1, 1], [0, 0, 1]]);
    // precision: 2/2, 1/2, 1/2; recall: 2/3, 1/2, 1/1
    expect(s.precision).toBeCloseTo((1 + 0.5 + 0.5) / 3, 12);
    expect(s.recall).toBeCloseTo((2 / 3 + 0.5 + 1) / 3, 12);
    const f1 = [0.8, 0.5, 2 / 3];
    expect(s.f1).toBeCloseTo(f1.reduce((a, b) => a + b) / 3, 12);
  });
});

describe('splits', () => {
  it('70/30 per workload: 7 train and 3 test of 10 runs each, deterministic', () => {
    const labels = [...Array(10).fill('a'), ...Array(10).fill('b')] as string[];
    const s = splitPerClass(labels, 0.7, 1);
    expect(s.train.filter((i) => labels[i] === 'a').length).toBe(7);
    expect(s.test.filter((i) => labels[i] === 'b').length).toBe(3);
    expect(splitPerClass(labels, 0.7, 1)).toEqual(s);
    expect(new Set([...s.train, ...s.test]).size).toBe(20);
  });
  it('leave-one-out holds out each run once', () => {
    const f = leaveOneOut(4);
    expect(f.map((x) => x.test[0])).toEqual([0, 1, 2, 3]);
    expect(f[2]!.train).toEqual([0, 1, 3]);
  });
});

describe('thresholds and the known / unknown decision', () => {
  it('mean + k·std of intra-workload distances; a far query is unknown', () => {
    // Points on a line: workload a at 0, 1, 2; b at 10, 12; query 5 and 11.
    const pos = [0, 1, 2, 10, 12, 5, 11];
    const labels = ['a', 'a', 'a', 'b', 'b', '?', '?'];
    const dist = (i: number, j: number) => Math.abs(pos[i]! - pos[j]!);
    const th = thresholds(dist, labels, [0, 1, 2, 3, 4], 1);
    // a: distances 1, 2, 1 → mean 4/3, sample std √(1/3)
    expect(th[0]!.mean).toBeCloseTo(4 / 3, 12);
    expect(th[0]!.std).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(th[1]!.mean).toBe(2);
    expect(th[1]!.std).toBe(0);
    const q = decide(5, dist, labels, [0, 1, 2, 3, 4], th);
    expect(q.nearest).toBe('a');
    expect(q.distance).toBe(4);
    expect(q.known).toBe(false);
    const q2 = decide(6, dist, labels, [0, 1, 2, 3, 4], th);
    expect(q2).toMatchObject({ nearest: 'b', distance: 1, known: true });
  });
});
