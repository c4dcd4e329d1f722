import * as tf from '@tensorflow/tfjs';
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
 * The same skip-gram model (same pairs, same negatives table, same initialisation, same loss) trained with
 * TensorFlow.js on whatever backend is active, so it can be measured against the typed-array loop.
 *
 * tfjs gaps it works around (../shared/platform.md): on WASM there is no gradient through tf.gather (it needs
 * UnsortedSegmentSum), so rows are picked either with gatherND and a hand-written scatterND gradient (default) or
 * with one-hot × matrix; the gradient of tf.logSigmoid throws on an intermediate tensor, so -log σ(x) is written
 * softplus(-x); tf.oneHot(…, 'float32') is wrong on WASM, so one-hots are cast from int32.
 *
 * Measured at the reference shape (vocab 300, dim 32, 1024 pairs, 5 negatives) in Node on a loaded 2-core
 * machine: wasm ~215 steps/s with gatherND/scatterND against ~21 with one-hot matMul (which spends
 * batch·vocab·dim multiply-adds per lookup, forward and backward, on a matrix that is almost all zeros).
 */

export interface TfjsSkipGramOptions {
  /** Pairs per training step (the bench's reference shape is 1024). */
  readonly batchSize?: number;
  /**
   * Adam's learning rate (default 0.01). Not word2vec's plain SGD: that relies on updating one pair at a time;
   * summed over a batch in which a frequent call appears hundreds of times, its step size overshoots (the loss
   * went to infinity within an epoch on a 10-word toy corpus). settings.learningRate is the typed trainer's.
   */
  readonly adamLearningRate?: number;
  /**
   * How rows are looked up. 'gather' (default): gatherND forward with a custom gradient scatterND(ids, dy) (which
   * sums duplicate rows) instead of tf.gather's own gradient, UnsortedSegmentSum, which WASM lacks: O(batch·dim).
   * 'one-hot': oneHot(ids) · W, whose gradient is a dense matMul, O(batch·vocab·dim) (the form
   * ../shared/platform.md measured). Both learn the same vectors from the same seed, to float rounding.
   */
  readonly rowLookup?: 'one-hot' | 'gather';
}

/**
 * One-hot rows as float32. Not tf.oneHot(…, 'float32'): tfjs-wasm 4.22 writes the integer 1 into the float
 * buffer (every "one" reads as 1.4e-45, so nothing trains); int32 then a cast is right on every backend.
 */
export function oneHotFloat(ids: Int32Array, depth: number): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(ids, 'int32'), depth), 'float32') as tf.Tensor2D);
}

/**
 * rows(ids) of w as oneHot(ids) · w, with the weight gradient as an explicit transpose then matMul: tfjs-wasm
 * runs matMul with a transposed left operand in a naive loop instead of XNNPACK (see core/ml/sequence-model.ts).
 * The one-hot operand needs no gradient, so it is closed over rather than passed as an input (customGrad would
 * otherwise have to return a [batch, vocab] zero gradient for it); it must therefore be created outside the
 * function given to optimizer.minimize, whose scope frees its intermediates before the backward pass.
 */
function pickRows(oneHot: tf.Tensor2D, w: tf.Variable): tf.Tensor2D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [wi] = args as [tf.Tensor2D, tf.GradSaveFunc];
    return {
      value: tf.matMul(oneHot, wi),
      gradFunc: (dy) => tf.matMul(oneHot.transpose(), dy as tf.Tensor2D),
    };
  }) as (w: tf.Tensor2D) => tf.Tensor2D;
  return f(w as tf.Tensor2D);
}

/**
 * rows(ids) of w by gatherND, with the weight gradient scatterND(ids, dy) (duplicates summed): no
 * UnsortedSegmentSum needed. `ids` is int32 [n, 1]. gatherND rather than gather: it has no gradient of its own to
 * fall back on, and measured faster than GatherV2 on tfjs-wasm.
 */
function gatherRows(ids: tf.Tensor2D, w: tf.Variable): tf.Tensor2D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [wi] = args as [tf.Tensor2D, tf.GradSaveFunc];
    return {
      value: tf.gatherND(wi, ids) as tf.Tensor2D,
      gradFunc: (dy) => tf.scatterND(ids, dy as tf.Tensor2D, wi.shape),
    };
  }) as (w: tf.Tensor2D) => tf.Tensor2D;
  return f(w as tf.Tensor2D);
}

/**
 * Summed SGNS loss of a batch: Σ_pairs [softplus(-u·v) + Σ_neg mask·softplus(u·n)]. `centers` is the one-hot
 * [B, vocab] of the center ids (or the ids, int32 [B, 1], for the gather form); `targets` likewise [B·(1+K), …] for,
 * per pair, the context then K sampled negatives; mask [B, 1+K] is 0 where a negative equals the context (word2vec skips those); signs [1, 1+K] is
 * +1 then -1s.
 */
export function sgnsBatchLoss(
  inputW: tf.Variable,
  outputW: tf.Variable,
  centers: tf.Tensor2D,
  targets: tf.Tensor2D,
  signs: tf.Tensor2D,
  mask: tf.Tensor2D,
): tf.Scalar {
  const dim = inputW.shape[1]!;
  const batch = centers.shape[0];
  const perPair = targets.shape[0] / batch;
  // One-hot float [n, vocab] operands pick rows by matMul; int32 ids [n, 1] by gatherND/scatterND.
  const rows = (x: tf.Tensor2D, w: tf.Variable) => (x.dtype === 'int32' ? gatherRows(x, w) : pickRows(x, w));
  const u = rows(centers, inputW); // [B, D]
  const t = rows(targets, outputW).reshape([batch, perPair, dim]);
  const scores = tf.sum(tf.mul(t, u.reshape([batch, 1, dim])), 2) as tf.Tensor2D; // [B, 1+K]
  // -log σ(s·x) = softplus(-s·x): s = +1 for the context, -1 for negatives.
  return tf.sum(tf.mul(tf.softplus(tf.neg(tf.mul(signs, scores))), mask));
}

/**
 * Trains skip-gram with tfjs on the active backend. Every step runs in tf.tidy; the only tensors that outlive a
 * step are the two weight variables, the constant sign row and the optimizer's slots (created at the first
 * step), so tf.memory().numTensors stays flat across epochs.
 */
export async function trainSkipGramTfjs(
  corpus: SkipGramCorpus,
  settings: Partial<SkipGramSettings> = {},
  control: TrainControl = {},
  options: TfjsSkipGramOptions = {},
): Promise<SkipGramResult> {
  const s = resolveSkipGramSettings(settings);
  const batch = options.batchSize ?? 1024;
  const counts = corpus.vocab.counts;
  const vocab = counts.length;
  if (vocab < 2) throw new Error('skip-gram with tfjs needs at least 2 tokens (tf.oneHot depth ≥ 2)');
  const rng = new Rng(s.seed);
  // Same initial values and draws as the typed trainer for a seed (word2vec's: input ±0.5/dim, output 0).
  const init = new Float32Array(vocab * s.dim);
  for (let i = 0; i < init.length; i++) init[i] = (rng.next() - 0.5) / s.dim;
  // tf.variable shares its initial value's data: the initial tensors are freed here, the variables keep it.
  const [inputW, outputW] = tf.tidy(() => [tf.variable(tf.tensor2d(init, [vocab, s.dim]), true), tf.variable(tf.zeros([vocab, s.dim]), true)]);
  const table = negativeTable(counts, negativeTableSize(vocab));
  const keep = s.subsample > 0 ? keepProbabilities(counts, s.subsample) : null;
  const stream = new PairStream(corpus.tokenIds, keep, s.window, rng);
  const learningRate = options.adamLearningRate ?? 0.01;
  const optimizer = tf.train.adam(learningRate);

  const gather = (options.rowLookup ?? 'gather') === 'gather';
  const perPair = 1 + s.negatives;
  const centers = new Int32Array(batch);
  const contexts = new Int32Array(batch);
  const targets = new Int32Array(batch * perPair);
  const maskData = new Float32Array(batch * perPair);
  const signRow = new Float32Array(perPair).fill(-1);
  signRow[0] = 1;
  const signs = tf.tensor2d(signRow, [1, perPair]);

  const totalTokens = stream.totalTokens * s.epochs;
  let pairs = 0;
  let busyMs = 0;
  let lastYield = performance.now();
  const epochLoss: number[] = [];
  try {
    for (let epoch = 0; epoch < s.epochs; epoch++) {
      stream.restart();
      let lossSum = 0;
      let lossPairs = 0;
      let t0 = performance.now();
      const report = (epochDone?: boolean) =>
        control.onProgress?.({
          fraction: Math.min(1, (epoch * stream.totalTokens + stream.tokensDone) / Math.max(1, totalTokens)),
          epoch,
          pairs,
          pairsPerSecond: busyMs > 0 ? (pairs * 1000) / busyMs : 0,
          learningRate,
          loss: lossPairs > 0 ? lossSum / lossPairs : Number.NaN,
          ...(epochDone ? { epochDone } : {}),
        });
      for (;;) {
        if (control.signal?.aborted) throw new SkipGramCancelledError();
        const n = stream.fill(centers, contexts);
        if (n === 0) break;
        for (let i = 0; i < n; i++) {
          const ctx = contexts[i]!;
          targets[i * perPair] = ctx;
          maskData[i * perPair] = 1;
          for (let d = 1; d < perPair; d++) {
            const neg = table[(rng.next() * table.length) | 0]!;
            targets[i * perPair + d] = neg;
            maskData[i * perPair + d] = neg === ctx ? 0 : 1;
          }
        }
        const loss = tf.tidy(() => {
          const c = gather ? tf.tensor2d(centers.subarray(0, n), [n, 1], 'int32') : oneHotFloat(centers.subarray(0, n), vocab);
          const t = gather ? tf.tensor2d(targets.subarray(0, n * perPair), [n * perPair, 1], 'int32') : oneHotFloat(targets.subarray(0, n * perPair), vocab);
          const m = tf.tensor2d(maskData.subarray(0, n * perPair), [n, perPair]);
          return optimizer.minimize(() => sgnsBatchLoss(inputW, outputW, c, t, signs as tf.Tensor2D, m), true, [inputW, outputW])!;
        });
        lossSum += (await loss.data())[0]!;
        loss.dispose();
        lossPairs += n;
        pairs += n;
        const now = performance.now();
        if (now - lastYield >= YIELD_EVERY_MS) {
          busyMs += now - t0;
          report();
          await yieldToEvents();
          lastYield = t0 = performance.now();
        }
      }
      busyMs += performance.now() - t0;
      epochLoss.push(lossPairs > 0 ? lossSum / lossPairs : Number.NaN);
      report(true);
    }
    const seconds = busyMs / 1000;
    return {
      embedding: { data: (await inputW.data()) as Float32Array, rows: vocab, dim: s.dim },
      output: { data: (await outputW.data()) as Float32Array, rows: vocab, dim: s.dim },
      pairs,
      seconds,
      pairsPerSecond: seconds > 0 ? pairs / seconds : 0,
      epochLoss,
    };
  } finally {
    inputW.dispose();
    outputW.dispose();
    signs.dispose();
    optimizer.dispose();
  }
}
