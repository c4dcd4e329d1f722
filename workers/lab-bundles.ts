import { describeBundleError, type Bundle } from '../core/bundle/index.ts';
import { openSource } from '../core/importers/open-source.ts';

/** A lab's bundle: a URL (the shipped datasets) or a file the user dropped or picked. */
export type LabSource = { readonly url: string } | { readonly file: File };

export function sourceName(s: LabSource): string {
  return 'url' in s ? decodeURIComponent(new URL(s.url).pathname.split('/').pop() ?? s.url) : s.file.name;
}

function keyOf(s: LabSource): string {
  return 'url' in s ? `url:${s.url}` : `file:${s.file.name}:${s.file.size}:${s.file.lastModified}`;
}

// The last bundles read: listing what a bundle offers and then running on it is the usual order, and reading a few
// MB of Arrow twice would double the wait. A handful is kept (a lab may take several bundles), oldest out first.
const CACHE_SIZE = 8;
const cache = new Map<string, Bundle>();

/** Reads (or recalls) a lab's bundle; throws an Error whose message names the file and says what is wrong. */
export async function readLabBundle(s: LabSource, signal?: AbortSignal): Promise<Bundle> {
  const key = keyOf(s);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  let bytes: Blob;
  if ('file' in s) bytes = s.file;
  else {
    const res = await fetch(s.url, signal ? { signal } : {});
    if (!res.ok) throw new Error(`${sourceName(s)}: HTTP ${res.status} ${res.statusText} from ${s.url}`);
    bytes = await res.blob();
  }
  const bundle = await openLabBytes(sourceName(s), bytes, signal);
  cache.set(key, bundle);
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return bundle;
}

/**
 * A lab's bytes through the one way in (core/importers/open-source.ts): a bundle is read, a raw capture (an
 * strace log, a trace, a CSV) imported as the loader would; anything else throws an Error whose message names
 * the file and says what is wrong (the bundle reader's words, or the importer's typed refusal).
 */
export async function openLabBytes(name: string, bytes: Blob, signal?: AbortSignal): Promise<Bundle> {
  const opened = await openSource(name, bytes, signal ? { signal } : {});
  if (opened.ok) return opened.bundle;
  if (opened.error.from === 'bundle') {
    const d = describeBundleError(opened.error.error);
    throw new Error(`${name}: ${d.title}. ${d.detail}`);
  }
  const message = opened.error.error.message;
  throw new Error(message.startsWith(name) ? message : `${name}: ${message}`);
}
