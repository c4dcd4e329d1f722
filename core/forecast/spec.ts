import { z } from 'zod';
import { parseSpec } from '../specs/parse.ts';

/**
 * A forecast-lab experiment as data: one bundle, a target series, input sets (the ablation), the horizon ×
 * history grid and the models. The same spec gives the same table in the browser and from `tlab run`.
 */
const Neural = z
  .object({
    width: z.number().int().min(1).max(512).optional(),
    layers: z.number().int().min(1).max(4).optional(),
    kernel: z.number().int().min(1).max(8).optional(),
    dilations: z.array(z.number().int().min(1).max(256)).min(1).max(10).optional(),
    epochs: z.number().int().min(1).max(1000).optional(),
    batchSize: z.number().int().min(1).max(4096).optional(),
    learningRate: z.number().positive().max(1).optional(),
    patience: z.number().int().min(1).optional(),
  })
  .strict();

/** `syscalls`: calls per interval by name (the most frequent); `syscall-embedding`: the mean skip-gram vector of each interval's calls. */
export const INPUT_FAMILIES = ['usage', 'syscalls', 'syscall-embedding', 'psi', 'counters'] as const;
export const FORECAST_MODELS = ['persistence', 'moving-average', 'mean', 'ridge', 'random-forest', 'lstm', 'tcn'] as const;

export const InputSet = z.object({
  name: z.string().min(1),
  /** Series families; the target's own history is always an input. */
  families: z.array(z.enum(INPUT_FAMILIES)),
});
export type InputSet = z.infer<typeof InputSet>;

export const ForecastSpec = z
  .object({
    lab: z.literal('forecast'),
    seed: z.number().int().default(1),
    /** Relative to the spec file (CLI) or the datasets folder (browser). */
    bundle: z.object({ path: z.string().min(1) }),
    target: z.string().min(1).default('group:cpu'),
    inputSets: z
      .array(InputSet)
      .min(1)
      .default([
        { name: 'usage', families: ['usage'] },
        { name: 'usage+syscall-embedding', families: ['usage', 'syscall-embedding'] },
        { name: 'usage+syscall-counts', families: ['usage', 'syscalls'] },
      ]),
    /** Skip-gram settings for the `syscall-embedding` inputs (trained on the training span's calls only). */
    embedding: z
      .object({
        dim: z.number().int().min(2).max(256).default(8),
        window: z.number().int().min(1).max(20).default(5),
        negatives: z.number().int().min(1).max(30).default(5),
        epochs: z.number().int().min(1).max(100).default(5),
        subsample: z.number().min(0).max(1).default(1e-3),
      })
      .default({ dim: 8, window: 5, negatives: 5, epochs: 5, subsample: 1e-3 }),
    /** Per-name syscall series are many; the most frequent ones (by training-range count) are kept. */
    maxSyscallSeries: z.number().int().min(1).max(400).default(12),
    /** A series with fewer real readings than this share (the rest filled in) is left out of the inputs. */
    minCoverage: z.number().min(0).max(1).default(0.5),
    horizons: z.array(z.number().int().min(1).max(1000)).min(1).default([1, 2, 4, 8]),
    histories: z.array(z.number().int().min(1).max(1000)).min(1).default([2, 4, 8, 16]),
    models: z.array(z.enum(FORECAST_MODELS)).min(1).default(['persistence', 'moving-average', 'ridge', 'random-forest', 'lstm', 'tcn']),
    fractions: z.object({ train: z.number().positive(), val: z.number().positive(), test: z.number().positive() }).default({ train: 0.6, val: 0.2, test: 0.2 }),
    neural: z.object({ lstm: Neural.optional(), tcn: Neural.optional() }).default({}),
    forest: z.object({ trees: z.number().int().min(1).max(1000).optional(), maxDepth: z.number().int().min(1).max(64).optional() }).default({ trees: 60 }),
    /** The cell whose test-span predictions are kept for the actual-versus-predicted chart (default: first horizon, longest history). */
    predictionCell: z.object({ horizon: z.number().int().min(1), history: z.number().int().min(1) }).optional(),
  })
  .superRefine((s, ctx) => {
    const names = new Set<string>();
    s.inputSets.forEach((set, i) => {
      if (names.has(set.name)) ctx.addIssue({ code: 'custom', path: ['inputSets', i, 'name'], message: `input set "${set.name}" appears twice` });
      names.add(set.name);
    });
    if (Math.abs(s.fractions.train + s.fractions.val + s.fractions.test - 1) > 1e-6)
      ctx.addIssue({ code: 'custom', path: ['fractions'], message: 'train, val and test must add up to 1' });
    if (s.predictionCell && (!s.horizons.includes(s.predictionCell.horizon) || !s.histories.includes(s.predictionCell.history)))
      ctx.addIssue({ code: 'custom', path: ['predictionCell'], message: 'the prediction cell must be one of the grid\'s horizons and histories' });
  });
export type ForecastSpec = z.infer<typeof ForecastSpec>;
export type ForecastSpecInput = z.input<typeof ForecastSpec>;

export function parseForecastSpec(json: unknown): ForecastSpec {
  return parseSpec(ForecastSpec, json, 'forecast-lab');
}
