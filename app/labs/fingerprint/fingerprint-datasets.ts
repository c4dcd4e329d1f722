import { z } from 'zod';
import { fetchDatasetJson } from '../../datasets.ts';

/** The fingerprint lab's recordings live in their own folder, with an index saying how they were made. */
export const FINGERPRINT_FOLDER = 'fingerprint/';

export const FingerprintIndex = z
  .object({
    how: z.string(),
    workloads: z.array(z.object({ id: z.string(), title: z.string(), command: z.string().nullish(), runs: z.number() }).passthrough()),
    bundles: z.array(z.object({ file: z.string().regex(/^[\w.-]+\.tlab$/), workload: z.string(), run: z.number().int(), bytes: z.number().optional() }).passthrough()),
  })
  .passthrough();
export type FingerprintIndex = z.infer<typeof FingerprintIndex>;

const SuggestedSpec = z.object({ bundles: z.array(z.object({ path: z.string(), workload: z.string(), role: z.enum(['known', 'unknown']).optional() })) }).passthrough();
export type SuggestedSpec = z.infer<typeof SuggestedSpec>;

export async function fetchFingerprintDatasets(): Promise<{ index: FingerprintIndex; spec: SuggestedSpec | null }> {
  const index = await fetchDatasetJson(`${FINGERPRINT_FOLDER}index.json`, FingerprintIndex);
  let spec: SuggestedSpec | null = null;
  try {
    spec = await fetchDatasetJson(`${FINGERPRINT_FOLDER}spec.json`, SuggestedSpec);
  } catch {
    spec = null;
  }
  return { index, spec };
}
