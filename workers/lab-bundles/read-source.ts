import { describeBundleError, type Bundle } from '../../core/bundle/index.ts';
import { openSource } from '../../core/importers/open-source.ts';
import type { LabSource } from '../bundle-loader/lab-protocol.ts';

/**
 * Reads a lab's source from its bytes: fetches a URL, or takes the File, then reads or imports it. Used by the
 * loader worker (which keeps what it reads) and by a lab worker that has no loader to ask (Node, tests).
 */
export async function readSource(s: LabSource, name: string, signal?: AbortSignal): Promise<Bundle> {
  // Only the loader worker holds open bundles: asked for one it no longer has (or with none to ask), say so.
  if ('bundleId' in s) throw new Error(`${name}: the bundle is no longer open (the loader keeps a few, the least recently used go first); open it again`);
  let bytes: Blob;
  if ('file' in s) bytes = s.file;
  else {
    const res = await fetch(s.url, signal ? { signal } : {});
    if (!res.ok) throw new Error(`${name}: HTTP ${res.status} ${res.statusText} from ${s.url}`);
    bytes = await res.blob();
  }
  return openLabBytes(name, bytes, signal);
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
