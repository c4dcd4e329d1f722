/**
 * A lab's spec in the URL, so a link reproduces a configuration and a replay can load one:
 *
 * - `spec=` holds either the spec itself as compact JSON (what the labs write as their settings change: a link
 *   copied from the address bar reopens the same settings), or the address of a spec file (absolute, or relative
 *   to the page: `?lab=verified&spec=replays/vpals-figure6.json`), fetched once.
 * - `run=1` starts the run as soon as the spec is loaded (what `tlab replay` opens).
 *
 * Only the spec travels: bundles are named by their paths, which each lab resolves among its shipped datasets.
 */
export type UrlSpec = { readonly json: unknown; readonly from: string } | { readonly error: string };

const MAX_SPEC_BYTES = 1 << 20;

/** The spec the URL carries (null when none), or why it cannot be read, in words. */
export async function specFromUrl(href: string, fetchImpl: typeof fetch = fetch): Promise<UrlSpec | null> {
  const url = new URL(href);
  const raw = url.searchParams.get('spec');
  if (raw === null || raw.trim() === '') return null;
  const text = raw.trim();
  if (text.startsWith('{')) {
    try {
      return { json: JSON.parse(text) as unknown, from: 'the link' };
    } catch (e) {
      return { error: `The link's spec is not valid JSON (${(e as Error).message}).` };
    }
  }
  let target: URL;
  try {
    target = new URL(text, url);
  } catch {
    return { error: `The link's spec "${text.slice(0, 80)}" is neither JSON nor an address.` };
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return { error: `The link's spec address ${target.href.slice(0, 80)} is not http(s).` };
  try {
    const res = await fetchImpl(target.href);
    if (!res.ok) return { error: `The spec at ${target.href} could not be fetched: HTTP ${res.status}.` };
    const body = await res.text();
    if (body.length > MAX_SPEC_BYTES) return { error: `The spec at ${target.href} is ${body.length} bytes; a spec is at most ${MAX_SPEC_BYTES}.` };
    return { json: JSON.parse(body) as unknown, from: target.href };
  } catch (e) {
    return { error: `The spec at ${target.href} could not be read: ${(e as Error).message}.` };
  }
}

/** Whether the link asks for the run to start once its spec is loaded. */
export function wantsRun(href: string): boolean {
  return new URL(href).searchParams.get('run') === '1';
}

/** The URL with this spec in it (compact JSON) and without `run` (a reload must not start another run). */
export function urlWithSpec(href: string, spec: unknown): string {
  const url = new URL(href);
  url.searchParams.set('spec', JSON.stringify(spec));
  url.searchParams.delete('run');
  return url.href;
}

/**
 * A spec's bundle path as a lab's datasets name it: a leading "./", "../…", "public/", "datasets/" and then the
 * lab's own folder (when given) are dropped, so a spec beside the datasets, in replays/ or exported by the page
 * all name the same file.
 */
export function datasetRelative(path: string, folder = ''): string {
  const rest = path.replace(/^(\.\/)?(\.\.\/)*(public\/)?(datasets\/)?/, '');
  return folder && rest.startsWith(`${folder}/`) ? rest.slice(folder.length + 1) : rest;
}
