import { MovingAverage, Persistence, TrainMean } from './baselines.ts';
import { mae, rmse, withSkill } from './metrics.ts';
import { NeuralForecaster, type NeuralSettings } from './neural.ts';
import type { SavedForecaster } from './saved-model.ts';
import { RandomForest, type ForestSettings } from './random-forest.ts';
import { Ridge, type RidgeSettings } from './ridge.ts';
import type { SeriesFrame } from './series.ts';
import type { Examples, ForecastRow, Forecaster } from './types.ts';
import { makeWindows, type SplitFractions, type WindowSets } from './windows.ts';

/**
 * The error map for the classical forecasters: every (horizon, history) cell gets its own windows (same splits,
 * same test targets, normaliser fitted on the training range) and every model is fitted on the cell's training
 * examples and scored on its validation and test examples. The LSTM and TCN rows are added by the runner through
 * `evaluateForecaster` and the same `ForecastRow`.
 */

export type ClassicalModel = 'persistence' | 'moving-average' | 'mean' | 'ridge' | 'random-forest';
export type NeuralModel = 'lstm' | 'tcn';
export type ForecastModel = ClassicalModel | NeuralModel;

/** Defaults for the neural forecasters: small, because the demo bundles hold tens to hundreds of intervals. */
export const NEURAL_DEFAULTS: Record<NeuralModel, NeuralSettings> = {
  lstm: { kind: 'lstm', width: 32, layers: 1, epochs: 60, batchSize: 32, learningRate: 0.005, patience: 8 },
  tcn: { kind: 'tcn', width: 32, kernel: 2, dilations: [1, 2, 4], epochs: 60, batchSize: 32, learningRate: 0.005, patience: 8 },
};

export const CLASSICAL_MODELS: readonly ClassicalModel[] = ['persistence', 'moving-average', 'ridge', 'random-forest'];

export interface GridSpec {
  readonly targetId: string;
  readonly inputIds: readonly string[];
  /** Label of the input set in the rows (e.g. "usage+syscalls"); default: the ids joined, or their count. */
  readonly inputsLabel?: string;
  readonly horizons: readonly number[];
  readonly histories: readonly number[];
  /** Default: persistence, moving average, ridge, random forest. */
  readonly models?: readonly ForecastModel[];
  /** Settings of the LSTM and TCN, over NEURAL_DEFAULTS. */
  readonly neural?: { readonly lstm?: Partial<NeuralSettings>; readonly tcn?: Partial<NeuralSettings> };
  readonly fractions?: SplitFractions;
  readonly inputsFrom?: 'earlier-splits' | 'own-split';
  /** Seeds every random choice (the forest's bootstrap and feature draws), per cell. Default 1. */
  readonly seed?: number;
  /** Moving average window m (default: the history length). */
  readonly movingAverageWindow?: number;
  readonly ridge?: RidgeSettings;
  readonly forest?: Omit<ForestSettings, 'seed'>;
  /** Fitted models (mean, ridge, forest) need at least this many training examples; default 5. */
  readonly minTrain?: number;
  /** Named in saved models' "trained on". */
  readonly bundleLabel?: string;
  /** Keep every model's test predictions of this cell (for an actual-versus-predicted chart), and the neural models themselves. */
  readonly keepPredictions?: { readonly horizon: number; readonly history: number };
}

export interface CellPredictions {
  readonly horizon: number;
  readonly history: number;
  /** Frame rows of the test targets, and their values. */
  readonly targetIndex: Int32Array;
  readonly actual: Float32Array;
  readonly models: readonly { readonly model: string; readonly predicted: Float32Array; readonly saved?: SavedForecaster }[];
}

export interface GridProgress {
  /** Models evaluated so far, out of `total` (cells × models). */
  readonly done: number;
  readonly total: number;
  readonly model: string;
  readonly horizon: number;
  readonly history: number;
}

export interface GridOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: GridProgress) => void;
}

export interface SkippedCell {
  readonly model: string;
  readonly horizon: number;
  readonly history: number;
  readonly reason: string;
}

export interface GridResult {
  /** One row per model, horizon and history, with skill against persistence where persistence ran. */
  readonly rows: ForecastRow[];
  readonly skipped: SkippedCell[];
  readonly predictions?: CellPredictions;
}

/** A fresh forecaster; `seed` reaches the models that draw random numbers. */
export function makeForecaster(model: ForecastModel, spec: Pick<GridSpec, 'movingAverageWindow' | 'ridge' | 'forest' | 'neural'>, seed: number, signal?: AbortSignal): Forecaster {
  if (model === 'lstm' || model === 'tcn') return new NeuralForecaster({ ...NEURAL_DEFAULTS[model], ...spec.neural?.[model], kind: model }, seed, signal);
  return makeClassical(model, spec, seed);
}

/** A fresh classical forecaster; `seed` reaches the models that draw random numbers. */
export function makeClassical(model: ClassicalModel, spec: Pick<GridSpec, 'movingAverageWindow' | 'ridge' | 'forest'>, seed: number): Forecaster {
  switch (model) {
    case 'persistence':
      return new Persistence();
    case 'moving-average':
      return new MovingAverage(spec.movingAverageWindow);
    case 'mean':
      return new TrainMean();
    case 'ridge':
      return new Ridge(spec.ridge);
    case 'random-forest':
      return new RandomForest({ ...spec.forest, seed });
  }
}

export interface Evaluation {
  readonly row: ForecastRow;
  readonly valPred: Float32Array;
  readonly testPred: Float32Array;
}

/** Fits a forecaster on a cell's training examples and scores it on validation and test. */
export async function evaluateForecaster(f: Forecaster, sets: WindowSets, inputs: string): Promise<Evaluation> {
  await f.fit(sets.train, sets.val);
  const valPred = await f.predict(sets.val);
  const testPred = await f.predict(sets.test);
  const trained = f instanceof NeuralForecaster ? { training: { history: f.history.map((e) => ({ epoch: e.epoch, trainLoss: e.trainLoss, valLoss: e.valLoss })), bestEpoch: f.bestEpoch } } : {};
  const row: ForecastRow = {
    ...trained,
    model: f.name,
    horizon: sets.layout.horizon,
    history: sets.layout.history,
    inputs,
    rmse: rmse(testPred, sets.test.y),
    mae: mae(testPred, sets.test.y),
    valRmse: rmse(valPred, sets.val.y),
    n: sets.test.n,
  };
  return { row, valPred, testPred };
}

/** Runs every classical model on every (horizon, history) cell. Rejects with an AbortError when cancelled. */
export async function runGrid(frame: SeriesFrame, spec: GridSpec, options: GridOptions = {}): Promise<GridResult> {
  const models = spec.models ?? CLASSICAL_MODELS;
  const inputs = spec.inputsLabel ?? (spec.inputIds.length <= 3 ? spec.inputIds.join('+') : `${spec.inputIds.length} series`);
  const minTrain = spec.minTrain ?? 5;
  const total = spec.horizons.length * spec.histories.length * models.length;
  const rows: ForecastRow[] = [];
  const skipped: SkippedCell[] = [];
  let done = 0;
  const keep = spec.keepPredictions;
  let kept: CellPredictions | undefined;
  for (const horizon of spec.horizons) {
    for (const history of spec.histories) {
      options.signal?.throwIfAborted();
      const sets = makeWindows(frame, {
        targetId: spec.targetId,
        inputIds: spec.inputIds,
        horizon,
        history,
        ...(spec.fractions ? { fractions: spec.fractions } : {}),
        ...(spec.inputsFrom ? { inputsFrom: spec.inputsFrom } : {}),
      });
      for (const model of models) {
        options.signal?.throwIfAborted();
        const reason = cannotRun(model, sets.train, sets.test, minTrain);
        if (reason) skipped.push({ model, horizon, history, reason });
        else {
          const f = makeForecaster(model, spec, cellSeed(spec.seed ?? 1, horizon, history), options.signal);
          const e = await evaluateForecaster(f, sets, inputs);
          rows.push(e.row);
          if (keep && keep.horizon === horizon && keep.history === history) {
            kept ??= { horizon, history, targetIndex: sets.test.targetIndex, actual: sets.test.y, models: [] };
            const saved = f instanceof NeuralForecaster ? f.save({ bundle: spec.bundleLabel ?? '', inputs, intervals: frame.tNs.length }, { rmse: e.row.rmse, mae: e.row.mae, valRmse: e.row.valRmse }) : undefined;
            (kept.models as { model: string; predicted: Float32Array; saved?: SavedForecaster }[]).push({ model: f.name, predicted: e.testPred, ...(saved ? { saved } : {}) });
          }
        }
        done++;
        options.onProgress?.({ done, total, model, horizon, history });
        // Let a worker see a cancel message between models (a macrotask, not just a microtask).
        await new Promise<void>((r) => setTimeout(r, 0));
      }
    }
  }
  return { rows: withSkill(rows), skipped, ...(kept ? { predictions: kept } : {}) };
}

function cannotRun(model: ForecastModel, train: Examples, test: Examples, minTrain: number): string | null {
  if (test.n === 0) return 'no test examples (the series is too short for this horizon and history)';
  const fitted = model !== 'persistence' && model !== 'moving-average';
  if (fitted && train.n < minTrain) return `${train.n} training examples, fewer than ${minTrain}`;
  return null;
}

/** A seed per cell from the grid's seed, so a cell's forest does not depend on which cells ran before it. */
export function cellSeed(seed: number, horizon: number, history: number): number {
  let h = Math.imul(seed | 0, 0x85ebca6b) ^ Math.imul(horizon, 0xc2b2ae35) ^ Math.imul(history, 0x27d4eb2f);
  h ^= h >>> 16;
  return h | 0;
}
