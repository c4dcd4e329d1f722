import { describe, expect, it } from 'vitest';
import {
  bucketTokensByInterval,
  fitIdf,
  intervalCounts,
  intervalVectors,
  meanEmbeddingVectors,
  tfidfVectors,
} from './interval-vectors.ts';
import { corpusFromSequences } from './syscall-corpus.ts';

const embedding = { data: Float32Array.from([1, 0, 0, 1, 2, 2]), rows: 3, dim: 2 };

describe('interval vectors', () => {
  it('counts and averages embeddings per interval; an empty interval is zeros', () => {
    const counts = intervalCounts([[0, 0, 1], [], [2]], 3);
    expect(Array.from(counts.data)).toEqual([2, 1, 0, 0, 0, 0, 0, 0, 1]);
    const mean = meanEmbeddingVectors(counts, embedding);
    expect(mean.width).toBe(2);
    expect(Array.from(mean.data)).toEqual([2 / 3, 1 / 3, 0, 0, 2, 2].map(Math.fround));
    expect(Array.from(intervalVectors(counts, { mode: 'counts' }).data)).toEqual(Array.from(counts.data));
    expect(() => intervalCounts([[3]], 3)).toThrow(/outside the vocabulary/);
  });

  it('fits IDF on the fit range only, so later intervals change nothing', () => {
    // Token 2 never occurs in [0, 2) and is everywhere after: a leak would lower its weight.
    const lists = [[0, 1], [0], [2, 2], [2, 0]];
    const counts = intervalCounts(lists, 3);
    const idf = fitIdf(counts, [0, 2]);
    // smooth IDF: ln((1+n)/(1+df)) + 1, n = 2
    expect(idf[0]).toBeCloseTo(Math.log(3 / 3) + 1, 12);
    expect(idf[1]).toBeCloseTo(Math.log(3 / 2) + 1, 12);
    expect(idf[2]).toBeCloseTo(Math.log(3 / 1) + 1, 12);
    const other = intervalCounts([[0, 1], [0], [1, 1, 1], []], 3);
    expect(Array.from(fitIdf(other, [0, 2]))).toEqual(Array.from(idf));
    const v = intervalVectors(counts, { mode: 'tfidf', fitRange: [0, 2] });
    expect(v.data[0]).toBeCloseTo(0.5 * idf[0]!, 6);
    expect(v.data[3 * 3 + 2]).toBeCloseTo(0.5 * idf[2]!, 6);
    expect(Array.from(tfidfVectors(counts, idf).data)).toEqual(Array.from(v.data));
    expect(() => fitIdf(counts, [2, 2])).toThrow(/not a non-empty range/);
    expect(() => fitIdf(counts, [0, 5])).toThrow(/not a non-empty range/);
  });

  it('buckets a corpus\'s calls by time across threads', () => {
    const corpus = corpusFromSequences({
      names: ['read', 'write'],
      threads: [
        { tid: 1, pid: 1, nameIds: Int32Array.from([0, 0, 1]), tsNs: Float64Array.from([5, 15, 25]), rows: new Int32Array(3) },
        { tid: 2, pid: 1, nameIds: Int32Array.from([1, 1]), tsNs: Float64Array.from([-1, 12]), rows: new Int32Array(2) },
      ],
    });
    const lists = bucketTokensByInterval(corpus, 0, 10, 2).map((l) => Array.from(l).map((t) => corpus.vocab.tokens[t]));
    expect(lists).toEqual([['read'], ['read', 'write']]);
  });
});
