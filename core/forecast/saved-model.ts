import { z } from 'zod';
import type { SequenceModelConfig } from '../ml/sequence-config.ts';
import { predictLogits, type WindowSource } from '../ml/train.ts';
import type { WeightData } from '../ml/weights.ts';
import { parseSpec } from '../specs/parse.ts';
import type { SeriesFrame } from './series.ts';
import type { WindowLayout } from './types.ts';

/**
 * A trained neural forecaster as a file: what it was trained on, its normalisation and its weights, so it can be
 * downloaded, kept in IndexedDB, and applied to another bundle with the same series.
 */
export const SAVED_FORECASTER_FORMAT = 'telemetry-lab/forecaster';
export const SAVED_FORECASTER_VERSION = 1;

const Config = z.union([
  z.object({ kind: z.literal('lstm'), inputSize: z.number().int().positive(), embed: z.number().int().positive(), outputs: z.literal(1), units: z.number().int().positive(), layers: z.number().int().positive() }),
  z.object({
    kind: z.literal('tcn'),
    inputSize: z.number().int().positive(),
    embed: z.number().int().positive(),
    outputs: z.literal(1),
    filters: z.number().int().positive(),
    kernel: z.number().int().positive(),
    dilations: z.array(z.number().int().positive()).min(1),
  }),
]);

export const SavedForecaster = z
  .object({
    format: z.literal(SAVED_FORECASTER_FORMAT),
    version: z.literal(SAVED_FORECASTER_VERSION),
    model: z.string(),
    config: Config,
    weights: z.array(z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()), data: z.array(z.number()) })),
    layout: z.object({
      history: z.number().int().positive(),
      horizon: z.number().int().positive(),
      featureIds: z.array(z.string()).min(1),
      targetId: z.string(),
      mean: z.array(z.number()),
      std: z.array(z.number()),
      targetMean: z.number(),
      targetStd: z.number(),
    }),
    trainedOn: z.object({ bundle: z.string(), inputs: z.string(), intervals: z.number().int() }),
    metrics: z.object({ rmse: z.number(), mae: z.number(), valRmse: z.number() }),
    createdAt: z.string(),
  })
  .superRefine((s, ctx) => {
    if (s.layout.mean.length !== s.layout.featureIds.length || s.layout.std.length !== s.layout.featureIds.length)
      ctx.addIssue({ code: 'custom', path: ['layout'], message: 'mean and std need one value per feature' });
    if (s.config.inputSize !== s.layout.featureIds.length) ctx.addIssue({ code: 'custom', path: ['config', 'inputSize'], message: 'must equal the number of features' });
    s.weights.forEach((w, i) => {
      if (w.data.length !== w.shape.reduce((a, b) => a * b, 1)) ctx.addIssue({ code: 'custom', path: ['weights', i, 'data'], message: `holds ${w.data.length} values for shape [${w.shape}]` });
    });
  });
export type SavedForecaster = z.infer<typeof SavedForecaster>;

export function saveForecaster(
  model: string,
  config: SequenceModelConfig,
  weights: readonly WeightData[],
  layout: WindowLayout,
  trainedOn: SavedForecaster['trainedOn'],
  metrics: SavedForecaster['metrics'],
): SavedForecaster {
  if (config.outputs !== 1) throw new Error('only single-output (forecasting) models can be saved here');
  return {
    format: SAVED_FORECASTER_FORMAT,
    version: SAVED_FORECASTER_VERSION,
    model,
    config: config as SavedForecaster['config'],
    weights: weights.map((w) => ({ name: w.name, shape: [...w.shape], data: Array.from(w.data) })),
    layout: {
      history: layout.history,
      horizon: layout.horizon,
      featureIds: [...layout.featureIds],
      targetId: layout.targetId,
      mean: Array.from(layout.norm.mean),
      std: Array.from(layout.norm.std),
      targetMean: layout.norm.targetMean,
      targetStd: layout.norm.targetStd,
    },
    trainedOn,
    metrics,
    createdAt: new Date().toISOString(),
  };
}

/** Parses a saved model (JSON already parsed), with an error that names the bad field. */
export function parseSavedForecaster(json: unknown): SavedForecaster {
  return parseSpec(SavedForecaster, json, 'saved forecaster');
}

export interface AppliedForecast {
  /** Frame rows predicted (each the target of a full history window). */
  readonly targetIndex: Int32Array;
  readonly predicted: Float32Array;
  readonly actual: Float32Array;
  readonly rmse: number;
}

/**
 * Runs a saved model over every window of a frame, with the model's own (training) normalisation. Refuses a
 * frame that lacks one of the model's input series, naming them.
 */
export async function applySavedForecaster(saved: SavedForecaster, frame: SeriesFrame): Promise<AppliedForecast> {
  const { layout } = saved;
  const missing = [...layout.featureIds, layout.targetId].filter((id) => !frame.columns.has(id));
  if (missing.length) throw new Error(`this bundle lacks series the model was trained on: ${missing.join(', ')}`);
  const k = layout.history;
  const h = layout.horizon;
  const F = layout.featureIds.length;
  const cols = layout.featureIds.map((id) => frame.columns.get(id)!);
  const target = frame.columns.get(layout.targetId)!;
  const first = h + k - 1;
  const count = Math.max(0, frame.tNs.length - first);
  if (count === 0) throw new Error(`the bundle has ${frame.tNs.length} intervals, fewer than history + horizon (${k + h})`);
  const source: WindowSource = {
    count,
    window: k,
    batch: (indices) => {
      const x = new Float32Array(indices.length * k * F);
      for (let b = 0; b < indices.length; b++) {
        const start = first + indices[b]! - h - k + 1;
        for (let l = 0; l < k; l++) for (let q = 0; q < F; q++) x[(b * k + l) * F + q] = (cols[q]![start + l]! - layout.mean[q]!) / layout.std[q]!;
      }
      return { x, y: new Float32Array(indices.length) };
    },
  };
  const weights: WeightData[] = saved.weights.map((w) => ({ name: w.name, shape: w.shape, data: Float32Array.from(w.data) }));
  const predicted = await predictLogits(saved.config, weights, source, 256);
  const actual = new Float32Array(count);
  let se = 0;
  for (let e = 0; e < count; e++) {
    predicted[e] = predicted[e]! * layout.targetStd + layout.targetMean;
    actual[e] = target[first + e]!;
    se += (predicted[e]! - actual[e]!) ** 2;
  }
  return { targetIndex: Int32Array.from({ length: count }, (_, e) => first + e), predicted, actual, rmse: Math.sqrt(se / count) };
}
