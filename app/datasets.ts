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

/**
 * Absolute URL of a file under datasets/ (`sched/pipe-1.tlab` for a lab's folder): a relative one would resolve
 * against the worker's script URL, not the page.
 */
export function datasetUrl(file: string): string {
  return new URL(`${DATASETS_BASE}${file}`, document.baseURI).href;
}

/**
 * Fetches and validates a JSON file under datasets/. A static host answers a missing file with its HTML page,
 * so the content type is checked before parsing, and the error names the file.
 */
export async function fetchDatasetJson<T>(path: string, schema: z.ZodType<T>): Promise<T> {
  const res = await fetch(`${DATASETS_BASE}${path}`);
  if (!res.ok || !(res.headers.get('content-type') ?? '').includes('json')) {
    throw new Error(`datasets/${path} is not there (HTTP ${res.status}, ${res.headers.get('content-type') ?? 'no type'})`);
  }
  const parsed = schema.safeParse(await res.json());
  if (!parsed.success) throw new Error(`datasets/${path} is invalid: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
  return parsed.data;
}

export function fetchDatasetIndex(): Promise<DatasetEntry[]> {
  return fetchDatasetJson('index.json', DatasetIndex);
}

/**
 * The `demo` URL parameter names a bundle from the index (it is user input: only names in the index are
 * accepted); an empty value means the first demo, the lightest (the index lists them by size).
 */
export function demoFromUrl(index: readonly DatasetEntry[], search: string): DatasetEntry | null | 'unknown' {
  const params = new URLSearchParams(search);
  if (!params.has('demo')) return null;
  const want = params.get('demo') ?? '';
  if (want === '') return index[0] ?? 'unknown';
  return index.find((d) => d.file === want || d.file === `${want}.tlab`) ?? 'unknown';
}
