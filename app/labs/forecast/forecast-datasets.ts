import { z } from 'zod';
import { fetchDatasetIndex, fetchDatasetJson, datasetUrl } from '../../datasets.ts';

/** The lab's own longer recordings; the overview's demo bundles are offered too (about 60 intervals each). */
export const FORECAST_FOLDER = 'forecast/';

/** public/datasets/forecast/index.json: one entry per recording. */
export const ForecastDatasetIndex = z.array(
  z.object({
    file: z.string().regex(/^[\w.-]+\.tlab$/),
    title: z.string(),
    description: z.string(),
    bytes: z.number().int().nonnegative().optional(),
    intervals: z.number().int().nonnegative().optional(),
    durationS: z.number().nonnegative().optional(),
    /** The series worth forecasting, for a bundle without the usual group CPU (an imported time series). */
    target: z.string().optional(),
  }),
);

/** public/datasets/forecast/spec.json: a suggested experiment (only the fields the form holds are read). */
export const SuggestedForecastSpec = z
  .object({
    lab: z.literal('forecast'),
    seed: z.number().int().optional(),
    bundle: z.object({ path: z.string() }).optional(),
    target: z.string().optional(),
    horizons: z.array(z.number().int().positive()).optional(),
    histories: z.array(z.number().int().positive()).optional(),
  })
  .passthrough();
export type SuggestedForecastSpec = z.infer<typeof SuggestedForecastSpec>;

export interface ForecastBundleChoice {
  /** The spec's bundle path, relative to the datasets folder ("forecast/x.tlab", "compression.tlab") or a dropped file's name. */
  path: string;
  title: string;
  group: 'forecast' | 'demo' | 'overview' | 'file';
  bytes?: number | undefined;
  intervals?: number | undefined;
  durationS?: number | undefined;
  target?: string | undefined;
  /** A shipped dataset, a file added here, or the bundle open in the overview (served by the loader, not read again). */
  source: { kind: 'dataset'; url: string } | { kind: 'file'; file: File } | { kind: 'open'; bundleId: string; name: string };
}

export interface ForecastDatasets {
  bundles: ForecastBundleChoice[];
  suggested: SuggestedForecastSpec | null;
  /** Why the lab's own folder is not offered (absent, invalid), or null. */
  problem: string | null;
}

/** The forecast folder's bundles first (when it is there), then the demo bundles. */
export async function fetchForecastDatasets(): Promise<ForecastDatasets> {
  const own = await fetchDatasetJson(`${FORECAST_FOLDER}index.json`, ForecastDatasetIndex).then(
    (index) => ({ index, problem: null }),
    (e: Error) => ({ index: [] as z.infer<typeof ForecastDatasetIndex>, problem: e.message }),
  );
  const suggested = own.index.length ? await fetchDatasetJson(`${FORECAST_FOLDER}spec.json`, SuggestedForecastSpec).catch(() => null) : null;
  const demos = await fetchDatasetIndex().catch(() => []);
  const bundles: ForecastBundleChoice[] = [
    ...own.index.map((d) => ({
      path: `${FORECAST_FOLDER}${d.file}`,
      title: d.title,
      group: 'forecast' as const,
      bytes: d.bytes,
      intervals: d.intervals,
      durationS: d.durationS,
      target: d.target,
      source: { kind: 'dataset' as const, url: datasetUrl(`${FORECAST_FOLDER}${d.file}`) },
    })),
    ...demos.map((d) => ({ path: d.file, title: d.title, group: 'demo' as const, bytes: d.bytes, source: { kind: 'dataset' as const, url: datasetUrl(d.file) } })),
  ];
  if (bundles.length === 0) throw new Error(own.problem ?? 'no datasets are listed');
  return { bundles, suggested, problem: own.problem };
}

/** The spec's bundle path of a suggested spec, as the lab names it ("forecast/…" unless it already is). */
export function suggestedPath(s: SuggestedForecastSpec | null): string | null {
  const p = s?.bundle?.path;
  if (!p) return null;
  return p.startsWith(FORECAST_FOLDER) || p.includes('/') ? p : `${FORECAST_FOLDER}${p}`;
}
