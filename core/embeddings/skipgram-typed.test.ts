import { describe, expect, it } from 'vitest';
import { SkipGramCancelledError, resolveSkipGramSettings, type SkipGramProgress } from './skipgram-settings.ts';
import { trainSkipGramTyped } from './skipgram-typed.ts';
import { groupSimilarity, twoGroupCorpus, zipfCorpus } from './synthetic-corpus.ts';

describe('skip-gram, typed arrays', () => {
  it('puts words that share contexts closer than words that do not', async () => {
    const corpus = twoGroupCorpus(5);
    const r = await trainSkipGramTyped(corpus, { subsample: 0, epochs: 5, dim: 16, window: 3, seed: 1 });
    const g = groupSimilarity(corpus, r.embedding);
    expect(g.within).toBeGreaterThan(g.cross + 0.3);
    // Every same-group pair beats every cross-group pair.
    expect(g.worstWithin).toBeGreaterThan(g.bestCross);
    expect(r.epochLoss.at(-1)!).toBeLessThan(r.epochLoss[0]! + 0.1);
    expect(r.embedding.rows).toBe(10);
    expect(r.embedding.dim).toBe(16);
  });

  it('gives bit-identical vectors for the same seed, different ones for another', async () => {
    const corpus = zipfCorpus(50, 20_000, 2, 500);
    const a = await trainSkipGramTyped(corpus, { seed: 7, epochs: 2 });
    const b = await trainSkipGramTyped(corpus, { seed: 7, epochs: 2 });
    const c = await trainSkipGramTyped(corpus, { seed: 8, epochs: 2 });
    expect(Buffer.from(a.embedding.data.buffer).equals(Buffer.from(b.embedding.data.buffer))).toBe(true);
    expect(Buffer.from(a.output.data.buffer).equals(Buffer.from(b.output.data.buffer))).toBe(true);
    expect(a.pairs).toBe(b.pairs);
    expect(Buffer.from(a.embedding.data.buffer).equals(Buffer.from(c.embedding.data.buffer))).toBe(false);
  });

  it('reports progress up to 1 and stops when cancelled', async () => {
    const corpus = zipfCorpus(100, 150_000, 3);
    const seen: SkipGramProgress[] = [];
    await trainSkipGramTyped(corpus, { epochs: 2, subsample: 0 }, { onProgress: (p) => seen.push(p) });
    expect(seen.at(-1)!.fraction).toBe(1);
    expect(seen.filter((p) => p.epochDone).map((p) => p.epoch)).toEqual([0, 1]);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.fraction).toBeGreaterThanOrEqual(seen[i - 1]!.fraction);
    expect(seen.at(-1)!.pairsPerSecond).toBeGreaterThan(0);

    const ctrl = new AbortController();
    let reports = 0;
    const run = trainSkipGramTyped(corpus, { epochs: 50, subsample: 0 }, {
      signal: ctrl.signal,
      onProgress: () => {
        if (++reports === 2) ctrl.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(SkipGramCancelledError);
  });

  it('refuses bad settings by name', () => {
    expect(() => resolveSkipGramSettings({ window: 0 })).toThrow(/window/);
    expect(() => resolveSkipGramSettings({ dim: 2.5 })).toThrow(/dim/);
    expect(() => resolveSkipGramSettings({ subsample: -1 })).toThrow(/subsample/);
    expect(resolveSkipGramSettings({}).negatives).toBe(5);
  });
});
