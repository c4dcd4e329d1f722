import { z } from 'zod';
import { parseSpec } from '../specs/parse.ts';

/**
 * A fingerprint-lab experiment as data (CWD): bundles labelled with their workload and whether the workload is
 * known (trained on) or plays the unknown, the sources whose series feed the fingerprints, the change point
 * method, the fingerprint's phase count, the distance, the threshold's k, the classifier and the split. The same
 * spec gives the same numbers in the browser and from `tlab run`.
 */
export const SOURCE_FAMILIES = ['usage', 'psi', 'counters', 'syscalls', 'sched'] as const;
export type SourceFamily = (typeof SOURCE_FAMILIES)[number];

export const FingerprintSpec = z.object({
  lab: z.literal('fingerprint'),
  seed: z.number().int().default(1),
  /** Relative to the spec file (CLI) or the datasets folder (browser). */
  bundles: z
    .array(z.object({ path: z.string().min(1), workload: z.string().min(1), role: z.enum(['known', 'unknown']).default('known') }))
    .min(2),
  /** Which sources feed the fingerprints (series present in every bundle; per-process series are left out). */
  sources: z.array(z.enum(SOURCE_FAMILIES)).min(1).default(['usage', 'psi', 'counters']),
  /** Also use machine-wide series (system CPU, system PSI): on a shared machine they carry other jobs' load. */
  includeSystem: z.boolean().default(false),
  /**
   * CWD eq. 7 (|x − μ| / σ per run), a plain z-score per run, sign(x)·log(1 + |x|) (keeps each run's level, which
   * per-run scaling throws away), or none.
   */
  normalisation: z.enum(['cwd', 'zscore', 'log', 'none']).default('cwd'),
  changePoints: z
    .object({
      method: z.enum(['bocpd', 'pelt']).default('bocpd'),
      /** BOCPD: expected segment length (hazard 1/λ), normal-gamma prior, truncation. */
      lambda: z.number().positive().max(1e6).default(20),
      mu0: z.number().default(0),
      kappa0: z.number().positive().default(1),
      alpha0: z.number().positive().default(1),
      beta0: z.number().positive().default(1),
      maxRunLength: z.number().int().min(1).max(10_000).default(200),
      /** PELT: cost and penalty per change point. */
      cost: z.enum(['l2', 'rbf']).default('l2'),
      penalty: z.number().positive().default(10),
      /** Shortest phase, in samples (both methods). */
      minSegment: z.number().int().min(1).max(1000).default(3),
    })
    .prefault({}),
  /** Phases per counter in the fingerprint (zero-padded; extra phases merge into the last). */
  maxPhases: z.number().int().min(1).max(32).default(4),
  adfLags: z.number().int().min(0).max(10).default(0),
  /** The distance for thresholds, the known/unknown decision and the nearest-fingerprint classifier. */
  distance: z.object({ kind: z.enum(['euclidean', 'dtw']).default('dtw'), band: z.number().int().min(0).max(64).default(2) }).prefault({}),
  /** Threshold = mean + k · std of the intra-workload distances (CWD: k = 1). */
  thresholdK: z.number().min(0).max(10).default(1),
  classifier: z
    .object({
      rounds: z.number().int().min(1).max(1000).default(60),
      learningRate: z.number().positive().max(1).default(0.2),
      maxDepth: z.number().int().min(1).max(8).default(3),
      colsample: z.number().gt(0).max(1).default(0.5),
      lambda: z.number().min(0).default(1),
      bins: z.number().int().min(2).max(255).default(32),
    })
    .prefault({}),
  /** CWD's 70/30 per workload; leave-one-run-out beside it. */
  split: z.object({ trainShare: z.number().gt(0).lt(1).default(0.7), leaveOneRunOut: z.boolean().default(true) }).prefault({}),
  /** Partial runs: the test runs cut to this share of their length and matched by subsequence DTW (0 = skip). */
  partialShare: z.number().min(0).max(1).default(0.5),
});
export type FingerprintSpec = z.infer<typeof FingerprintSpec>;
export type FingerprintSpecInput = z.input<typeof FingerprintSpec>;

export function parseFingerprintSpec(json: unknown): FingerprintSpec {
  return parseSpec(FingerprintSpec, json, 'fingerprint-lab');
}
