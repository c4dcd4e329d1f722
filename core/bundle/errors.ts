/**
 * Everything that can go wrong reading a bundle, as plain data (so it crosses a worker boundary intact).
 * The UI and the CLI turn each kind into words with describeBundleError; the switch there is exhaustive.
 */
export type BundleError =
  | { kind: 'empty-file' }
  | { kind: 'lfs-pointer'; oid: string | null; size: number | null }
  | { kind: 'not-a-zip'; firstBytes: string; looksLike: string | null }
  | { kind: 'zip-truncated'; bytesRead: number; lostEntries: string[] }
  | { kind: 'zip-corrupt'; entry: string; detail: string }
  | { kind: 'no-manifest'; entries: string[] }
  | { kind: 'manifest-invalid'; path: string; detail: string }
  /** The manifest's JSON is shaped beyond what a real manifest needs (nesting, a string, an array, an object). */
  | { kind: 'manifest-too-complex'; what: 'depth' | 'string' | 'array' | 'object'; path: string; found: number; limit: number }
  /**
   * An entry inflates to more than the reader allows: `limit` comes from `basis` (the manifest's row count for a
   * table, its `bytes` for a raw capture, a fixed cap for manifest.json, or a compression ratio no real table
   * reaches). Reading stops there, so `inflatedBytes` is how far it got (a lower bound of the real size), and
   * `declaredBytes` is the size the zip header claims, null when it has none.
   */
  | { kind: 'entry-too-large'; entry: string; inflatedBytes: number; declaredBytes: number | null; limit: number; basis: string }
  | { kind: 'too-many-entries'; count: number; limit: number }
  | { kind: 'unsupported-version'; found: string; supported: string; tooNew: boolean }
  | { kind: 'table-missing'; table: string; path: string }
  | { kind: 'table-corrupt'; table: string; detail: string }
  | { kind: 'read-failed'; detail: string }
  | { kind: 'cancelled' };

export type BundleErrorKind = BundleError['kind'];

export function describeBundleError(e: BundleError): { title: string; detail: string } {
  switch (e.kind) {
    case 'empty-file':
      return { title: 'The file is empty', detail: 'It has 0 bytes. Was the recording interrupted before anything was written?' };
    case 'lfs-pointer':
      return {
        title: 'This is a Git LFS pointer, not the bundle',
        detail: `The file is a small text stub that Git LFS left in place of the real data${e.size !== null ? ` (${e.size} bytes)` : ''}${e.oid ? `, object ${e.oid.slice(0, 16)}…` : ''}. Run "git lfs pull" in the repository it came from, then open the real file.`,
      };
    case 'not-a-zip':
      return {
        title: 'Not a Telemetry Lab bundle',
        detail: `A bundle is a zip file starting with "PK"; this one starts with ${e.firstBytes}.${e.looksLike ? ` It looks like ${e.looksLike}.` : ''}`,
      };
    case 'zip-truncated':
      return {
        title: 'The bundle is truncated',
        detail: `The zip ends after ${e.bytesRead} bytes without its central directory, so the file was cut short (an interrupted copy or download?).${e.lostEntries.length ? ` Incomplete entries: ${e.lostEntries.join(', ')}.` : ''}`,
      };
    case 'zip-corrupt':
      return { title: 'The bundle is damaged', detail: `Entry "${e.entry}" could not be decompressed: ${e.detail}.` };
    case 'no-manifest':
      return {
        title: 'No manifest.json in the bundle',
        detail: `The zip holds ${e.entries.length ? e.entries.slice(0, 8).join(', ') + (e.entries.length > 8 ? ', …' : '') : 'no files'} but no manifest.json, so it is not a Telemetry Lab bundle.`,
      };
    case 'manifest-invalid':
      return { title: 'The manifest is invalid', detail: `At ${e.path}: ${e.detail}.` };
    case 'manifest-too-complex': {
      const found = formatCount(e.found);
      const limit = formatCount(e.limit);
      const what = {
        depth: `objects and arrays nest ${found} levels deep; a manifest may nest at most ${limit}`,
        string: `a string of ${found} characters; a manifest string may have at most ${limit}`,
        array: `an array of more than ${limit} items, the most a manifest array may have`,
        object: `an object with more than ${limit} keys, the most a manifest object may have`,
      }[e.what];
      return { title: 'The manifest is too large to be real', detail: `At ${e.path}: ${what}. It was refused without reading further.` };
    }
    case 'entry-too-large':
      return {
        title: `"${e.entry}" is too large to open`,
        detail: `It inflates to more than ${formatBytes(e.limit)} (${e.basis}); reading stopped after ${formatBytes(e.inflatedBytes)}${e.declaredBytes !== null ? `, and the zip says it holds ${formatBytes(e.declaredBytes)}` : ''}. A real bundle never comes near this, so the file was refused (a decompression bomb, or damaged).`,
      };
    case 'too-many-entries':
      return {
        title: 'The bundle has too many entries',
        detail: `The zip holds at least ${formatCount(e.count)} files; a bundle may hold at most ${formatCount(e.limit)}. It was refused without reading further.`,
      };
    case 'unsupported-version':
      return e.tooNew
        ? {
            title: 'The bundle is from a newer version',
            detail: `It uses bundle format ${e.found}; this app reads ${e.supported}. Update Telemetry Lab to open it.`,
          }
        : { title: 'Unsupported bundle version', detail: `Format ${e.found} cannot be migrated to ${e.supported}.` };
    case 'table-missing':
      return { title: `Table "${e.table}" is missing`, detail: `The manifest lists it at ${e.path}, but the zip has no such entry.` };
    case 'table-corrupt':
      return { title: `Table "${e.table}" is corrupt`, detail: e.detail };
    case 'read-failed':
      return { title: 'The file could not be read', detail: e.detail };
    case 'cancelled':
      return { title: 'Loading cancelled', detail: 'Nothing was changed.' };
  }
}

/** Bytes in words: "3.00 GiB (3,221,225,472 bytes)". */
// One formatter for every count: toLocaleString builds a new one per call (about 0.1 ms each, 30 a bundle read).
const thousands = new Intl.NumberFormat('en-US');

/** A count with thousands separators, e.g. 1,234,567. */
export function formatCount(n: number): string {
  return thousands.format(n);
}

export function formatBytes(n: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let unit = '';
  for (const u of units) {
    if (v < 1024) break;
    v /= 1024;
    unit = u;
  }
  const exact = `${formatCount(n)} bytes`;
  return unit ? `${v.toFixed(2)} ${unit} (${exact})` : exact;
}

/** Thrown inside the reader and caught at its boundary, where it becomes a result. */
export class BundleErrorException extends Error {
  constructor(readonly error: BundleError) {
    super(describeBundleError(error).title);
    this.name = 'BundleError';
  }
}
