import { describe, expect, it } from 'vitest';
import { compareHeadlines, headline } from './headline.ts';

const verified = (mlpTest: number, linearTest: number) => ({
  lab: 'verified',
  scores: [
    { model: 'linear (least squares)', kind: 'baseline', trainAccuracy: 0.4, testAccuracy: linearTest, testRmse: 3481.2, testMae: 2665 },
    { model: 'MLP 8×8 (verified training)', kind: 'mlp', trainAccuracy: 0.25, testAccuracy: mlpTest, testRmse: 2995, testMae: 2489 },
  ],
  figure6: [{ set: 'test', unverified: 0.21, verified: mlpTest, n: 70 }],
});

describe('headline tables and their comparison', () => {
  it('reads the figures of a lab\'s results, NaN (JSON null) where one was not measured', () => {
    const h = headline({ ...verified(0.4, 0.31), figure6: [{ set: 'counterexamples', unverified: null, verified: null, n: 0 }] });
    expect(h.rows.map((r) => [r.key, r.agreement])).toEqual([
      ['linear (least squares)', 'exact'],
      ['MLP 8×8 (verified training)', 'trained'],
      ['Figure 6: counterexamples', 'trained'],
    ]);
    expect(h.rows[2]!.figures.unverified).toBeNaN();
    expect(() => headline({ lab: 'nope' })).toThrow('has no headline table');
    expect(() => headline({ lab: 'verified', scores: 3 })).toThrow('scores is not a list');
  });

  it('judges exact figures always and trained ones only on the same kernels', () => {
    const a = headline(verified(0.4, 0.31));
    expect(compareHeadlines(a, headline(verified(0.4, 0.31)), true).ok).toBe(true);
    const trainedOff = compareHeadlines(a, headline(verified(0.3, 0.31)), true);
    expect(trainedOff.ok).toBe(false);
    expect(trainedOff.differences.filter((d) => d.ok === false).map((d) => d.key)).toEqual(['MLP 8×8 (verified training)', 'Figure 6: test']);
    // Other kernels: the trained drift is listed, not judged; a baseline off by a hair still fails.
    const otherKernels = compareHeadlines(a, headline(verified(0.3, 0.31)), false);
    expect(otherKernels.ok).toBe(true);
    expect(otherKernels.differences.find((d) => d.key === 'Figure 6: test')!.ok).toBeNull();
    expect(compareHeadlines(a, headline(verified(0.4, 0.31 + 1e-6)), false).ok).toBe(false);
  });

  it('names rows only one side has', () => {
    const b = headline({ ...verified(0.4, 0.31), scores: verified(0.4, 0.31).scores.slice(0, 1) });
    const c = compareHeadlines(headline(verified(0.4, 0.31)), b, true);
    expect(c.ok).toBe(false);
    expect(c.missing).toEqual(['MLP 8×8 (verified training)']);
  });
});
