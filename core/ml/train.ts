import * as tf from '@tensorflow/tfjs';
import type { Rng } from './rng.ts';
import { classifierLoss, forward, regressionLoss, type SequenceModelConfig } from './sequence-model.ts';
import { ParamSet, type WeightData } from './weights.ts';

/** Windows a training loop can ask for by index; the batch builder owns the feature layout. */
export interface WindowSource {
  readonly count: number;
  /**
   * x is [indices.length, window, inputSize] row-major; y the class after each window, or with `allSteps` the
   * class after every step ([indices.length, window], -1 where there is none: left out of the loss).
   */
  batch(indices: ArrayLike<number>, allSteps?: boolean): { x: Float32Array; y: Int32Array | Float32Array };
  readonly window: number;
}

export interface TrainOptions {
  /** Classes (softmax cross-entropy; y holds class ids) or one value (mean squared error; y holds targets). */
  readonly task?: 'classify' | 'regress';
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Stop after this many epochs without a better validation loss, and keep the best epoch's weights. */
  readonly patience: number;
  /** Train on the prediction after every step of a window, not only the last (validation still scores the last). */
  readonly allSteps?: boolean;
  readonly rng: Rng;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: TrainProgress) => void;
}

export interface TrainProgress {
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batches: number;
  readonly trainLoss: number;
  /** Set at the end of an epoch. */
  readonly epochDone?: EpochRecord;
}

export interface EpochRecord {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly valLoss: number;
  /** Classification only (NaN when regressing). */
  readonly valTop1: number;
  readonly ms: number;
}

export interface TrainResult {
  readonly weights: WeightData[];
  readonly history: EpochRecord[];
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
  readonly steps: number;
  readonly trainMs: number;
}

export class CancelledError extends Error {
  constructor() {
    super('training was cancelled');
  }
}

// A macrotask now and then lets a worker receive "cancel" (and the page paint progress) during a long epoch.
const YIELD_EVERY_MS = 100;
const yieldToEvents = () => new Promise<void>((r) => setTimeout(r, 0));

/**
 * Adam on mean softmax cross-entropy of the last step's class. Validation loss picks the epoch to keep (never the
 * test data). Every step runs in tf.tidy, so tf.memory() stays flat across epochs.
 */
export async function trainClassifier(
  config: SequenceModelConfig,
  initial: readonly WeightData[],
  train: WindowSource,
  validation: WindowSource,
  o: TrainOptions,
): Promise<TrainResult> {
  if (train.count === 0) throw new Error('no training windows: the training traces are shorter than one window');
  const params = new ParamSet(initial);
  const optimizer = tf.train.adam(o.learningRate);
  const vars = params.list();
  const history: EpochRecord[] = [];
  let best = { loss: Infinity, epoch: -1, weights: await params.read() };
  let since = 0;
  let steps = 0;
  let lastYield = performance.now();
  const start = performance.now();
  const order = Int32Array.from({ length: train.count }, (_, i) => i);
  const batches = Math.ceil(train.count / o.batchSize);
  try {
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      const t0 = performance.now();
      o.rng.shuffle(order);
      let lossSum = 0;
      for (let b = 0; b < batches; b++) {
        if (o.signal?.aborted) throw new CancelledError();
        const idx = order.subarray(b * o.batchSize, Math.min((b + 1) * o.batchSize, train.count));
        const allSteps = o.allSteps ?? false;
        const { x, y } = train.batch(idx, allSteps);
        const data = { x, batch: idx.length, time: train.window };
        const regress = o.task === 'regress';
        const cost = tf.tidy(
          () =>
            optimizer.minimize(
              () => (regress ? regressionLoss(config, params, data, y as Float32Array) : classifierLoss(config, params, data, y as Int32Array, allSteps)),
              true,
              vars,
            )!,
        );
        const loss = (await cost.data())[0]!;
        cost.dispose();
        if (!Number.isFinite(loss)) throw new Error(`training diverged at epoch ${epoch}, batch ${b + 1} (loss ${loss}); lower the learning rate`);
        lossSum += loss * idx.length;
        steps++;
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
          o.onProgress?.({ epoch, epochs: o.epochs, batch: b + 1, batches, trainLoss: lossSum / Math.min((b + 1) * o.batchSize, train.count) });
          await yieldToEvents();
          lastYield = performance.now();
        }
      }
      const val = await evaluateLoss(config, params, validation, o.batchSize, o.task ?? 'classify');
      const record: EpochRecord = { epoch, trainLoss: lossSum / train.count, valLoss: val.loss, valTop1: val.top1, ms: performance.now() - t0 };
      history.push(record);
      o.onProgress?.({ epoch, epochs: o.epochs, batch: batches, batches, trainLoss: record.trainLoss, epochDone: record });
      // Without validation windows the last epoch is kept.
      const score = validation.count > 0 ? val.loss : -epoch;
      if (score < best.loss) {
        best = { loss: score, epoch, weights: await params.read() };
        since = 0;
      } else if (++since >= o.patience) {
        return { weights: best.weights, history, bestEpoch: best.epoch, stoppedEarly: epoch < o.epochs, steps, trainMs: performance.now() - start };
      }
    }
    return { weights: best.weights, history, bestEpoch: best.epoch, stoppedEarly: false, steps, trainMs: performance.now() - start };
  } finally {
    optimizer.dispose();
    params.dispose();
  }
}

async function evaluateLoss(config: SequenceModelConfig, params: ParamSet, source: WindowSource, batchSize: number, task: 'classify' | 'regress'): Promise<{ loss: number; top1: number }> {
  if (source.count === 0) return { loss: Number.NaN, top1: Number.NaN };
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < source.count; start += batchSize) {
    const idx = Int32Array.from({ length: Math.min(batchSize, source.count - start) }, (_, i) => start + i);
    const { x, y } = source.batch(idx);
    const [l, hits] = tf.tidy(() => {
      const data = { x, batch: idx.length, time: source.window };
      if (task === 'regress') return [regressionLoss(config, params, data, y as Float32Array).mul(idx.length), tf.scalar(Number.NaN)];
      const logits = forward(config, params, data);
      const yt = tf.tensor1d(y as Int32Array, 'int32');
      const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(yt, config.outputs), logits).mul(idx.length);
      return [loss, logits.argMax(1).equal(yt).sum()];
    });
    lossSum += (await l.data())[0]!;
    correct += (await hits.data())[0]!;
    tf.dispose([l, hits]);
  }
  return { loss: lossSum / source.count, top1: correct / source.count };
}

/** Logits [n, outputs] for windows, in batches; weights are loaded once. */
export async function predictLogits(
  config: SequenceModelConfig,
  weights: readonly WeightData[],
  source: WindowSource,
  batchSize: number,
  onProgress?: (done: number) => void,
  signal?: AbortSignal,
): Promise<Float32Array> {
  const params = new ParamSet(weights);
  const out = new Float32Array(source.count * config.outputs);
  let lastYield = performance.now();
  try {
    for (let start = 0; start < source.count; start += batchSize) {
      if (signal?.aborted) throw new CancelledError();
      const idx = Int32Array.from({ length: Math.min(batchSize, source.count - start) }, (_, i) => start + i);
      const { x } = source.batch(idx);
      const logits = tf.tidy(() => forward(config, params, { x, batch: idx.length, time: source.window }));
      out.set((await logits.data()) as Float32Array, start * config.outputs);
      logits.dispose();
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        onProgress?.(start + idx.length);
        await yieldToEvents();
        lastYield = performance.now();
      }
    }
    return out;
  } finally {
    params.dispose();
  }
}

/** The k best classes of each row of logits, best first. */
export function topK(logits: Float32Array, outputs: number, row: number, k: number): Int32Array {
  const kk = Math.min(k, outputs);
  const best = new Int32Array(kk).fill(-1);
  const base = row * outputs;
  for (let c = 0; c < outputs; c++) {
    const v = logits[base + c]!;
    let pos = kk;
    while (pos > 0 && (best[pos - 1]! < 0 || v > logits[base + best[pos - 1]!]!)) pos--;
    if (pos < kk) {
      best.copyWithin(pos + 1, pos, kk - 1);
      best[pos] = c;
    }
  }
  return best;
}
