import { Rng } from '../ml/rng.ts';
import { PairStream, keepProbabilities, negativeTable, negativeTableSize } from './skipgram-pairs.ts';
import {
  SkipGramCancelledError,
  YIELD_EVERY_MS,
  resolveSkipGramSettings,
  yieldToEvents,
  type SkipGramCorpus,
  type SkipGramResult,
  type SkipGramSettings,
  type TrainControl,
} from './skipgram-settings.ts';

/**
 * Skip-gram with negative sampling as word2vec.c trains it: plain SGD, one pair at a time, over two embedding
 * matrices in typed arrays. Each pair touches only 1 + negatives rows of `dim` floats, so per pair the work is
 * ~3·dim·(1+negatives) multiply-adds; a batched tensor formulation (one-hot × matrix) instead pays
 * batch × vocab × dim per matrix product, and tfjs lacks the sparse gradient on some backends.
 */

// word2vec.c's sigmoid table: σ on [-6, 6] in 1000 steps; beyond it σ is taken as 0 or 1 (the gradient is cut).
const MAX_EXP = 6;
const EXP_TABLE_SIZE = 1000;
const EXP_SCALE = EXP_TABLE_SIZE / MAX_EXP / 2;
const SIGMOID_TABLE = (() => {
  const t = new Float64Array(EXP_TABLE_SIZE + 1);
  for (let i = 0; i <= EXP_TABLE_SIZE; i++) {
    const e = Math.exp(((i / EXP_TABLE_SIZE) * 2 - 1) * MAX_EXP);
    t[i] = e / (e + 1);
  }
  return t;
})();

// 1 pair in LOSS_SAMPLE gets its loss computed (two logs per row cost as much as the update itself).
const LOSS_SAMPLE = 64;
// Pairs produced per chunk between clock checks: a few ms of work.
const CHUNK_PAIRS = 8192;

const softplus = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));

/**
 * The inner loop: SGD on `n` pairs at learning rate `alpha`. `input`/`output` are row-major [vocab, dim] and are
 * updated in place (Float64Array internally: V8 stores into Float32Array with a rounding step, and the whole
 * model is a few hundred KB). Returns the summed loss of the sampled pairs (pairs 0, 64, 128… of this call:
 * `sampledPairs(n)` of them). A plain number, not fields of an object: a field that starts as the integer 0 and
 * later holds a double changes its representation and throws away the optimised code of this loop.
 */
export function sgnsTrainPairs(
  input: Float64Array,
  output: Float64Array,
  dim: number,
  centers: Int32Array,
  contexts: Int32Array,
  n: number,
  table: Int32Array,
  negatives: number,
  alpha: number,
  rng: Rng,
  scratch: Float64Array,
): number {
  const tableSize = table.length;
  const neu1e = scratch;
  // Rows are walked 4 floats at a time with separate accumulators (then a tail for dim % 4): V8 does not
  // vectorise, and independent chains let the CPU overlap the multiply-adds. Measured ~1.5x the plain loops.
  const dim4 = dim & ~3;
  let lossSum = 0;
  for (let i = 0; i < n; i++) {
    const l1 = centers[i]! * dim;
    const ctx = contexts[i]!;
    const sampleLoss = (i & (LOSS_SAMPLE - 1)) === 0;
    neu1e.fill(0);
    for (let d = 0; d <= negatives; d++) {
      let target: number;
      let label: number;
      if (d === 0) {
        target = ctx;
        label = 1;
      } else {
        target = table[(rng.next() * tableSize) | 0]!;
        // word2vec skips a negative that is the positive itself rather than pushing the pair apart.
        if (target === ctx) continue;
        label = 0;
      }
      const l2 = target * dim;
      let f0 = 0;
      let f1 = 0;
      let f2 = 0;
      let f3 = 0;
      let k = 0;
      for (; k < dim4; k += 4) {
        f0 += input[l1 + k]! * output[l2 + k]!;
        f1 += input[l1 + k + 1]! * output[l2 + k + 1]!;
        f2 += input[l1 + k + 2]! * output[l2 + k + 2]!;
        f3 += input[l1 + k + 3]! * output[l2 + k + 3]!;
      }
      for (; k < dim; k++) f0 += input[l1 + k]! * output[l2 + k]!;
      const f = f0 + f1 + f2 + f3;
      let g: number;
      if (f > MAX_EXP) g = (label - 1) * alpha;
      else if (f < -MAX_EXP) g = label * alpha;
      else g = (label - SIGMOID_TABLE[((f + MAX_EXP) * EXP_SCALE) | 0]!) * alpha;
      if (sampleLoss) lossSum += label === 1 ? softplus(-f) : softplus(f);
      // The input row's gradient uses the output row before this update (neu1e), as word2vec does.
      for (k = 0; k < dim4; k += 4) {
        const a = l2 + k;
        const b = l1 + k;
        const o0 = output[a]!;
        const o1 = output[a + 1]!;
        const o2 = output[a + 2]!;
        const o3 = output[a + 3]!;
        neu1e[k] = neu1e[k]! + g * o0;
        neu1e[k + 1] = neu1e[k + 1]! + g * o1;
        neu1e[k + 2] = neu1e[k + 2]! + g * o2;
        neu1e[k + 3] = neu1e[k + 3]! + g * o3;
        output[a] = o0 + g * input[b]!;
        output[a + 1] = o1 + g * input[b + 1]!;
        output[a + 2] = o2 + g * input[b + 2]!;
        output[a + 3] = o3 + g * input[b + 3]!;
      }
      for (; k < dim; k++) {
        const o = output[l2 + k]!;
        neu1e[k] = neu1e[k]! + g * o;
        output[l2 + k] = o + g * input[l1 + k]!;
      }
    }
    for (let k = 0; k < dim; k++) input[l1 + k] = input[l1 + k]! + neu1e[k]!;
  }
  return lossSum;
}

/** How many of `n` pairs sgnsTrainPairs computes the loss of. */
export const sampledPairs = (n: number): number => Math.ceil(n / LOSS_SAMPLE);

/** word2vec's initialisation: input rows uniform in ±0.5/dim, output rows zero. */
export function initialSkipGramWeights(vocabSize: number, dim: number, rng: Rng): { input: Float64Array; output: Float64Array } {
  const input = new Float64Array(vocabSize * dim);
  for (let i = 0; i < input.length; i++) input[i] = (rng.next() - 0.5) / dim;
  return { input, output: new Float64Array(vocabSize * dim) };
}

/**
 * Trains skip-gram embeddings on a corpus with typed arrays. Deterministic for a seed: the same corpus and
 * settings give bit-identical vectors. Yields to the event loop every ~50 ms so a worker stays responsive;
 * throws SkipGramCancelledError when `signal` aborts.
 */
export async function trainSkipGramTyped(
  corpus: SkipGramCorpus,
  settings: Partial<SkipGramSettings> = {},
  control: TrainControl = {},
): Promise<SkipGramResult> {
  const s = resolveSkipGramSettings(settings);
  const counts = corpus.vocab.counts;
  const vocabSize = counts.length;
  if (vocabSize === 0) throw new Error('skip-gram: the corpus is empty');
  const rng = new Rng(s.seed);
  const { input, output } = initialSkipGramWeights(vocabSize, s.dim, rng);
  const table = negativeTable(counts, negativeTableSize(vocabSize));
  const keep = s.subsample > 0 ? keepProbabilities(counts, s.subsample) : null;
  const stream = new PairStream(corpus.tokenIds, keep, s.window, rng);
  const centers = new Int32Array(CHUNK_PAIRS);
  const contexts = new Int32Array(CHUNK_PAIRS);
  const scratch = new Float64Array(s.dim);
  const totalTokens = stream.totalTokens * s.epochs;
  const minAlpha = s.learningRate * 1e-4;

  let pairs = 0;
  let busyMs = 0;
  let lastYield = performance.now();
  const epochLoss: number[] = [];
  let alpha = s.learningRate;
  let lossSum = 0;
  let lossCount = 0;
  const report = (epoch: number, epochDone?: boolean) => {
    control.onProgress?.({
      fraction: Math.min(1, (epoch * stream.totalTokens + stream.tokensDone) / Math.max(1, totalTokens)),
      epoch,
      pairs,
      pairsPerSecond: busyMs > 0 ? (pairs * 1000) / busyMs : 0,
      learningRate: alpha,
      loss: lossCount > 0 ? lossSum / lossCount : Number.NaN,
      ...(epochDone ? { epochDone } : {}),
    });
  };

  for (let epoch = 0; epoch < s.epochs; epoch++) {
    stream.restart();
    lossSum = 0;
    lossCount = 0;
    let t0 = performance.now();
    for (;;) {
      if (control.signal?.aborted) throw new SkipGramCancelledError();
      // Linear decay by raw tokens consumed, recomputed per chunk (word2vec does it every 10k words).
      const done = epoch * stream.totalTokens + stream.tokensDone;
      alpha = Math.max(minAlpha, s.learningRate * (1 - done / (totalTokens + 1)));
      const n = stream.fill(centers, contexts);
      if (n === 0) break;
      lossSum += sgnsTrainPairs(input, output, s.dim, centers, contexts, n, table, s.negatives, alpha, rng, scratch);
      lossCount += sampledPairs(n);
      pairs += n;
      const now = performance.now();
      if (now - lastYield >= YIELD_EVERY_MS) {
        busyMs += now - t0;
        report(epoch);
        await yieldToEvents();
        lastYield = t0 = performance.now();
      }
    }
    busyMs += performance.now() - t0;
    epochLoss.push(lossCount > 0 ? lossSum / lossCount : Number.NaN);
    report(epoch, true);
  }
  const seconds = busyMs / 1000;
  return {
    embedding: { data: Float32Array.from(input), rows: vocabSize, dim: s.dim },
    output: { data: Float32Array.from(output), rows: vocabSize, dim: s.dim },
    pairs,
    seconds,
    pairsPerSecond: seconds > 0 ? pairs / seconds : 0,
    epochLoss,
  };
}
