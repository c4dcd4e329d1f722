import { concatBytes } from '../bytes/concat.ts';
import type { Bundle } from '../bundle/reader.ts';
import { chunksOf, sizeOf, type ByteSource } from '../bundle/source.ts';
import { bundleFromParsed, type CaptureReport, type ImportOptions } from './capture-to-bundle.ts';
import type { BINARY_IMPORTERS } from './registry.ts';

/**
 * A binary capture (trace.dat) is read whole: its sections point at each other by file offset. The bytes are
 * gathered with progress and cancellation like a text import's, then parsed by the format's importer.
 */
export async function importBinaryCapture(
  file: string,
  importer: (typeof BINARY_IMPORTERS)[number],
  source: ByteSource,
  options: ImportOptions = {},
): Promise<{ bundle: Bundle; report: CaptureReport }> {
  const bytes = await readWhole(source, options);
  const parsed = importer.parse(file, bytes);
  return bundleFromParsed(file, importer.format, parsed, options.producer);
}

async function readWhole(source: ByteSource, options: ImportOptions): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  const total = sizeOf(source);
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    const out = new Uint8Array(await source.arrayBuffer());
    options.onProgress?.(out.byteLength, total);
    return out;
  }
  const parts: Uint8Array[] = [];
  let read = 0;
  for await (const chunk of chunksOf(source, options.chunkBytes)) {
    if (options.signal?.aborted) throw new DOMException('import cancelled', 'AbortError');
    parts.push(chunk);
    read += chunk.byteLength;
    options.onProgress?.(read, total);
  }
  return concatBytes(parts);
}
