import type { KernelName } from '../engine/kernels.ts';
import { Adam } from '../engine/optim.ts';
import { SequenceNet, type StepTask } from '../engine/sequence-net.ts';
import { computeTarget } from './compute-target.ts';
import type { Rng } from './rng.ts';
import type { SequenceModelConfig } from './sequence-config.ts';
import type { WeightData } from './weights.ts';

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
 * One model's training and evaluation on some implementation: the engine's SequenceNet on the CPU, or the tfjs
 * model (train-tfjs.ts) on a GPU backend. The loop below owns everything else, so both see the same batches in the
 * same order from the same seed.
 */
export interface StepRunner {
  /** One optimiser step; the batch's loss before it. */
  step(x: Float32Array, y: Int32Array | Float32Array, batch: number, allSteps: boolean): Promise<number> | number;
  /** Summed loss (batch mean × batch) and correct top-1 count (classification) of the last step's outputs. */
  evaluate(x: Float32Array, y: Int32Array | Float32Array, batch: number): Promise<{ lossSum: number; correct: number }> | { lossSum: number; correct: number };
  weights(): Promise<WeightData[]> | WeightData[];
  dispose(): void;
}

type Task = 'classify' | 'regress';

function engineRunner(config: SequenceModelConfig, initial: readonly WeightData[], window: number, o: TrainOptions, kernel: KernelName): StepRunner {
  const net = new SequenceNet(config, initial, Math.max(1, o.batchSize), window, kernel);
  const adam = new Adam(o.learningRate);
  const taskOf = (y: Int32Array | Float32Array, allSteps: boolean): StepTask =>
    o.task === 'regress' ? { kind: 'regress', y: y as Float32Array } : { kind: allSteps ? 'classify-all' : 'classify', y: y as Int32Array };
  return {
    step: (x, y, batch, allSteps) => net.trainStep(x, batch, taskOf(y, allSteps), adam),
    evaluate(x, y, batch) {
      const r = net.evaluate(x, batch, taskOf(y, false));
      return { lossSum: r.loss * batch, correct: r.correct };
    },
    weights: () => net.weights(),
    dispose: () => undefined,
  };
}

async function runnerFor(config: SequenceModelConfig, initial: readonly WeightData[], window: number, o: TrainOptions): Promise<StepRunner> {
  const t = computeTarget();
  if (t.kind === 'engine') return engineRunner(config, initial, window, o, t.kernel);
  // Loaded only when a GPU backend was chosen, so CPU-only pages and workers never load TensorFlow.js.
  const { tfjsRunner } = await import('./train-tfjs.ts');
  return tfjsRunner(config, initial, o);
}

/**
 * Adam on the task's loss (softmax cross-entropy of the last step's class, of every step's with `allSteps`, or
 * MSE). Validation loss picks the epoch to keep (never the test data).
 */
export async function trainClassifier(
  config: SequenceModelConfig,
  initial: readonly WeightData[],
  train: WindowSource,
  validation: WindowSource,
  o: TrainOptions,
): Promise<TrainResult> {
  if (train.count === 0) throw new Error('no training windows: the training traces are shorter than one window');
  const runner = await runnerFor(config, initial, train.window, o);
  const history: EpochRecord[] = [];
  let best = { loss: Infinity, epoch: -1, weights: await runner.weights() };
  let since = 0;
  let steps = 0;
  let lastYield = performance.now();
  const start = performance.now();
  const order = Int32Array.from({ length: train.count }, (_, i) => i);
  const batches = Math.ceil(train.count / o.batchSize);
  const task: Task = o.task ?? 'classify';
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
        const loss = await runner.step(x, y, idx.length, allSteps);
        if (!Number.isFinite(loss)) throw new Error(`training diverged at epoch ${epoch}, batch ${b + 1} (loss ${loss}); lower the learning rate`);
        lossSum += loss * idx.length;
        steps++;
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
          o.onProgress?.({ epoch, epochs: o.epochs, batch: b + 1, batches, trainLoss: lossSum / Math.min((b + 1) * o.batchSize, train.count) });
          await yieldToEvents();
          lastYield = performance.now();
        }
      }
      const val = await evaluateLoss(runner, validation, o.batchSize, task);
      const record: EpochRecord = { epoch, trainLoss: lossSum / train.count, valLoss: val.loss, valTop1: val.top1, ms: performance.now() - t0 };
      history.push(record);
      o.onProgress?.({ epoch, epochs: o.epochs, batch: batches, batches, trainLoss: record.trainLoss, epochDone: record });
      // Without validation windows the last epoch is kept.
      const score = validation.count > 0 ? val.loss : -epoch;
      if (score < best.loss) {
        best = { loss: score, epoch, weights: await runner.weights() };
        since = 0;
      } else if (++since >= o.patience) {
        return { weights: best.weights, history, bestEpoch: best.epoch, stoppedEarly: epoch < o.epochs, steps, trainMs: performance.now() - start };
      }
    }
    return { weights: best.weights, history, bestEpoch: best.epoch, stoppedEarly: false, steps, trainMs: performance.now() - start };
  } finally {
    runner.dispose();
  }
}

async function evaluateLoss(runner: StepRunner, source: WindowSource, batchSize: number, task: Task): Promise<{ loss: number; top1: number }> {
  if (source.count === 0) return { loss: Number.NaN, top1: Number.NaN };
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < source.count; start += batchSize) {
    const idx = Int32Array.from({ length: Math.min(batchSize, source.count - start) }, (_, i) => start + i);
    const { x, y } = source.batch(idx);
    const r = await runner.evaluate(x, y, idx.length);
    lossSum += r.lossSum;
    correct += r.correct;
  }
  return { loss: lossSum / source.count, top1: task === 'regress' ? Number.NaN : correct / source.count };
}

/** A model's forward pass on windows, on the engine or on tfjs: what predictLogits and saved models run. */
export interface Predictor {
  /** Outputs [batch × outputs] of the last step of each window in x ([batch, window, inputs]). */
  predict(x: Float32Array, batch: number): Promise<Float32Array> | Float32Array;
  dispose(): void;
}

async function predictorFor(config: SequenceModelConfig, weights: readonly WeightData[], maxBatch: number, window: number): Promise<Predictor> {
  const t = computeTarget();
  if (t.kind === 'tfjs') {
    const { tfjsPredictor } = await import('./train-tfjs.ts');
    return tfjsPredictor(config, weights, window);
  }
  const net = new SequenceNet(config, weights, maxBatch, window, t.kernel);
  return { predict: (x, batch) => net.predict(x, batch), dispose: () => undefined };
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
  const out = new Float32Array(source.count * config.outputs);
  if (source.count === 0) return out;
  const model = await predictorFor(config, weights, Math.min(batchSize, source.count), source.window);
  let lastYield = performance.now();
  try {
    for (let start = 0; start < source.count; start += batchSize) {
      if (signal?.aborted) throw new CancelledError();
      const idx = Int32Array.from({ length: Math.min(batchSize, source.count - start) }, (_, i) => start + i);
      const { x } = source.batch(idx);
      out.set(await model.predict(x, idx.length), start * config.outputs);
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        onProgress?.(start + idx.length);
        await yieldToEvents();
        lastYield = performance.now();
      }
    }
    return out;
  } finally {
    model.dispose();
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
