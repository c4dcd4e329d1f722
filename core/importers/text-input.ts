import { concatBytes } from '../bytes/concat.ts';
import { Gunzip } from 'fflate';
import { chunksOf, type ByteSource } from '../bundle/source.ts';
import { ImportError } from './errors.ts';
import { sniffInput } from './sniff-input.ts';

/** Bytes needed to classify a file (sniffInput) and to recognise a text format (detectTextFormat). */
export const SAMPLE_BYTES = 16 * 1024;

export interface TextInput {
  /** The file's text bytes: decompressed when the file is gzip. */
  chunks: AsyncIterable<Uint8Array>;
  /** Bytes of the file itself read so far (compressed bytes for gzip), for progress against its size. */
  fileBytesRead(): number;
  compression: 'gzip' | null;
}

/**
 * Opens a capture as text: refuses what is not text with a specific ImportError (empty, UTF-16, binary,
 * trace-cmd .dat, perf.data, zstd, a zip), and decompresses gzip on the fly (fflate, chunk by chunk, so a
 * large capture never sits in memory whole) before looking at the text inside.
 */
export async function openTextInput(file: string, source: ByteSource, chunkBytes?: number): Promise<TextInput> {
  const iterator = chunksOf(source, chunkBytes)[Symbol.asyncIterator]();
  let read = 0;
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < 1024) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    read += next.value.byteLength;
    head.push(next.value);
    headBytes += next.value.byteLength;
  }
  const first = concatBytes(head);
  async function* raw(): AsyncGenerator<Uint8Array> {
    if (first.byteLength) yield first;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      read += next.value.byteLength;
      yield next.value;
    }
  }
  const kind = sniffInput(file, first).kind;
  if (kind === 'zip') {
    throw new ImportError(
      'zip-not-a-bundle',
      file,
      `${file} is a zip archive, not a text capture. A Telemetry Lab bundle (.tlab) is a zip too: open it with "tlab inspect" or in the app. If the archive holds a capture, unzip it and import the file inside.`,
    );
  }
  if (kind === 'text') return { chunks: raw(), fileBytesRead: () => read, compression: null };
  // gzip: sniff the decompressed start as well (a .tar.gz or a gzipped perf.data is refused the same way).
  const inflated = gunzip(file, raw());
  const it = inflated[Symbol.asyncIterator]();
  const innerHead: Uint8Array[] = [];
  let innerBytes = 0;
  let innerDone = false;
  while (innerBytes < 1024) {
    const next = await it.next();
    if (next.done) {
      innerDone = true;
      break;
    }
    innerHead.push(next.value);
    innerBytes += next.value.byteLength;
  }
  const innerFirst = concatBytes(innerHead);
  const inner = sniffInput(`${file} (decompressed)`, innerFirst).kind;
  if (inner !== 'text') {
    throw new ImportError(inner === 'zip' ? 'zip-not-a-bundle' : 'binary', file, `${file} is gzip-compressed ${inner === 'zip' ? 'zip' : 'gzip'} data, not a text capture: decompress it and look at what is inside.`);
  }
  async function* text(): AsyncGenerator<Uint8Array> {
    if (innerFirst.byteLength) yield innerFirst;
    if (innerDone) return;
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
  }
  return { chunks: text(), fileBytesRead: () => read, compression: 'gzip' };
}

async function* gunzip(file: string, input: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  const stream = new Gunzip((chunk) => {
    out.push(chunk);
  });
  const push = (chunk: Uint8Array, final: boolean) => {
    try {
      stream.push(chunk, final);
    } catch (e) {
      throw new ImportError('gzip-corrupt', file, `${file} is gzip-compressed but cannot be decompressed (${(e as Error).message}): the file is damaged or cut short.`);
    }
  };
  let pending: Uint8Array | null = null;
  for await (const chunk of input) {
    if (pending) push(pending, false);
    pending = chunk;
    while (out.length) yield out.shift()!;
  }
  push(pending ?? new Uint8Array(0), true);
  while (out.length) yield out.shift()!;
}

