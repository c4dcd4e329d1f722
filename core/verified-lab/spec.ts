import { z } from 'zod';
import { parseSpec } from '../specs/parse.ts';

/**
 * A verified-lab experiment as data (vPALs): bundles from `tlab bench`, one service, a latency target, the inputs
 * (pressure, usage, configuration), which of them the prediction must be monotone in and over what box, the MLP,
 * and the counterexample-guided training and verification budgets. The same spec gives the same numbers in the
 * browser and from `tlab run`.
 */
export const LATENCY_TARGETS = ['p99_us', 'p50_us', 'mean_us', 'max_us'] as const;
export type LatencyTarget = (typeof LATENCY_TARGETS)[number];

export const Direction = z.enum(['increasing', 'decreasing', 'free']);

export const VerifiedSpec = z
  .object({
    lab: z.literal('verified'),
    seed: z.number().int().default(1),
    /** Relative to the spec file (CLI) or the datasets folder (browser). */
    bundles: z.array(z.object({ path: z.string().min(1) })).min(1),
    /** The service whose latency is modelled (vPALs trains one learner per application). */
    service: z.string().min(1),
    target: z.enum(LATENCY_TARGETS).default('p99_us'),
    /**
     * `log` models log(latency): tails spread over orders of magnitude and MSE on raw microseconds is ruled by a few
     * outliers. log is increasing, so a model monotone in log latency is monotone in latency.
     */
    targetTransform: z.enum(['none', 'log']).default('log'),
    /** Input ids as the dataset lists them (e.g. "psi:system:cpu:some", "config:level"). */
    inputs: z.array(z.string().min(1)).min(1).max(64),
    /** Per input id: the direction the prediction must move when it grows; inputs not named are free. */
    monotone: z.record(z.string(), Direction).default({}),
    /** Per input id: the box [lo, hi] in the input's units over which the property must hold (default: the training data's range). */
    box: z.record(z.string(), z.tuple([z.number(), z.number()])).default({}),
    /**
     * How the test set is held out. `configuration` (default) holds out whole configurations (service, mix,
     * interference kind and level): neighbouring intervals of one configuration are near copies, so a random split
     * (`row`, vPALs' 80/20 shuffle) scores memory rather than prediction.
     */
    split: z
      .object({ by: z.enum(['configuration', 'row']).default('configuration'), test: z.number().gt(0).lt(1).default(0.2) })
      .default({ by: 'configuration', test: 0.2 }),
    /** Intervals dropped at the start of each configuration while its interference starts (vPALs drops warm-up). */
    warmupIntervals: z.number().int().min(0).max(100).default(1),
    /** |prediction − truth| below this on the MinMax-normalised target counts as accurate (vPALs and Ouroboros: 0.05). */
    accuracyTolerance: z.number().positive().max(1).default(0.05),
    model: z
      .object({
        hidden: z.array(z.number().int().min(1).max(1024)).min(1).max(4).default([300, 300]),
        batchSize: z.number().int().min(1).max(4096).default(64),
        learningRate: z.number().positive().max(1).default(1e-3),
      })
      .default({ hidden: [300, 300], batchSize: 64, learningRate: 1e-3 }),
    /** Counterexample-guided training: epochs before the first verification and between later ones, rounds, penalty. */
    cegis: z
      .object({
        epochsPerRound: z.number().int().min(1).max(10_000).default(40),
        maxRounds: z.number().int().min(1).max(100).default(8),
        pairWeight: z.number().min(0).max(1e6).default(10),
        /** Step along the violated input for pairs made from a counterexample, as a fraction of the box's width. */
        epsilon: z.number().positive().max(1).default(0.05),
        /** Pairs drawn over the box in each step besides the collected ones (0 = Ouroboros's loop, data + counterexamples only). */
        randomPairsPerStep: z.number().int().min(0).max(4096).default(32),
        /** Pairs must rise by this much on the normalised target (0 = Ouroboros's hinge); a little slack keeps the
         * network from settling exactly on the boundary, where float rounding leaves violations. */
        margin: z.number().min(0).max(1).default(0.001),
      })
      .default({ epochsPerRound: 40, maxRounds: 8, pairWeight: 10, epsilon: 0.05, randomPairsPerStep: 32, margin: 0.001 }),
    verifier: z
      .object({
        /**
         * The budget of each verification (inside training and final), as work so that the same spec gives the same
         * answers on any machine: branch-and-bound boxes, and HiGHS nodes per exact solve.
         */
        boxes: z.number().int().min(1).max(1_000_000).default(400),
        milpNodes: z.number().int().min(1).max(1_000_000).default(1000),
        /**
         * A wall-clock guard per verification: reached before the work budget, it stops the verification, which is
         * then reported as stopped by the clock (its answer may differ on another machine).
         */
        seconds: z.number().positive().max(3600).default(60),
        /** Also run Ouroboros's own method (interval gradient + bisection) on both final networks, for comparison. */
        ouroboros: z.boolean().default(true),
      })
      .default({ boxes: 400, milpNodes: 1000, seconds: 60, ouroboros: true }),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.inputs.forEach((id, i) => {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: ['inputs', i], message: `input "${id}" appears twice` });
      seen.add(id);
    });
    for (const id of Object.keys(s.monotone)) {
      if (!seen.has(id)) ctx.addIssue({ code: 'custom', path: ['monotone', id], message: `"${id}" is not one of the inputs` });
    }
    for (const [id, [lo, hi]] of Object.entries(s.box)) {
      if (!seen.has(id)) ctx.addIssue({ code: 'custom', path: ['box', id], message: `"${id}" is not one of the inputs` });
      else if (!(lo < hi)) ctx.addIssue({ code: 'custom', path: ['box', id], message: `the box needs lo < hi, got [${lo}, ${hi}]` });
    }
  });
export type VerifiedSpec = z.infer<typeof VerifiedSpec>;
export type VerifiedSpecInput = z.input<typeof VerifiedSpec>;

export function parseVerifiedSpec(json: unknown): VerifiedSpec {
  return parseSpec(VerifiedSpec, json, 'verified-lab');
}
