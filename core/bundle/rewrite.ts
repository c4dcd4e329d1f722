import type { Bundle } from './reader.ts';
import { writeBundle, type RawCapture } from './writer.ts';
import { FORMAT_VERSION } from './version.ts';

/**
 * A bundle read from any older file, written again in the current format's layout (compact tables, compact.ts;
 * large ones column by column) with the same manifest, tables and raw captures: what `tlab migrate` does. Read it
 * with keepRaw, or the raw/ captures the manifest lists are missing and this refuses rather than drop them; and
 * read it whole (or completeBundle() it), or it refuses rather than drop the columns a projected read left out.
 */
export function rewriteBundle(bundle: Bundle, level: 0 | 1 | 6 | 9 = 6): Uint8Array {
  if (bundle.unread) throw new Error('the bundle was read in part (ReadOptions.columns): complete it with completeBundle() before rewriting it');
  const { tables: _tables, raw: listed, ...manifest } = bundle.manifest;
  const raw: RawCapture[] = listed.map((r) => {
    const data = bundle.raw.get(r.path);
    if (!data) throw new Error(`${r.path} was not read (read the bundle with keepRaw to rewrite it)`);
    return { name: r.path.replace(/^raw\//, ''), source: r.source, description: r.description, data };
  });
  return writeBundle({ manifest: { ...manifest, formatVersion: FORMAT_VERSION }, tables: bundle.tables, raw }, level);
}
