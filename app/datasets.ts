import { z } from 'zod';

/** public/datasets/index.json: the demo bundles shipped with the site. */
export const DatasetIndex = z.array(
  z.object({
    file: z.string().regex(/^[\w.-]+\.tlab$/),
    title: z.string(),
    description: z.string(),
    bytes: z.number().int().nonnegative().optional(),
  }),
);
export type DatasetEntry = z.infer<typeof DatasetIndex>[number];

// Relative to the page, so the built site works under any base path.
export const DATASETS_BASE = `${import.meta.env.BASE_URL}datasets/`;

/** Absolute URL of a demo bundle: a relative one would resolve against the worker's script URL, not the page. */
export function datasetUrl(file: string): string {
  return new URL(`${DATASETS_BASE}${file}`, document.baseURI).href;
}

export async function fetchDatasetIndex(): Promise<DatasetEntry[]> {
  const res = await fetch(`${DATASETS_BASE}index.json`);
  if (!res.ok || !(res.headers.get('content-type') ?? '').includes('json')) {
    throw new Error(`datasets/index.json is not there (HTTP ${res.status}, ${res.headers.get('content-type') ?? 'no type'})`);
  }
  const parsed = DatasetIndex.safeParse(await res.json());
  if (!parsed.success) throw new Error(`datasets/index.json is invalid: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
  return parsed.data;
}

/**
 * The `demo` URL parameter names a bundle from the index (it is user input: only names in the index are
 * accepted); an empty value means the first demo.
 */
export function demoFromUrl(index: readonly DatasetEntry[], search: string): DatasetEntry | null | 'unknown' {
  const params = new URLSearchParams(search);
  if (!params.has('demo')) return null;
  const want = params.get('demo') ?? '';
  if (want === '') return index[0] ?? 'unknown';
  return index.find((d) => d.file === want || d.file === `${want}.tlab`) ?? 'unknown';
}
