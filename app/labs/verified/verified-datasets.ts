import { z } from 'zod';
import { VerifiedSpec } from '../../../core/verified-lab/spec.ts';
import { datasetUrl, fetchDatasetJson } from '../../datasets.ts';

/** `tlab bench` recordings live in their own folder, with an index saying how each was made. */
export const VERIFIED_FOLDER = 'verified/';

const Entry = z
  .object({
    file: z.string().regex(/^[\w.-]+\.tlab$/),
    title: z.string().nullish(),
    description: z.string().nullish(),
    service: z.string().nullish(),
    services: z.array(z.string()).nullish(),
    bytes: z.number().int().nonnegative().nullish(),
  })
  .passthrough();

/**
 * public/datasets/verified/index.json: a list of bundles, or an object with the list (`bundles` or `datasets`),
 * a note on how they were made and a suggested spec. Only the fields the lab shows are read.
 */
export const VerifiedDatasetIndex = z.union([
  z.array(Entry),
  z
    .object({
      bundles: z.array(Entry).optional(),
      datasets: z.array(Entry).optional(),
      description: z.string().nullish(),
      how: z.string().nullish(),
      spec: z.unknown().optional(),
      suggestedSpec: z.unknown().optional(),
    })
    .passthrough(),
]);

/** What the lab needs of a bundle, said when one without it is offered. */
export const VERIFIED_NEEDS = "every request's latency, as tlab bench records it";

export interface VerifiedBundleChoice {
  /** The spec's bundle path: relative to datasets/verified/ for a shipped bundle, the file's name for a dropped one. */
  path: string;
  title: string;
  description?: string | undefined;
  service?: string | undefined;
  bytes?: number | undefined;
  source: { kind: 'dataset'; url: string } | { kind: 'file'; file: File } | { kind: 'open'; bundleId: string; name: string };
}

export interface VerifiedDatasets {
  bundles: VerifiedBundleChoice[];
  /** How the shipped bundles were made, when the index says. */
  about: string | null;
  /** The suggested spec (index's `spec`/`suggestedSpec`, else spec.json), when there is a valid one. */
  suggested: VerifiedSpec | null;
}

export async function fetchVerifiedDatasets(): Promise<VerifiedDatasets> {
  const index = await fetchDatasetJson(`${VERIFIED_FOLDER}index.json`, VerifiedDatasetIndex);
  const entries = Array.isArray(index) ? index : (index.bundles ?? index.datasets ?? []);
  const about = Array.isArray(index) ? null : (index.how ?? index.description ?? null);
  const inline = Array.isArray(index) ? undefined : (index.suggestedSpec ?? index.spec);
  let suggested: VerifiedSpec | null = null;
  const parsedInline = inline === undefined ? null : VerifiedSpec.safeParse(inline);
  if (parsedInline?.success) suggested = parsedInline.data;
  // The suggestion is a convenience: without it the lab still works with its own defaults.
  else suggested = await fetchDatasetJson(`${VERIFIED_FOLDER}spec.json`, VerifiedSpec).catch(() => null);
  return {
    bundles: entries.map((e) => ({
      path: e.file,
      title: e.title ?? e.file,
      description: e.description ?? undefined,
      service: e.service ?? e.services?.join(', '),
      bytes: e.bytes ?? undefined,
      source: { kind: 'dataset', url: datasetUrl(`${VERIFIED_FOLDER}${e.file}`) },
    })),
    about,
    suggested,
  };
}

export function uniquePath(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  const stem = name.replace(/\.tlab$/i, '');
  for (let i = 2; ; i++) if (!taken.has(`${stem}-${i}.tlab`)) return `${stem}-${i}.tlab`;
}
