import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneHotFloat, trainSkipGramTfjs } from './skipgram-tfjs.ts';
import { groupSimilarity, twoGroupCorpus } from './synthetic-corpus.ts';

const toy = { subsample: 0, epochs: 3, dim: 16, window: 3, seed: 1 };
// Small batches and a brisk Adam: the toy corpus has ~7k pairs an epoch and the cpu backend is slow.
const fast = { batchSize: 256, adamLearningRate: 0.03 };

describe('skip-gram, TensorFlow.js (cpu)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    // The CPU backend's first use prints a banner about tfjs-node (which cannot be installed here): noise.
    const backend = tf.backend() as unknown as { firstUse?: boolean };
    if ('firstUse' in backend) backend.firstUse = false;
  });

  it('puts words that share contexts closer than words that do not', async () => {
    const corpus = twoGroupCorpus(5, 100);
    const r = await trainSkipGramTfjs(corpus, toy, {}, fast);
    const g = groupSimilarity(corpus, r.embedding);
    expect(g.within).toBeGreaterThan(g.cross + 0.3);
    expect(g.worstWithin).toBeGreaterThan(g.bestCross);
    expect(r.epochLoss.at(-1)!).toBeLessThan(r.epochLoss[0]!);
  });

  it('keeps tf.memory().numTensors flat across epochs and frees everything at the end', async () => {
    const before = tf.memory().numTensors;
    const atEpochEnd: number[] = [];
    await trainSkipGramTfjs(twoGroupCorpus(6, 20), { ...toy, epochs: 4 }, {
      onProgress: (p) => {
        if (p.epochDone) atEpochEnd.push(tf.memory().numTensors);
      },
    }, fast);
    expect(atEpochEnd).toHaveLength(4);
    expect(new Set(atEpochEnd).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('skip-gram, TensorFlow.js (wasm)', () => {
  let previous = '';
  beforeAll(async () => {
    previous = tf.getBackend();
    const require = createRequire(import.meta.url);
    setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    expect(await tf.setBackend('wasm')).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend(previous);
  });

  it('makes real one-hot floats (tf.oneHot(…, "float32") on wasm does not)', async () => {
    const oh = oneHotFloat(Int32Array.from([2, 0]), 3);
    expect(await oh.array()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    oh.dispose();
  });

  it('trains there too (no tf.gather gradient needed), the same vectors with either row lookup', async () => {
    const corpus = twoGroupCorpus(5, 100);
    const byGather = await trainSkipGramTfjs(corpus, toy, {}, { ...fast, rowLookup: 'gather' });
    const byOneHot = await trainSkipGramTfjs(corpus, toy, {}, { ...fast, rowLookup: 'one-hot' });
    const g = groupSimilarity(corpus, byGather.embedding);
    expect(g.worstWithin).toBeGreaterThan(g.bestCross);
    let worst = 0;
    byGather.embedding.data.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - byOneHot.embedding.data[i]!))));
    expect(worst).toBeLessThan(1e-4);
    expect(tf.memory().numTensors).toBe(0);
  });
});
