import { Rng } from '../ml/rng.ts';
import { describeModel, initialWeights, type SequenceModelConfig } from '../ml/sequence-config.ts';
import { predictLogits, trainClassifier, type EpochRecord, type WindowSource } from '../ml/train.ts';
import type { WeightData } from '../ml/weights.ts';
import { saveForecaster, type SavedForecaster } from './saved-model.ts';
import type { Examples, Forecaster, WindowLayout } from './types.ts';

export interface NeuralSettings {
  readonly kind: 'lstm' | 'tcn';
  /** LSTM units, or TCN filters (also its embedding width). */
  readonly width: number;
  readonly layers?: number;
  readonly kernel?: number;
  readonly dilations?: readonly number[];
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly patience: number;
}

/**
 * An LSTM or TCN forecaster on the same examples as the classical models: inputs already z-scored on the
 * training range, the target z-scored with the training range's mean and std for learning and mapped back for
 * predictions, early stopping on the validation split.
 */
export class NeuralForecaster implements Forecaster {
  readonly name: string;
  private config: SequenceModelConfig | null = null;
  private weights: WeightData[] | null = null;
  private targetMean = 0;
  private targetStd = 1;
  history: readonly EpochRecord[] = [];
  bestEpoch = 0;
  description = '';
  private layout: WindowLayout | null = null;

  constructor(
    private readonly settings: NeuralSettings,
    private readonly seed: number,
    private readonly signal?: AbortSignal,
  ) {
    this.name = settings.kind === 'lstm' ? 'LSTM' : 'TCN';
  }

  async fit(train: Examples, val?: Examples): Promise<void> {
    const s = this.settings;
    const F = train.layout.features;
    this.config =
      s.kind === 'lstm'
        ? { kind: 'lstm', inputSize: F, embed: s.width, units: s.width, layers: s.layers ?? 1, outputs: 1 }
        : { kind: 'tcn', inputSize: F, embed: s.width, filters: s.width, kernel: s.kernel ?? 3, dilations: s.dilations ?? [1, 2, 4], outputs: 1 };
    this.description = describeModel(this.config);
    this.targetMean = train.layout.norm.targetMean;
    this.targetStd = train.layout.norm.targetStd || 1;
    const rng = new Rng(this.seed);
    const result = await trainClassifier(this.config, initialWeights(this.config, rng.fork()), this.source(train), this.source(val), {
      task: 'regress',
      epochs: s.epochs,
      batchSize: s.batchSize,
      learningRate: s.learningRate,
      patience: s.patience,
      rng: rng.fork(),
      signal: this.signal,
    });
    this.weights = result.weights;
    this.history = result.history;
    this.bestEpoch = result.bestEpoch;
    this.layout = train.layout;
  }

  async predict(set: Examples): Promise<Float32Array> {
    if (!this.config || !this.weights) throw new Error(`${this.name} predicted before it was fitted`);
    const out = await predictLogits(this.config, this.weights, this.source(set), 256, undefined, this.signal);
    for (let i = 0; i < out.length; i++) out[i] = out[i]! * this.targetStd + this.targetMean;
    return out;
  }

  /** The fitted model as a file (see saved-model.ts). */
  save(trainedOn: SavedForecaster['trainedOn'], metrics: SavedForecaster['metrics']): SavedForecaster {
    if (!this.config || !this.weights || !this.layout) throw new Error(`${this.name} saved before it was fitted`);
    return saveForecaster(this.name, this.config, this.weights, this.layout, trainedOn, metrics);
  }

  private source(set: Examples | undefined): WindowSource {
    const k = set?.layout.history ?? 1;
    const F = set?.layout.features ?? 0;
    return {
      count: set?.n ?? 0,
      window: k,
      batch: (indices) => {
        const x = new Float32Array(indices.length * k * F);
        const y = new Float32Array(indices.length);
        for (let b = 0; b < indices.length; b++) {
          const j = indices[b]!;
          x.set(set!.x.subarray(j * k * F, (j + 1) * k * F), b * k * F);
          y[b] = (set!.y[j]! - this.targetMean) / this.targetStd;
        }
        return { x, y };
      },
    };
  }
}
