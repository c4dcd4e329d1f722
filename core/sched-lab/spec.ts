import { z } from 'zod';
import { parseSpec } from '../specs/parse.ts';
import { BASELINE_NAMES } from './baselines.ts';

/**
 * A scheduling-lab experiment as data: the same spec gives the same numbers in the browser and from
 * `tlab run SPEC.json` (the seed decides initial weights, shuffles and samples).
 */
const Training = {
  epochs: z.number().int().min(1).max(500).default(5),
  batchSize: z.number().int().min(1).max(4096).default(128),
  learningRate: z.number().positive().max(1).default(0.003),
  /** Epochs without a better validation loss before stopping (the best epoch's weights are kept). */
  patience: z.number().int().min(1).default(2),
  embed: z.number().int().min(1).max(1024).default(32),
};

export const LstmSpec = z.object({
  kind: z.literal('lstm'),
  name: z.string().min(1).optional(),
  units: z.number().int().min(1).max(1024).default(64),
  layers: z.number().int().min(1).max(4).default(1),
  ...Training,
});

export const TcnSpec = z.object({
  kind: z.literal('tcn'),
  name: z.string().min(1).optional(),
  /** Also the embedding width (the residual connections need them equal). */
  filters: z.number().int().min(1).max(1024).default(64),
  kernel: z.number().int().min(1).max(16).default(3),
  dilations: z.array(z.number().int().min(1).max(1024)).min(1).max(12).default([1, 2, 4, 8]),
  ...Training,
});

export const ModelSpec = z.discriminatedUnion('kind', [LstmSpec, TcnSpec]);
export type ModelSpec = z.infer<typeof ModelSpec>;


export const SchedBundleRef = z.object({
  /** Relative to the spec file (CLI) or to the page's datasets folder (browser). */
  path: z.string().min(1),
  workload: z.string().min(1),
  role: z.enum(['train', 'test-seen', 'test-unseen']),
});
export type SchedBundleRef = z.infer<typeof SchedBundleRef>;

export const SchedSpec = z
  .object({
    lab: z.literal('sched'),
    seed: z.number().int().default(1),
    bundles: z.array(SchedBundleRef).min(1),
    target: z.enum(['next-class', 'recent-pointer', 'prev-state']).default('next-class'),
    sequence: z.enum(['per-cpu', 'merged']).default('per-cpu'),
    /** Window of past switches a model sees, and the step between training windows (KernelOracle2: 64 and 4). */
    window: z.number().int().min(2).max(512).default(64),
    stride: z.number().int().min(1).max(512).default(4),
    /**
     * Learn from the prediction after every switch of a training window, or only after its last (as KernelOracle2).
     * Every step costs the same compute as the last one alone, so it learns from `window` times more targets.
     */
    trainOn: z.enum(['every-step', 'last-step']).default('every-step'),
    topK: z.number().int().min(1).max(10).default(3),
    /** How many distinct recent tasks the pointer target and the recency feature look back over. */
    recentK: z.number().int().min(1).max(16).default(4),
    /** Training windows are sampled down to this many (seeded); validation and test are not. */
    maxTrainWindows: z.number().int().min(1).default(4000),
    /** Validation windows (scored every epoch) are thinned evenly to this many. */
    maxValidationWindows: z.number().int().min(1).default(2000),
    /** Test positions per role, spread evenly over the test traces; every model and baseline is scored on the same ones. */
    maxTestPositions: z.number().int().min(1).default(20000),
    /** The chronological tail of each training sequence that is held out for early stopping. */
    validationFraction: z.number().min(0).max(0.5).default(0.15),
    /** Per training window, the chance each task class is shown as <unknown> (see unknown-masking.ts); 0 turns it off. */
    unknownMasking: z.number().min(0).max(1).default(0.1),
    maxClasses: z.number().int().min(4).max(1000).default(48),
    minClassCount: z.number().int().min(1).default(2),
    models: z.array(ModelSpec).default([
      { kind: 'lstm', units: 64, layers: 1, epochs: 5, batchSize: 128, learningRate: 0.003, patience: 2, embed: 32 },
      { kind: 'tcn', filters: 64, kernel: 3, dilations: [1, 2, 4, 8], epochs: 5, batchSize: 128, learningRate: 0.003, patience: 2, embed: 64 },
    ]),
    baselines: z.array(z.enum(BASELINE_NAMES)).default([...BASELINE_NAMES]),
    /** Events streamed one at a time per model to time per-event inference. */
    latencyEvents: z.number().int().min(0).default(2000),
  })
  .superRefine((s, ctx) => {
    if (!s.bundles.some((b) => b.role === 'train')) ctx.addIssue({ code: 'custom', path: ['bundles'], message: 'at least one bundle needs role "train"' });
    if (!s.bundles.some((b) => b.role !== 'train')) ctx.addIssue({ code: 'custom', path: ['bundles'], message: 'at least one bundle needs role "test-seen" or "test-unseen"' });
    const seen = new Set(s.bundles.filter((b) => b.role === 'train').map((b) => b.workload));
    s.bundles.forEach((b, i) => {
      if (b.role === 'test-unseen' && seen.has(b.workload))
        ctx.addIssue({ code: 'custom', path: ['bundles', i, 'role'], message: `workload "${b.workload}" has training traces, so it is not unseen; use "test-seen"` });
      if (b.role === 'test-seen' && !seen.has(b.workload))
        ctx.addIssue({ code: 'custom', path: ['bundles', i, 'role'], message: `workload "${b.workload}" has no training trace, so it is unseen; use "test-unseen"` });
    });
  });
export type SchedSpec = z.infer<typeof SchedSpec>;
export type SchedSpecInput = z.input<typeof SchedSpec>;

export function parseSchedSpec(json: unknown): SchedSpec {
  return parseSpec(SchedSpec, json, 'scheduling-lab');
}

export function modelName(m: ModelSpec, index: number, all: readonly ModelSpec[]): string {
  if (m.name) return m.name;
  const base = m.kind.toUpperCase();
  return all.filter((x) => x.kind === m.kind).length > 1 ? `${base} #${index + 1}` : base;
}
