import { readBundle, type Bundle, type ReadOptions, type ReadProgress } from '../bundle/reader.ts';
import type { BundleError } from '../bundle/errors.ts';
import { parseLfsPointer, isZipStart } from '../bundle/sniff.ts';
import { chunksOf, type ByteSource } from '../bundle/source.ts';
import { importCapture, UnknownTraceError, type CaptureReport, type ImportOptions } from './capture-to-bundle.ts';
import { ImportError } from './errors.ts';
import { importBinaryCapture } from './binary-capture.ts';
import { binaryImporterFor } from './registry.ts';
import { NoSystraceDataError } from './systrace.ts';

export type OpenResult =
  | { ok: true; bundle: Bundle; imported: CaptureReport | null }
  | { ok: false; error: { from: 'bundle'; error: BundleError } | { from: 'import'; error: ImportError | UnknownTraceError | NoSystraceDataError } };

export interface OpenOptions extends Omit<ImportOptions, 'onProgress'> {
  /** Bytes of the file read so far, while importing a capture. */
  readonly onImportProgress?: (bytesRead: number, totalBytes: number | null) => void;
  /** The bundle reader's progress, while reading a bundle. */
  readonly onReadProgress?: (p: ReadProgress) => void;
  /** Each table of a bundle as soon as it is decoded (see ReadOptions.onTable). */
  readonly onTable?: ReadOptions['onTable'];
  /** Of a bundle, decode only these columns of its large tables for now (see ReadOptions.columns). */
  readonly columns?: ReadOptions['columns'];
}

/**
 * The one way in: bytes (a Uint8Array, a Blob or File, or a stream such as a fetch body) become a bundle, or a
 * typed error. A zip or an LFS pointer goes to the bundle reader, a binary capture with a known magic (trace.dat)
 * to its importer; anything else to the text importers (which refuse what is not a text capture, decompress
 * gzip and recognise the format by content). Used by the loader worker
 * and `tlab import`.
 */
export async function openSource(name: string, source: ByteSource, options: OpenOptions = {}): Promise<OpenResult> {
  const { head, rest } = await peek(source, 1024, options.chunkBytes);
  if (isZipStart(head) || parseLfsPointer(head)) {
    const r = await readBundle(rest, { ...(options.signal ? { signal: options.signal } : {}), ...(options.onReadProgress ? { onProgress: options.onReadProgress } : {}), ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}), ...(options.onTable ? { onTable: options.onTable } : {}), ...(options.columns ? { columns: options.columns } : {}) });
    if (!r.ok) {
      if (r.error.kind === 'no-manifest') {
        const entries = r.error.entries;
        return {
          ok: false,
          error: {
            from: 'import',
            error: new ImportError(
              'zip-not-a-bundle',
              name,
              `${name} is a zip archive but not a Telemetry Lab bundle (no manifest.json; it holds ${entries.length ? entries.slice(0, 6).join(', ') + (entries.length > 6 ? ', …' : '') : 'nothing'}). If it holds a capture, unzip it and import the file inside.`,
              r.error,
            ),
          },
        };
      }
      return { ok: false, error: { from: 'bundle', error: r.error } };
    }
    return { ok: true, bundle: r.bundle, imported: null };
  }
  try {
    const importOptions = { ...options, ...(options.onImportProgress ? { onProgress: options.onImportProgress } : {}) };
    const binary = binaryImporterFor(head);
    const { bundle, report } = binary ? await importBinaryCapture(name, binary, rest, importOptions) : await importCapture(name, rest, importOptions);
    return { ok: true, bundle, imported: report };
  } catch (e) {
    if (e instanceof ImportError || e instanceof UnknownTraceError || e instanceof NoSystraceDataError) return { ok: false, error: { from: 'import', error: e } };
    throw e;
  }
}

/** The first `bytes` of a source, and the whole source again to read from the start (Blobs and arrays are re-read, streams re-yielded). */
async function peek(source: ByteSource, bytes: number, chunkBytes?: number): Promise<{ head: Uint8Array; rest: ByteSource }> {
  if (source instanceof Uint8Array) return { head: source.subarray(0, bytes), rest: source };
  if (typeof Blob !== 'undefined' && source instanceof Blob) return { head: new Uint8Array(await source.slice(0, bytes).arrayBuffer()), rest: source };
  const iterator = chunksOf(source, chunkBytes)[Symbol.asyncIterator]();
  const first: Uint8Array[] = [];
  let got = 0;
  let done = false;
  while (got < bytes) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    first.push(next.value);
    got += next.value.byteLength;
  }
  const head = new Uint8Array(got);
  let off = 0;
  for (const c of first) {
    head.set(c, off);
    off += c.byteLength;
  }
  async function* again(): AsyncGenerator<Uint8Array> {
    yield* first;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { head: head.subarray(0, bytes), rest: again() };
}
