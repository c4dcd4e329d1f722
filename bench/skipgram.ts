import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { readBundle } from '../core/bundle/index.ts';
import { trainSkipGramTfjs } from '../core/embeddings/skipgram-tfjs.ts';
import { trainSkipGramTyped } from '../core/embeddings/skipgram-typed.ts';
import { zipfCorpus } from '../core/embeddings/synthetic-corpus.ts';
import { syscallCorpus } from '../core/embeddings/syscall-corpus.ts';
import { NODE_BACKENDS, useNodeBackend } from '../collector-cli/src/node-backend.ts';
import type { BenchRow } from './report.ts';

// The reference shape (PyTorch does ~716 steps/s of it on this machine, ../shared/platform.md).
const VOCAB = 300;
const DIM = 32;
const NEGATIVES = 5;
const BATCH = 1024;
const WINDOW = 5;
const MODEL = `skip-gram (vocab ${VOCAB}, dim ${DIM}, ${NEGATIVES} negatives)`;
// A token yields 2·E[reduced window] = WINDOW + 1 pairs on average: corpus sizes for a wanted number of steps.
const tokensFor = (steps: number) => Math.ceil((steps * BATCH) / (WINDOW + 1));
// Timed batches per tfjs backend and row lookup: a few seconds each (one-hot on cpu manages ~2 steps/s).
const TFJS_STEPS: Record<string, Record<'gather' | 'one-hot', number>> = { cpu: { gather: 20, 'one-hot': 6 }, wasm: { gather: 400, 'one-hot': 40 } };

const settings = { dim: DIM, negatives: NEGATIVES, window: WINDOW, subsample: 0, epochs: 1, seed: 1 };

function rows(backend: string, pairsPerSecond: number, model = MODEL): BenchRow[] {
  return [
    { suite: 'skipgram', model, backend, metric: 'pairs_per_second', value: pairsPerSecond, unit: 'pairs/s' },
    { suite: 'skipgram', model, backend, metric: `train_steps_per_second_batch${BATCH}`, value: pairsPerSecond / BATCH, unit: 'steps/s' },
  ];
}

/**
 * Skip-gram training speed: the typed-array trainer (one core, word2vec's loop) and the tfjs trainer (batches of
 * 1024 pairs; rows looked up by gatherND/scatterND, backend "tfjs-NAME", and by one-hot matMul, "tfjs-NAME
 * one-hot") on the Node backends, on a Zipf corpus of the reference vocabulary with
 * subsampling off (so every token is trained); plus the typed trainer on messaging.tlab's real syscalls with the
 * default settings. Each figure follows an untimed warm-up run (JIT, kernels).
 */
export async function benchSkipGram(): Promise<BenchRow[]> {
  const out: BenchRow[] = [];

  const warm = zipfCorpus(VOCAB, tokensFor(100), 1);
  const big = zipfCorpus(VOCAB, tokensFor(3000), 2);
  await trainSkipGramTyped(warm, settings);
  const typed = await trainSkipGramTyped(big, settings);
  out.push(...rows('typed-array (1 core)', typed.pairsPerSecond));

  for (const backend of NODE_BACKENDS) {
    await useNodeBackend(backend);
    // 'gather' (gatherND + scatterND gradient) is the trainer's default; 'one-hot' the matMul form for comparison.
    for (const rowLookup of ['gather', 'one-hot'] as const) {
      const steps = TFJS_STEPS[backend]?.[rowLookup] ?? 10;
      await trainSkipGramTfjs(zipfCorpus(VOCAB, tokensFor(3), 3), settings, {}, { batchSize: BATCH, rowLookup });
      const r = await trainSkipGramTfjs(zipfCorpus(VOCAB, tokensFor(steps), 4), settings, {}, { batchSize: BATCH, rowLookup });
      out.push(...rows(rowLookup === 'gather' ? `tfjs-${backend}` : `tfjs-${backend} one-hot`, r.pairsPerSecond));
      if (tf.memory().numTensors > 0) throw new Error(`skip-gram bench leaked ${tf.memory().numTensors} tensors on ${backend}`);
    }
  }

  const path = new URL('../public/datasets/messaging.tlab', import.meta.url);
  const read = await readBundle(new Uint8Array(readFileSync(path)));
  if (!read.ok) throw new Error(`messaging.tlab: ${read.error.kind}`);
  const corpus = syscallCorpus(read.bundle);
  // Default settings (subsampling 1e-3 keeps ~5% of the reads and writes), enough epochs for a second of work.
  const real = { dim: DIM, negatives: NEGATIVES, window: WINDOW, epochs: 40, seed: 1 };
  await trainSkipGramTyped(corpus, { ...real, epochs: 2 });
  const r = await trainSkipGramTyped(corpus, real);
  const model = `skip-gram (messaging.tlab syscalls: vocab ${corpus.vocab.tokens.length}, ${corpus.sequences.threads.length} threads, dim ${DIM}, ${NEGATIVES} negatives, subsample 1e-3)`;
  out.push({ suite: 'skipgram', model, backend: 'typed-array (1 core)', metric: 'pairs_per_second', value: r.pairsPerSecond, unit: 'pairs/s' });
  return out;
}
