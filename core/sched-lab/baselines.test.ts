import { describe, expect, it } from 'vitest';
import { createBaseline, createBaselines, frequencyOrder, BASELINE_NAMES } from './baselines.ts';
import { handSequence } from './hand-sequence.ts';

const N = 4;
// Target frequencies: 0 ×2, 1 ×3, 2 ×2, 3 ×2 → order [1, 0, 2, 3].
// Followers of the last target: 0 → {1: 2}; 1 → {2: 2, 3: 1}; 2 → {0: 1, 3: 1}; 3 → {1: 1}.
// Of the last two: (0,1) → {2: 2}; (1,2) → {0: 1, 3: 1}; (2,0) → {1}; (2,3) → {1}; (3,1) → {3}.
// Of the last three: (0,1,2) → {0, 3}; (1,2,0) → {1}; (2,0,1) → {2}; (1,2,3) → {1}; (2,3,1) → {3}.
const train = handSequence([0, 1, 2, 0, 1, 2, 3, 1, 3, -1]);
const fitted = (name: (typeof BASELINE_NAMES)[number]) => {
  const b = createBaseline(name);
  b.fit([train], N);
  return b;
};
const rank = (name: (typeof BASELINE_NAMES)[number], targets: number[], p: number, k = N) =>
  Array.from(fitted(name).rank(handSequence(targets, { role: 'test-seen' }), p, k));

describe('frequency and history baselines', () => {
  it('most-frequent ranks by training target count, ties by id, unseen classes last', () => {
    expect(Array.from(frequencyOrder([train], 6))).toEqual([1, 0, 2, 3, 4, 5]);
    expect(rank('most-frequent', [3, 3, 3, -1], 2)).toEqual([1, 0, 2, 3]);
    expect(rank('most-frequent', [3, 3, 3, -1], 2, 2)).toEqual([1, 0]);
  });

  it('repeat-last predicts the previous target, then frequency, without repeating it', () => {
    expect(rank('repeat-last', [2, 0, 3, -1], 1)).toEqual([2, 1, 0, 3]);
    expect(rank('repeat-last', [2, 0, 3, -1], 2)).toEqual([0, 1, 2, 3]);
    expect(rank('repeat-last', [2, 0, 3, -1], 0)).toEqual([1, 0, 2, 3]);
  });

  it('ping-pong predicts the target two switches back', () => {
    expect(rank('ping-pong', [3, 0, 1, -1], 2, 2)).toEqual([3, 1]);
    expect(rank('ping-pong', [2, 0, 1, -1], 2)).toEqual([2, 1, 0, 3]);
    expect(rank('ping-pong', [3, 0, 1, -1], 1)).toEqual([1, 0, 2, 3]);
  });
});

describe('n-gram baselines', () => {
  it('order 1 ranks the followers of the last target by count, ties by id, then frequency', () => {
    expect(rank('ngram-1', [3, 1, 0, -1], 2)).toEqual([2, 3, 1, 0]);
    expect(rank('ngram-1', [3, 2, 0, -1], 2)).toEqual([0, 3, 1, 2]);
  });

  it('order 2 uses the last two targets and backs off to order 1 for what they do not rank', () => {
    expect(rank('ngram-2', [3, 1, 0, -1], 2)).toEqual([3, 2, 1, 0]);
    expect(rank('ngram-2', [3, 1, 0, -1], 2, 2)).toEqual([3, 2]);
    // (1, 1) never occurred: order 1 after 1 → [2, 3], then frequency.
    expect(rank('ngram-2', [1, 1, 0, -1], 2)).toEqual([2, 3, 1, 0]);
  });

  it('order 3 backs off through 2 and 1; near the start it uses the context it has', () => {
    expect(rank('ngram-3', [2, 0, 1, 0, -1], 3)).toEqual([2, 3, 1, 0]);
    expect(rank('ngram-3', [3, 1, 2, 0, -1], 3)).toEqual([0, 3, 1, 2]);
    expect(rank('ngram-3', [3, 0, -1], 1)).toEqual([1, 0, 2, 3]);
    expect(rank('ngram-3', [3, 0, -1], 0)).toEqual([1, 0, 2, 3]);
  });

  it('never crosses from one training sequence into the next', () => {
    const b = createBaseline('ngram-1');
    // Inside sequences 0 is followed by 1 once; joined end to start it would be followed by 3 twice.
    b.fit([handSequence([2, 0, -1]), handSequence([3, 0, -1]), handSequence([3, 0, 1, -1])], N);
    expect(Array.from(b.rank(handSequence([0, 0, -1]), 1, 1))).toEqual([1]);
  });
});

describe('every baseline', () => {
  it('returns k distinct classes in range and refuses test data for fitting', () => {
    const test = handSequence([0, 3, 2, 1, 1, 0, -1], { role: 'test-unseen' });
    for (const b of createBaselines()) {
      expect(() => b.fit([test], N)).toThrow(/training traces only/);
      b.fit([train], N);
      for (let p = 0; p < test.length - 1; p++) {
        for (const k of [1, 3, 4, 9]) {
          const r = Array.from(b.rank(test, p, k));
          expect(r).toHaveLength(Math.min(k, N));
          expect(new Set(r).size).toBe(r.length);
          expect(r.every((c) => c >= 0 && c < N)).toBe(true);
        }
      }
    }
    expect(createBaselines().map((b) => b.name)).toEqual([...BASELINE_NAMES]);
  });
});
