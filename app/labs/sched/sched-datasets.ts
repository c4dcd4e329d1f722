import { z } from 'zod';
import { SchedBundleRef } from '../../../core/sched-lab/spec.ts';
import { fetchDatasetJson } from '../../datasets.ts';

/** The lab's recordings live in their own folder so the overview's demo list stays short. */
export const SCHED_FOLDER = 'sched/';

/** public/datasets/sched/index.json: one entry per recorded run. */
export const SchedDatasetIndex = z.array(
  z.object({
    file: z.string().regex(/^[\w.-]+\.tlab$/),
    workload: z.string().min(1),
    run: z.number().int().optional(),
    title: z.string(),
    description: z.string(),
    bytes: z.number().int().nonnegative().optional(),
    switches: z.number().int().nonnegative().optional(),
  }),
);
export type SchedDataset = z.infer<typeof SchedDatasetIndex>[number];

/** public/datasets/sched/spec.json: the suggested split (paths relative to the folder). */
export const SuggestedSpec = z.object({
  lab: z.literal('sched'),
  seed: z.number().int().optional(),
  bundles: z.array(SchedBundleRef),
});
export type SuggestedSpec = z.infer<typeof SuggestedSpec>;

export interface SchedDatasets {
  index: SchedDataset[];
  /** Null when the folder has no spec.json: every bundle then starts as "not used". */
  suggested: SuggestedSpec | null;
}

export async function fetchSchedDatasets(): Promise<SchedDatasets> {
  const index = await fetchDatasetJson(`${SCHED_FOLDER}index.json`, SchedDatasetIndex);
  // The suggestion is a convenience: without it the lab still works, the user picks the roles.
  const suggested = await fetchDatasetJson(`${SCHED_FOLDER}spec.json`, SuggestedSpec).catch(() => null);
  return { index, suggested };
}
